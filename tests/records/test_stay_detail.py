"""A parking record with its pictures and names, and the stay drawer's lists filtered to one stay: its lane
readings with their lanes, its orders and their refunds. Another tenant's operator asking for the same stay
gets nothing, and the list costs the same queries for any number of stays (tests/query_counts)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from parking.common.database import Database
from parking.common.scope import Scope
from parking.payments.models import OrderStatus, PaymentChannel, PaymentOrder, PaymentPurpose, Refund
from parking.recognition.models import PlateRecognition, RecognitionStatus
from parking.sessions.enums import EventKind, SessionState
from parking.sessions.models import LaneEvent, ParkingSession
from tests.conftest import GraphQL
from tests.factories import World, build_world

T0 = datetime(2030, 1, 1, 1, 0, tzinfo=UTC)
ENTRY_IMAGE = f"2030/01/01/{'a' * 64}.jpg"
EXIT_IMAGE = f"2030/01/01/{'b' * 64}.jpg"
REREAD_IMAGE = f"2030/01/01/{'c' * 64}.jpg"
CROP = f"2030/01/01/{'d' * 64}.jpg"


async def _stay(db: Database) -> tuple[World, int]:
    """A car in lot A1a that entered, was read twice at the exit (held, then left), paid by WeChat and asked for
    a refund; recognition cut its plate from the entry picture."""
    world = await build_world(db)
    tenant = {"agent_id": world.ids["agent:A"], "customer_id": world.ids["customer:A1"], "lot_id": world.ids["lot:A1a"]}
    lane = world.ids["lane:A1a"]
    async with db.transaction(Scope.internal()) as s:
        stay = ParkingSession(
            **tenant,
            plate="京A11111",
            entry_at=T0,
            exit_at=T0 + timedelta(hours=2),
            state=SessionState.EXITED,
            entry_lane_id=lane,
            exit_lane_id=lane,
        )
        s.add(stay)
        await s.flush()
        events = [
            LaneEvent(
                **tenant,
                lane_id=lane,
                session_id=stay.id,
                kind=kind,
                at=at,
                received_at=at,
                plate="京A11111",
                image_ref=ref,
                dedup_key=f"stay-{ref[11]}",
            )
            for kind, at, ref in (
                (EventKind.ENTRY, T0, ENTRY_IMAGE),
                (EventKind.EXIT, T0 + timedelta(hours=2), EXIT_IMAGE),
                (EventKind.EXIT, T0 + timedelta(hours=2, minutes=1), REREAD_IMAGE),
            )
        ]
        s.add_all(events)
        await s.flush()
        s.add(
            PlateRecognition(
                **tenant,
                lane_event_id=events[0].id,
                session_id=stay.id,
                status=RecognitionStatus.CONFIRMED,
                image_ref=ENTRY_IMAGE,
                crop_ref=CROP,
                plate="京A11111",
            )
        )
        order = PaymentOrder(
            **tenant,
            out_trade_no="STAY-1",
            channel=PaymentChannel.WECHAT_JSAPI,
            purpose=PaymentPurpose.PARKING_EXIT,
            status=OrderStatus.PAID,
            session_id=stay.id,
            plate="京A11111",
            amount_fen=600,
            created_at=T0,
        )
        other = PaymentOrder(
            **tenant,
            out_trade_no="OTHER-1",
            channel=PaymentChannel.ALIPAY_QR,
            purpose=PaymentPurpose.PARKING_EXIT,
            status=OrderStatus.PAID,
            session_id=None,
            amount_fen=500,
            created_at=T0,
        )
        s.add_all([order, other])
        await s.flush()
        s.add_all(
            [
                Refund(**tenant, order_id=order.id, out_refund_no="R-STAY", amount_fen=100, reason="stay"),
                Refund(**tenant, order_id=other.id, out_refund_no="R-OTHER", amount_fen=100, reason="other"),
            ]
        )
        return world, stay.id


async def _data(gql: GraphQL, world: World, who: str, query: str, **variables: Any) -> dict[str, Any]:
    body = await gql(query, variables, token=world.tokens[who])
    assert body.get("errors") is None, body
    return dict(body["data"])


RECORD = """{ parkingSessions { items { plate lot { name } entryLane { name } exitLane { name }
  entryImageRef exitImageRef plateCropRef } } }"""
DRAWER = """query($id: ID!) {
  laneEvents(filter: { sessionId: $id }, direction: ASC) { items { kind imageRef lane { name } } }
  paymentOrders(filter: { sessionId: $id }) { items { outTradeNo } }
  refunds(filter: { sessionId: $id }) { items { outRefundNo } } }"""


async def test_a_record_names_its_lot_and_lanes_and_shows_its_pictures(db: Database, gql: GraphQL) -> None:
    world, _ = await _stay(db)
    data = await _data(gql, world, "agentA", RECORD)
    assert data["parkingSessions"]["items"] == [
        {
            "plate": "京A11111",
            "lot": {"name": "Lot A1a"},
            "entryLane": {"name": "In A1a"},
            "exitLane": {"name": "In A1a"},
            "entryImageRef": ENTRY_IMAGE,
            # The last exit reading: the car held at the barrier left on the second picture.
            "exitImageRef": REREAD_IMAGE,
            "plateCropRef": CROP,
        }
    ]


async def test_the_drawer_lists_one_stays_readings_orders_and_refunds(db: Database, gql: GraphQL) -> None:
    world, stay = await _stay(db)
    data = await _data(gql, world, "agentA", DRAWER, id=str(stay))
    assert data == {
        "laneEvents": {
            "items": [
                {"kind": kind, "imageRef": ref, "lane": {"name": "In A1a"}}
                for kind, ref in (("ENTRY", ENTRY_IMAGE), ("EXIT", EXIT_IMAGE), ("EXIT", REREAD_IMAGE))
            ]
        },
        "paymentOrders": {"items": [{"outTradeNo": "STAY-1"}]},
        "refunds": {"items": [{"outRefundNo": "R-STAY"}]},
    }


async def test_another_tenant_gets_nothing_of_the_stay(db: Database, gql: GraphQL) -> None:
    world, stay = await _stay(db)
    data = await _data(gql, world, "agentB", DRAWER, id=str(stay))
    assert data == {"laneEvents": {"items": []}, "paymentOrders": {"items": []}, "refunds": {"items": []}}


@pytest.mark.parametrize("bad", ["x", "-1", "1.5"])
async def test_a_bad_stay_id_is_a_clear_error(db: Database, gql: GraphQL, bad: str) -> None:
    world, _ = await _stay(db)
    body = await gql(DRAWER, {"id": bad}, token=world.tokens["agentA"])
    assert body["errors"], body
    assert "sessionId" in body["errors"][0]["message"]
