"""Who wants to hear about a new lane event with an image: the recognition queue, when it is switched on.

The lane flow calls ``enqueue_on_commit``; the worker side registers a listener that sends the job. Keeping
the registry here lets ``parking`` stay free of Dramatiq.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.ext.asyncio import AsyncSession

from parking.common.events import on_commit

Listener = Callable[[int], None]
_listeners: list[Listener] = []


def listen(listener: Listener) -> None:
    if listener not in _listeners:
        _listeners.append(listener)


def stop_listening(listener: Listener) -> None:
    if listener in _listeners:
        _listeners.remove(listener)


def enqueue_on_commit(tx: AsyncSession, lane_event_id: int, image_ref: str) -> None:
    """After commit, tell every listener about the event; nothing without an image or without listeners."""
    if not image_ref or not _listeners:
        return
    listeners = list(_listeners)

    async def send() -> None:
        for listener in listeners:
            listener(lane_event_id)

    on_commit(tx, send)
