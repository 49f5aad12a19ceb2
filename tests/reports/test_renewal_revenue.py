"""A pass renewed at the desk is revenue: a paid PASS_RENEWAL order in the renewal's channel, linked from the
renewal, counted as long-term money by the reports and in the day's settlement statement."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from parking.common.actor import Actor
from parking.common.database import Database
from parking.common.scope import Scope
from parking.overview.service import DateRange
from parking.payments.models import OrderStatus, PaymentChannel, PaymentOrder, PaymentPurpose
from parking.payments.renewals import renew_pass_paid, renewal_channel
from parking.payments.settlement_models import SettlementStatement
from parking.payments.statements import produce_statements
from parking.reports import reports
from parking.vehicles import inputs, service
from parking.vehicles.models import PassRenewal
from tests.factories import World, build_world

NOW = datetime(2030, 3, 31, 2, tzinfo=UTC)  # 10:00 in Shanghai


async def _pass(db: Database, world: World) -> str:
    actor = Actor.system()
    async with db.transaction(Scope.internal()) as s:
        lot = world.id("lot:A1a")
        product = await service.create_product(
            s, actor, inputs.PassProductCreate(lot_id=lot, name="月卡", period="month", price_fen=30_000)
        )
        vehicle = await service.create_vehicle(s, actor, inputs.VehicleCreate(lot_id=lot, plate="京A12345"))
        pass_ = await service.create_pass(
            s,
            actor,
            inputs.PassCreate(product_id=str(product.id), vehicle_id=str(vehicle.id), starts_at=NOW),
        )
        return str(pass_.id)


async def test_a_desk_renewal_is_a_paid_order_and_long_term_revenue(db: Database) -> None:
    world = await build_world(db)
    pass_id = await _pass(db, world)
    async with db.transaction(Scope.internal()) as s:
        await renew_pass_paid(s, Actor.system(), pass_id, inputs.PassRenew(periods=2, method="cash"), now=NOW)
    async with db.session(Scope.internal()) as s:
        order = (await s.execute(select(PaymentOrder))).scalar_one()
        renewal = (await s.execute(select(PassRenewal))).scalar_one()
    assert (order.purpose, order.status, order.channel, order.amount_fen, order.paid_at) == (
        PaymentPurpose.PASS_RENEWAL,
        OrderStatus.PAID,
        PaymentChannel.CASH,
        60_000,
        NOW,
    )
    assert renewal.payment_order_id == order.id
    day = DateRange(NOW.date(), NOW.date())
    async with db.session(Scope.platform()) as s:
        kinds = await reports.fees_by_kind(db, s, reports.Query(day, datetime(2030, 4, 2, tzinfo=UTC)))
    assert {k.kind: k.figures.paid_fen for k in kinds}[reports.FeeKind.LONG_TERM] == 60_000
    ids = await produce_statements(db, NOW.date(), datetime(2030, 4, 2, tzinfo=UTC), [world.ids["lot:A1a"]])
    async with db.session(Scope.internal()) as s:
        statement = await s.get(SettlementStatement, ids[0])
    assert statement is not None
    assert (statement.payments_count, statement.gross_fen) == (1, 60_000)


def test_the_renewal_channel_comes_from_the_method() -> None:
    assert renewal_channel("cash") is PaymentChannel.CASH
    assert renewal_channel("wallet") is PaymentChannel.WALLET
    assert renewal_channel("wechat") is PaymentChannel.WECHAT_NATIVE
    assert renewal_channel("bank_transfer") is PaymentChannel.BOOTH
