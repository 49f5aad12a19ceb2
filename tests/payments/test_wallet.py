"""Paying a stay from its owner's wallet: one debit never below zero, one paid order, the stay credited, the car
let out once; a refusal or another tenant changes nothing; the same request twice debits once."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from parking.common.database import Database
from parking.common.errors import DomainError
from parking.common.scope import Scope
from parking.payments.models import OrderStatus, PaymentChannel, PaymentOrder
from parking.payments.service import StayRef
from parking.payments.settlement_models import SettlementLine, SettlementStatement
from parking.payments.statements import produce_statements
from parking.payments.wallet import WalletPayment, pay_from_wallet
from parking.tenancy.models import Lot
from parking.vehicles.models import Owner, Vehicle, Wallet, WalletEntry
from tests.conftest import GraphQL
from tests.factories import build_world
from tests.payments.flow import PLATE, Flow, wall_now

PAY = """
mutation W($key: String!, $id: ID, $lot: ID, $plate: String) {
  paymentPayFromWallet(requestKey: $key, sessionId: $id, lotId: $lot, plate: $plate) {
    __typename
    ... on PaymentWalletSuccess { order { outTradeNo channel status amountFen } balanceFen reused gateOpened }
    ... on PaymentError { code message field }
  }
}
"""


async def give_wallet(flow: Flow, balance_fen: int, plate: str = PLATE) -> int:
    """The car's owner with a wallet holding ``balance_fen``; the wallet's id."""
    async with flow.db.transaction(Scope.internal()) as s:
        lot = await s.get(Lot, flow.site.lot_id)
        assert lot is not None
        tenant = {"agent_id": lot.agent_id, "customer_id": lot.customer_id, "lot_id": lot.id}
        owner = Owner(**tenant, name="张三")
        s.add(owner)
        await s.flush()
        s.add(Vehicle(**tenant, owner_id=owner.id, plate=plate))
        wallet = Wallet(**tenant, owner_id=owner.id, balance_fen=balance_fen)
        s.add(wallet)
        await s.flush()
        return wallet.id


async def ledger(db: Database, wallet_id: int) -> tuple[int, list[tuple[int, str]]]:
    async with db.session(Scope.internal()) as s:
        wallet = await s.get(Wallet, wallet_id)
        assert wallet is not None
        entries = await s.scalars(
            select(WalletEntry).where(WalletEntry.wallet_id == wallet_id).order_by(WalletEntry.id)
        )
        return wallet.balance_fen, [(e.amount_fen, e.reference) for e in entries]


async def pay(flow: Flow, session_id: int, key: str = "req-1") -> WalletPayment:
    return await pay_from_wallet(
        flow.db, flow.channels, Scope.internal(), StayRef(session_id=session_id), key, wall_now()
    )


async def test_paying_from_the_wallet_debits_credits_and_lets_the_waiting_car_out_once(flow: Flow) -> None:
    wallet_id = await give_wallet(flow, 1000)
    session_id = await flow.enter(minutes_ago=70)
    await flow.site.read("out", PLATE, wall_now() - timedelta(minutes=1))
    # when the stay (600 fen) is paid from the wallet
    paid = await pay(flow, session_id)
    # then the wallet lost exactly 600 with one entry naming the order, which is paid on the WALLET channel
    assert (paid.balance_fen, paid.reused, paid.applied.credited) == (400, False, True)
    assert await ledger(flow.db, wallet_id) == (400, [(-600, paid.order.out_trade_no)])
    orders = await flow.orders(session_id)
    assert [(o.channel, o.status, o.amount_fen) for o in orders] == [(PaymentChannel.WALLET, OrderStatus.PAID, 600)]
    assert (await flow.stay(session_id)).paid_fen == 600
    assert len(await flow.queued_opens(session_id)) == 1
    # and the same request again debits nothing, opens nothing and returns the same order
    again = await pay(flow, session_id)
    assert (again.order.out_trade_no, again.reused, again.balance_fen) == (paid.order.out_trade_no, True, 400)
    assert await ledger(flow.db, wallet_id) == (400, [(-600, paid.order.out_trade_no)])
    assert len(await flow.orders(session_id)) == 1
    assert len(await flow.queued_opens(session_id)) == 1


async def test_an_open_channel_order_is_closed_when_the_wallet_pays(flow: Flow) -> None:
    await give_wallet(flow, 600)
    session_id = await flow.enter(minutes_ago=70)
    started = await flow.start(session_id, PaymentChannel.WECHAT_NATIVE)
    paid = await pay(flow, session_id)
    statuses = {o.out_trade_no: o.status for o in await flow.orders(session_id)}
    assert statuses == {started.order.out_trade_no: OrderStatus.CLOSED, paid.order.out_trade_no: OrderStatus.PAID}


async def test_insufficient_balance_is_a_coded_error_and_changes_nothing(flow: Flow) -> None:
    wallet_id = await give_wallet(flow, 599)
    session_id = await flow.enter(minutes_ago=70)
    await flow.site.read("out", PLATE, wall_now() - timedelta(minutes=1))
    with pytest.raises(DomainError) as refused:
        await pay(flow, session_id)
    assert (refused.value.code, refused.value.field) == ("insufficient_funds", "sessionId")
    assert await ledger(flow.db, wallet_id) == (599, [])
    assert await flow.orders(session_id) == []
    assert (await flow.stay(session_id)).paid_fen == 0
    assert await flow.queued_opens(session_id) == []


async def test_a_car_without_an_owners_wallet_is_not_found(flow: Flow) -> None:
    session_id = await flow.enter(minutes_ago=70)
    with pytest.raises(DomainError) as refused:
        await pay(flow, session_id)
    assert refused.value.code == "not_found"
    assert await flow.orders(session_id) == []


@pytest.mark.postgres
async def test_concurrent_debits_never_take_the_wallet_below_zero(flow: Flow, backend: str) -> None:
    if backend != "postgres":
        pytest.skip("concurrent writers need PostgreSQL")
    # given one wallet that covers two of three stays of the owner's cars
    plates = [PLATE, "京A22222", "京A33333"]
    wallet_id = await give_wallet(flow, 1200)
    async with flow.db.transaction(Scope.internal()) as s:
        owner_id = (await s.get(Wallet, wallet_id)).owner_id  # type: ignore[union-attr]
        lot = await s.get(Lot, flow.site.lot_id)
        assert lot is not None
        for plate in plates[1:]:
            s.add(
                Vehicle(
                    agent_id=lot.agent_id, customer_id=lot.customer_id, lot_id=lot.id, owner_id=owner_id, plate=plate
                )
            )
    sessions = [await flow.enter(plate, minutes_ago=70) for plate in plates]
    # when all three pay at once (and each twice)
    results = await asyncio.gather(*(pay(flow, sid) for sid in sessions for _ in range(2)), return_exceptions=True)
    # then exactly two stays were paid, each once, and the balance is exactly zero
    refused = [r for r in results if isinstance(r, DomainError)]
    assert [r.code for r in refused] == ["insufficient_funds"] * 2, results
    assert not [r for r in results if isinstance(r, BaseException) and not isinstance(r, DomainError)], results
    balance, entries = await ledger(flow.db, wallet_id)
    assert (balance, sorted(amount for amount, _ in entries)) == (0, [-600, -600])
    paid = [o for sid in sessions for o in await flow.orders(sid) if o.status is OrderStatus.PAID]
    assert sorted(o.out_trade_no for o in paid) == sorted(ref for _, ref in entries)


async def test_graphql_needs_the_permission_and_another_tenant_changes_nothing(flow: Flow) -> None:
    gql = GraphQL(flow.http)
    world = await build_world(flow.db)
    wallet_id = await give_wallet(flow, 1000)
    session_id = await flow.enter(minutes_ago=70)
    await flow.site.read("out", PLATE, wall_now() - timedelta(minutes=1))
    variables = {"key": "k1", "id": str(session_id)}
    denied = await gql(PAY, variables, token=world.tokens["viewer"])
    assert denied["errors"][0]["extensions"]["code"] == "PERMISSION_DENIED"
    other = await gql(PAY, {"key": "k1", "lot": str(flow.site.lot_id), "plate": PLATE}, token=world.tokens["agentB"])
    assert other["data"]["paymentPayFromWallet"]["code"] == "NOT_FOUND"
    assert await ledger(flow.db, wallet_id) == (1000, [])
    assert await flow.orders(session_id) == []
    done = await gql(PAY, variables, token=world.tokens["platform"])
    result = done["data"]["paymentPayFromWallet"]
    assert (result["__typename"], result["order"]["channel"], result["order"]["status"]) == (
        "PaymentWalletSuccess",
        "WALLET",
        "PAID",
    )
    assert (result["balanceFen"], result["reused"], result["gateOpened"]) == (400, False, True)
    again = await gql(PAY, variables, token=world.tokens["platform"])
    assert again["data"]["paymentPayFromWallet"]["reused"] is True
    assert await ledger(flow.db, wallet_id) == (400, [(-600, result["order"]["outTradeNo"])])


async def test_the_days_statement_counts_wallet_payments_without_a_fee(flow: Flow) -> None:
    await give_wallet(flow, 5000)
    await give_wallet(flow, 5000, plate="京A22222")
    for plate in (PLATE, "京A22222"):
        await pay(flow, await flow.enter(plate, minutes_ago=70))
    day = wall_now().astimezone(ZoneInfo("Asia/Shanghai")).date()
    await produce_statements(flow.db, day, wall_now() + timedelta(days=2), [flow.site.lot_id])
    async with flow.db.session(Scope.internal()) as s:
        orders = list(await s.scalars(select(PaymentOrder).where(PaymentOrder.lot_id == flow.site.lot_id)))
        statement = await s.scalar(select(SettlementStatement).where(SettlementStatement.lot_id == flow.site.lot_id))
        lines = list(await s.scalars(select(SettlementLine).where(SettlementLine.lot_id == flow.site.lot_id)))
    assert statement is not None
    assert (statement.payments_count, statement.gross_fen, statement.fee_fen, statement.net_fen) == (
        len(orders),
        sum(o.amount_fen for o in orders),
        0,
        sum(o.amount_fen for o in orders),
    )
    assert [(line.channel, line.gross_fen, line.fee_fen) for line in lines] == [(PaymentChannel.WALLET, 1200, 0)]
