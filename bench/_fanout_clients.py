"""The consoles of `bench fanout`, in a process of their own (`python -m bench._fanout_clients`), so that their
websocket work neither delays the publisher nor shares its event loop with it.

Reads one JSON line on stdin, ``{"lot_id": .., "subscribers": [[url, token], ...]}``; writes a status line
``{"warm": subscribers that received an event, "received": events received, "failure": ..}`` five times a
second; on a ``stop`` line writes ``{"arrivals": [[[event_id, perf_counter], ...] per subscriber]}`` and ends.
Arrival times are ``time.perf_counter()``, CLOCK_MONOTONIC on Linux: comparable with the publisher's.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time

from websockets.asyncio.client import connect
from websockets.typing import Subprotocol

EVENT_FIELDS = "id lotId laneId sessionId kind at plate plateColor confidence imageRef opened decisionReason"
# The console's own subscription (clients/web/src/graphql/console.ts, LaneEventsLive).
SUBSCRIPTION = f"subscription LaneEventsLive($lotId: ID!) {{ laneEvents(lotId: $lotId) {{ {EVENT_FIELDS} }} }}"


class Subscriber:
    """One console: a graphql-transport-ws connection with the lane events subscription, noting each arrival."""

    def __init__(self, url: str, token: str, lot_id: int) -> None:
        self.url, self.token, self.lot_id = url, token, lot_id
        self.received: dict[int, float] = {}
        self.failure = ""

    async def run(self) -> None:
        async with connect(self.url, subprotocols=[Subprotocol("graphql-transport-ws")], max_queue=None) as ws:
            await ws.send(json.dumps({"type": "connection_init", "payload": {"Authorization": f"Bearer {self.token}"}}))
            json.loads(await ws.recv())
            variables = {"lotId": str(self.lot_id)}
            await ws.send(
                json.dumps({"id": "1", "type": "subscribe", "payload": {"query": SUBSCRIPTION, "variables": variables}})
            )
            async for raw in ws:
                arrived = time.perf_counter()
                message = json.loads(raw)
                if message["type"] == "next" and message["payload"].get("data"):
                    self.received[int(message["payload"]["data"]["laneEvents"]["id"])] = arrived
                elif message["type"] == "ping":
                    await ws.send(json.dumps({"type": "pong"}))
                elif message["type"] != "pong":
                    self.failure = str(message)[:200]
                    return


def _write(line: object) -> None:
    sys.stdout.write(json.dumps(line) + "\n")
    sys.stdout.flush()


async def _report(subscribers: list[Subscriber]) -> None:
    while True:
        failure = next((s.failure for s in subscribers if s.failure), "")
        warm = sum(1 for s in subscribers if s.received)
        _write({"warm": warm, "received": sum(len(s.received) for s in subscribers), "failure": failure})
        await asyncio.sleep(0.2)


async def _run() -> None:
    spec = json.loads(await asyncio.to_thread(sys.stdin.readline))
    subscribers = [Subscriber(url, token, spec["lot_id"]) for url, token in spec["subscribers"]]
    tasks = [asyncio.create_task(s.run()) for s in subscribers]
    reporting = asyncio.create_task(_report(subscribers))
    while (await asyncio.to_thread(sys.stdin.readline)).strip() not in ("stop", ""):
        pass
    reporting.cancel()
    for task in tasks:
        task.cancel()
    await asyncio.gather(reporting, *tasks, return_exceptions=True)
    _write({"arrivals": [list(s.received.items()) for s in subscribers]})


if __name__ == "__main__":
    asyncio.run(_run())
