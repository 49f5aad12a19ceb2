"""The app behind pgbouncer in transaction mode (1.18: no prepared statements of its own): camera pushes,
GraphQL and a paid callback from many clients at once on two server connections, every car one stay; and what the
``pooler=transaction`` setting is for, shown on one client connection whose transactions change server."""

from __future__ import annotations

import asyncio
from typing import Any

import asyncpg
import httpx
import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from api.app import create_app
from config.settings import Settings
from hardware.simulators.camera import CameraSimulator, SimulatorReply
from parking.common.database import Database, make_engine
from parking.common.scope import Scope
from parking.payments.gateway import Channels
from parking.payments.models import OrderStatus
from parking.sessions.enums import SessionState
from parking.sessions.models import ParkingSession
from tests.lanes.site import Site, seat_tokens
from tests.payments.flow import Flow
from tests.pooler.bouncer import SERVER_CONNECTIONS, Bouncer, server_connections

pytestmark = pytest.mark.postgres

PUSH = "http://testserver/devices/vzenith/push"
CARS = 24
STAYS = """query($lot: ID!, $plate: String!) {
  parkingSessions(filter: {lotId: $lot, plate: $plate}) { items { plate state } }
}"""


def _camera(site: Site, lane: str, transport: httpx.AsyncBaseTransport) -> CameraSimulator:
    serial = next(s for s in site.secrets if s.endswith(f"-{lane}"))
    token = site.secrets[serial]
    return CameraSimulator(
        PUSH, serial=serial, token=token, token_header="X-Device-Key", send_scene=False, timeout_s=60.0,
        transport=transport,
    )  # fmt: skip


async def _prepared_statements_left(bouncer: Bouncer) -> list[tuple[int, int]]:
    """(backend pid, prepared statements it holds) of each server connection: two transactions held open at
    once through pgbouncer take both."""
    both_open = asyncio.Barrier(SERVER_CONNECTIONS)

    async def one() -> tuple[int, int]:
        conn = await asyncpg.connect(bouncer.plain_dsn, statement_cache_size=0, timeout=10)
        try:
            async with conn.transaction():
                row = await conn.fetchrow("SELECT pg_backend_pid(), (SELECT count(*) FROM pg_prepared_statements)")
                assert row is not None
                await both_open.wait()
                return int(row[0]), int(row[1])
        finally:
            await conn.close()

    return list(await asyncio.gather(*(one() for _ in range(SERVER_CONNECTIONS))))


async def test_lanes_graphql_and_a_callback_from_many_clients_through_pgbouncer_make_one_stay_per_car(
    flow: Flow, db: Database, pgbouncer: Bouncer, settings: Settings, channels: Channels
) -> None:
    # given the app on pgbouncer in transaction mode, its lot's three lane cameras and a cloud seat's console
    site = flow.site
    transport = httpx.ASGITransport(app=create_app(settings, db, channels), client=("203.0.113.5", 50000))
    token = (await seat_tokens(site))["seat"]
    cameras = {lane: _camera(site, lane, transport) for lane in ("in", "in2", "out")}
    answers: dict[str, list[dict[str, Any]]] = {}

    async def car(i: int, console: httpx.AsyncClient) -> list[SimulatorReply | None]:
        # every third car is read by both entry lanes at once; every second one leaves again
        plate = f"沪B{i:05d}"
        entry = [cameras["in"].push(plate)] + ([cameras["in2"].push(plate)] if i % 3 == 0 else [])
        replies = list(await asyncio.gather(*entry))
        response = await console.post(
            "/graphql",
            json={"query": STAYS, "variables": {"lot": str(site.lot_id), "plate": plate}},
            headers={"Authorization": f"Bearer {token}"},
        )
        answers[plate] = [response.json()]
        if i % 2 == 0:
            replies.append(await cameras["out"].push(plate))
        return replies

    async def payment() -> int:
        session_id = await flow.enter("沪C88888")  # 70 minutes inside: 600 fen
        started = await flow.start(session_id)
        [response] = await flow.relay(await flow.wechat_request_payment(started.client_params))
        assert response.status_code == 204, response.text
        order = await flow.order(started.order.out_trade_no)
        assert order.status is OrderStatus.PAID
        return session_id

    # when the cars, their consoles and a driver's payment come all at once
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver", timeout=60) as console:
        paying = asyncio.create_task(payment())
        cars = await asyncio.gather(*(car(i, console) for i in range(CARS)))
        paid_stay = await paying
    for camera in cameras.values():
        await camera.aclose()

    # then every push was answered with an open barrier, and every car is exactly one stay
    replies = [reply for replies in cars for reply in replies]
    assert len(replies) == CARS + len(range(0, CARS, 3)) + len(range(0, CARS, 2))
    assert all(reply is not None and reply.open for reply in replies), [c.last_error for c in cameras.values()]
    async with db.session(Scope.internal()) as s:
        rows = (await s.execute(select(ParkingSession.plate, ParkingSession.state, func.count()).group_by(
            ParkingSession.plate, ParkingSession.state
        ))).all()  # fmt: skip
    stays = {plate: (state, count) for plate, state, count in rows}
    assert len(rows) == CARS + 1
    for i in range(CARS):
        assert stays[f"沪B{i:05d}"] == (SessionState.EXITED if i % 2 == 0 else SessionState.IN_LOT, 1)
    assert (await flow.stay(paid_stay)).paid_fen == 600
    # and each console saw the car's stay, committed before its camera was answered
    for plate, [body] in answers.items():
        assert "errors" not in body, body
        assert [stay["plate"] for stay in body["data"]["parkingSessions"]["items"]] == [plate]
    # and the app's many client connections shared pgbouncer's two server connections, leaving no statement there
    assert db.engine.pool.checkedin() > SERVER_CONNECTIONS  # type: ignore[attr-defined]
    assert await server_connections(pgbouncer) == SERVER_CONNECTIONS
    left = await _prepared_statements_left(pgbouncer)
    assert len({pid for pid, _ in left}) == SERVER_CONNECTIONS
    assert [count for _, count in left] == [0] * SERVER_CONNECTIONS


async def _next_transaction_on_another_server(url: str, bouncer: Bouncer) -> tuple[int, int]:
    """One client connection runs a statement, another client then takes that server connection (pgbouncer gives
    out the one released last), and the first runs the same statement again, now on the other server connection.
    Returns the two backend pids; raises what the second run raised."""
    engine = make_engine(url, pool_size=1, max_overflow=0)
    holder = await asyncpg.connect(bouncer.plain_dsn, statement_cache_size=0, timeout=10)
    try:
        async with engine.begin() as conn:
            first = int((await conn.execute(text("SELECT pg_backend_pid()"))).scalar_one())
        async with holder.transaction():
            assert await holder.fetchval("SELECT pg_backend_pid()") == first  # pgbouncer's LIFO reuse
            async with engine.begin() as conn:
                second = int((await conn.execute(text("SELECT pg_backend_pid()"))).scalar_one())
        return first, second
    finally:
        await holder.close()
        await engine.dispose()


async def test_with_the_pooler_setting_a_client_connection_survives_a_change_of_server(
    db: Database, pgbouncer: Bouncer
) -> None:
    first, second = await _next_transaction_on_another_server(pgbouncer.url, pgbouncer)
    assert first != second


async def test_without_it_the_statement_asyncpg_prepared_is_missing_on_the_other_server(
    db: Database, pgbouncer: Bouncer
) -> None:
    with pytest.raises(DBAPIError, match=r"prepared statement .* does not exist"):
        await _next_transaction_on_another_server(pgbouncer.plain_url, pgbouncer)
