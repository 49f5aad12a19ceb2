"""The demo's paid stays have their payment orders, by the channel their release implies, so the overview's
revenue by day and channel shows money beside the traffic."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from parking.common.database import Database
from parking.common.db import utcnow
from parking.common.scope import Scope
from parking.demo import load_demo
from parking.overview.service import DateRange, revenue
from parking.payments.models import OrderStatus, PaymentChannel, PaymentOrder
from parking.sessions.enums import ReleaseMethod
from parking.sessions.models import ParkingSession

# The channels a release method can come from (parking.payments.settle.release_method, read backwards).
CHANNELS_OF_RELEASE = {
    ReleaseMethod.EXIT_SCAN: {PaymentChannel.WECHAT_JSAPI, PaymentChannel.ALIPAY_QR},
    ReleaseMethod.PREPAID: {PaymentChannel.WECHAT_JSAPI, PaymentChannel.ALIPAY_MINI},
    ReleaseMethod.FRICTIONLESS: {PaymentChannel.WECHAT_PARKING},
    ReleaseMethod.SOFTWARE: {PaymentChannel.CASH},
}


async def test_every_paid_demo_stay_has_one_paid_order_by_its_release_channel(db: Database) -> None:
    # given the demo with three days of traffic
    assert await load_demo(db, days=3)
    async with db.session(Scope.internal()) as s:
        stays = {stay.id: stay for stay in await s.scalars(select(ParkingSession).where(ParkingSession.paid_fen > 0))}
        orders = list(await s.scalars(select(PaymentOrder)))
        # then each paid stay has exactly one order, paid, for its amount, by a channel its release implies,
        assert sorted(o.session_id for o in orders if o.session_id is not None) == sorted(stays)
        for order in orders:
            assert order.session_id is not None
            stay = stays[order.session_id]
            assert order.status is OrderStatus.PAID
            assert order.amount_fen == stay.paid_fen == stay.fee_due_fen
            assert order.plate == stay.plate
            assert stay.release_method is not None
            assert order.channel in CHANNELS_OF_RELEASE[stay.release_method]
            assert order.paid_at is not None
            assert stay.exit_at is not None
            assert stay.entry_at <= order.paid_at <= stay.exit_at
        # and the overview's revenue shows every channel the demo pays by, summing to what the stays paid
        today = utcnow().date()
        rows = await revenue(s, DateRange(today - timedelta(days=5), today + timedelta(days=1)))
    assert {row.channel for row in rows} == set().union(*CHANNELS_OF_RELEASE.values())
    assert sum(row.paid_fen for row in rows) == sum(stay.paid_fen for stay in stays.values()) > 0
