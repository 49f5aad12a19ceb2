"""Reconciling a channel's daily bill with our records, and storing every line of the result.

The bill is downloaded (outside any transaction), parsed, and compared by ``bills.reconcile`` with the
payments we credited and the refunds we paid out on that channel that day. A payment that is in the bill but
was a double payment (received, not credited to its stay, refunded) is its own kind of line. A run is keyed by
(channel, day): running it again replaces its lines, so a retried worker never stores a second result.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol

from sqlalchemy import delete, insert, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from parking.common.database import Database
from parking.common.errors import DomainError, ErrorCode
from parking.common.scope import Scope
from parking.payments.bills import (
    BillRow,
    EntryKind,
    OurEntry,
    Reconciliation,
    parse_alipay_bill,
    parse_wechat_trade_bill,
    reconcile,
)
from parking.payments.errors import ChannelError, PaymentError
from parking.payments.gateway import Channels
from parking.payments.models import OrderStatus, PaymentChannel, PaymentOrder, Refund, RefundStatus
from parking.payments.settlement_models import (
    ReconciliationItem,
    ReconciliationResult,
    ReconciliationRun,
    RunStatus,
)
from parking.payments.statement import day_bounds

logger = logging.getLogger(__name__)

# Both channels cut their bills at midnight Beijing time, whatever the lot's own time zone.
BILL_TIMEZONE = "Asia/Shanghai"
FAMILIES: dict[str, tuple[PaymentChannel, ...]] = {
    "wechatpay": (PaymentChannel.WECHAT_JSAPI, PaymentChannel.WECHAT_NATIVE, PaymentChannel.WECHAT_PARKING),
    "alipay": (PaymentChannel.ALIPAY_QR, PaymentChannel.ALIPAY_MINI),
}
PARSERS: dict[str, Callable[[str], list[BillRow]]] = {
    "wechatpay": parse_wechat_trade_bill,
    "alipay": parse_alipay_bill,
}
ERROR_LENGTH = 500  # reconciliation_runs.error
CREDITED = (OrderStatus.PAID, OrderStatus.PARTLY_REFUNDED, OrderStatus.REFUNDED)

Owner = tuple[int, int, int]  # agent_id, customer_id, lot_id


class BillSource(Protocol):
    async def download_trade_bill(self, bill_date: str) -> str: ...


@dataclass
class _Ours:
    entries: list[OurEntry]
    owners: dict[str, Owner]
    doubles: set[str]  # payments received but not credited (double payments)


async def _our_entries(tx: AsyncSession, channel: str, day: date) -> _Ours:
    """What we received and paid back on ``channel`` during the Beijing day, and whose lot each number is."""
    start, end = day_bounds(day, BILL_TIMEZONE)
    family = FAMILIES[channel]
    entries: list[OurEntry] = []
    owners: dict[str, Owner] = {}
    doubles: set[str] = set()
    paid = await tx.execute(
        select(
            PaymentOrder.out_trade_no,
            PaymentOrder.amount_fen,
            PaymentOrder.agent_id,
            PaymentOrder.customer_id,
            PaymentOrder.lot_id,
            PaymentOrder.double_payment,
        ).where(
            PaymentOrder.channel.in_(family),
            PaymentOrder.status.in_(CREDITED),
            PaymentOrder.paid_at >= start,
            PaymentOrder.paid_at < end,
        )
    )
    for no, amount, agent, customer, lot, double in paid:
        entries.append(OurEntry(no, amount))
        owners[no] = (agent, customer, lot)
        if double is not None:
            doubles.add(no)
    refunded = await tx.execute(
        select(
            Refund.out_refund_no,
            Refund.amount_fen,
            PaymentOrder.out_trade_no,
            Refund.agent_id,
            Refund.customer_id,
            Refund.lot_id,
        )
        .join(PaymentOrder, PaymentOrder.id == Refund.order_id)
        .where(
            PaymentOrder.channel.in_(family),
            Refund.status == RefundStatus.SUCCEEDED,
            Refund.completed_at >= start,
            Refund.completed_at < end,
        )
    )
    for refund_no, amount, no, agent, customer, lot in refunded:
        entries.append(OurEntry(no, amount, EntryKind.REFUND, refund_no))
        owners[refund_no] = (agent, customer, lot)
    return _Ours(entries, owners, doubles)


async def _known_orders(tx: AsyncSession, numbers: set[str]) -> dict[str, Owner]:
    """Lots of orders the bill names that we hold but did not count that day (paid on another day, say)."""
    if not numbers:
        return {}
    rows = await tx.execute(
        select(PaymentOrder.out_trade_no, PaymentOrder.agent_id, PaymentOrder.customer_id, PaymentOrder.lot_id).where(
            PaymentOrder.out_trade_no.in_(sorted(numbers))
        )
    )
    return {no: (agent, customer, lot) for no, agent, customer, lot in rows}


@dataclass(frozen=True)
class _Line:
    result: ReconciliationResult
    kind: EntryKind
    number: str
    out_trade_no: str
    ours_fen: int | None
    theirs_fen: int | None = None
    their_fee_fen: int | None = None
    transaction_id: str = ""

    def row(self, run_id: int, owners: dict[str, Owner]) -> dict[str, object]:
        owner = owners.get(self.number) or owners.get(self.out_trade_no)
        agent, customer, lot = owner if owner is not None else (None, None, None)
        return {
            "run_id": run_id,
            "result": self.result,
            "entry_kind": self.kind,
            "number": self.number,
            "out_trade_no": self.out_trade_no,
            "ours_fen": self.ours_fen,
            "theirs_fen": self.theirs_fen,
            "their_fee_fen": self.their_fee_fen,
            "transaction_id": self.transaction_id,
            "agent_id": agent,
            "customer_id": customer,
            "lot_id": lot,
        }


def _lines(result: Reconciliation, entries: list[OurEntry], rows: list[BillRow], doubles: set[str]) -> list[_Line]:
    """Every line of the result with both sides' amounts (a number repeated in the bill is summed); a matched
    payment we did not credit is a double payment."""
    theirs: dict[tuple[EntryKind, str], list[BillRow]] = {}
    for row in rows:
        theirs.setdefault(row.key, []).append(row)

    def their(key: tuple[EntryKind, str]) -> dict[str, Any]:
        found = theirs[key]
        return {
            "theirs_fen": sum(r.amount_fen for r in found),
            "their_fee_fen": sum(r.fee_fen for r in found),
            "transaction_id": found[0].transaction_id,
        }

    lines: list[_Line] = []
    for entry in sorted(entries, key=lambda e: e.key):
        if entry.key in theirs:
            side = their(entry.key)
            same = side["theirs_fen"] == entry.amount_fen
            result_kind = ReconciliationResult.MATCHED if same else ReconciliationResult.AMOUNT_MISMATCH
            if same and entry.kind is EntryKind.PAYMENT and entry.out_trade_no in doubles:
                result_kind = ReconciliationResult.DOUBLE_PAYMENT
            lines.append(_Line(result_kind, entry.kind, entry.key[1], entry.out_trade_no, entry.amount_fen, **side))
    for entry in result.missing_theirs:
        lines.append(
            _Line(ReconciliationResult.MISSING_THEIRS, entry.kind, entry.key[1], entry.out_trade_no, entry.amount_fen)
        )
    for key in sorted({r.key for r in result.missing_ours}):
        no = theirs[key][0].out_trade_no
        lines.append(_Line(ReconciliationResult.MISSING_OURS, key[0], key[1], no, None, **their(key)))
    return lines


class ReconciliationFailed(DomainError):
    """The bill could not be had or trusted; the failed run is stored with this message."""

    def __init__(self, channel: str, day: date, reason: str) -> None:
        super().__init__(ErrorCode.CONFLICT, f"{channel} bill of {day}: {reason}", "day")


async def reconcile_day(db: Database, channels: Channels, channel: str, day: date, now: datetime) -> int:
    """Download ``channel``'s bill of ``day`` (Beijing time), reconcile it and store the lines; the run's id.

    Refused input (an unknown channel, a day whose bill is not out yet) raises ``DomainError`` and stores
    nothing. A bill that cannot be had or trusted (not configured, the channel's error, a file that does not
    match its signed hash, an unreadable file) stores the run as failed, with no lines, and raises
    ``ReconciliationFailed``.
    """
    if channel not in FAMILIES:
        raise DomainError(ErrorCode.INVALID, f"no bills for channel {channel!r}", "channel")
    if day_bounds(day, BILL_TIMEZONE)[1] > now:
        raise DomainError(ErrorCode.INVALID, f"the {channel} bill of {day} is not out yet", "day")
    client = channels.client(channel)
    try:
        if client is None or not hasattr(client, "download_trade_bill"):
            raise ChannelError(channel, None, "not configured")
        source: BillSource = client  # type: ignore[assignment]
        rows = PARSERS[channel](await source.download_trade_bill(day.isoformat()))
    except (PaymentError, ValueError) as err:  # ChannelError, InvalidAmount, a malformed file
        reason = err.detail if isinstance(err, ChannelError) else str(err)
        await _store_failure(db, channel, day, reason, now)
        logger.warning("%s bill of %s failed: %s", channel, day, reason)
        raise ReconciliationFailed(channel, day, reason) from err
    async with db.transaction(Scope.internal()) as tx:
        ours = await _our_entries(tx, channel, day)
        result = reconcile(ours.entries, rows)
        owners = {**await _known_orders(tx, {r.out_trade_no for r in result.missing_ours}), **ours.owners}
        lines = _lines(result, ours.entries, rows, ours.doubles)
        doubles = sum(1 for line in lines if line.result is ReconciliationResult.DOUBLE_PAYMENT)
        run_id = await _store_run(tx, channel, day, len(rows), result, doubles, now)
        await tx.execute(delete(ReconciliationItem).where(ReconciliationItem.run_id == run_id))
        if lines:
            await tx.execute(insert(ReconciliationItem), [line.row(run_id, owners) for line in lines])
    logger.info(
        "%s bill of %s: %s matched, %s double payments, %s missing ours, %s missing theirs, %s amount mismatches",
        channel,
        day,
        len(result.matched) - doubles,
        doubles,
        len(result.missing_ours),
        len(result.missing_theirs),
        len(result.amount_mismatch),
    )
    return run_id


async def _store_run(
    tx: AsyncSession, channel: str, day: date, bill_rows: int, result: Reconciliation, doubles: int, now: datetime
) -> int:
    values = {
        "bill_rows": bill_rows,
        "matched_count": len(result.matched) - doubles,
        "double_payment_count": doubles,
        "missing_ours_count": len({r.key for r in result.missing_ours}),
        "missing_theirs_count": len(result.missing_theirs),
        "amount_mismatch_count": len(result.amount_mismatch),
        "status": RunStatus.SUCCEEDED,
        "error": "",
    }
    return await _upsert_run(tx, channel, day, values, now)


async def _store_failure(db: Database, channel: str, day: date, reason: str, now: datetime) -> None:
    """The day's run becomes a failed one: its reason, no counts and no lines (an earlier result is stale)."""
    async with db.transaction(Scope.internal()) as tx:
        values = {
            "bill_rows": 0,
            "matched_count": 0,
            "missing_ours_count": 0,
            "missing_theirs_count": 0,
            "amount_mismatch_count": 0,
            "status": RunStatus.FAILED,
            "error": reason[:ERROR_LENGTH],
        }
        run_id = await _upsert_run(tx, channel, day, values, now)
        await tx.execute(delete(ReconciliationItem).where(ReconciliationItem.run_id == run_id))


async def _upsert_run(tx: AsyncSession, channel: str, day: date, values: dict[str, Any], now: datetime) -> int:
    values = {"channel": channel, "day": day, **values, "produced_at": now, "created_at": now, "updated_at": now}
    dialect_insert = sqlite.insert if tx.get_bind().dialect.name == "sqlite" else postgresql.insert
    upsert = dialect_insert(ReconciliationRun).values(**values)
    changing = {k: upsert.excluded[k] for k in values if k not in ("channel", "day", "created_at")}
    stored = upsert.on_conflict_do_update(index_elements=["channel", "day"], set_=changing)
    return int((await tx.execute(stored.returning(ReconciliationRun.id))).scalar_one())
