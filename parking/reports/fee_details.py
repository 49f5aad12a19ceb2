"""Fee details (收费明细): one row per exit of a stay in the range, with what it owed and how it was settled.

A row is an outer stay (an inner-lot stay is part of its outer one) that left the lot on one of the range's local
days (each lot's own). Its money comes from where each part is recorded: the fee, discount, paid amount and the
release (method and the operator who released it) on the stay; the channels and the cashier from the stay's
paid orders; the coupons from their redemption on the stay. The waiver is what a free or operator release let
go unpaid (fee − paid − discount), the same figure the rollup adds up (``rollup.WAIVING``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from parking.common.localtime import LocalHour
from parking.merchants.models import Coupon, CouponStatus
from parking.overview.service import DateRange
from parking.payments.models import PaymentOrder
from parking.reports.keyset import chunks
from parking.reports.names import NO_LOT, lane_names, lot_names, operator_names
from parking.reports.rollup import PAID, WAIVING
from parking.sessions.models import ParkingSession
from parking.tenancy.models import Lot


@dataclass(frozen=True)
class FeeDetail:
    stay_id: int
    lot_id: int
    lot_name: str
    timezone: str  # the lot's: the instants below are shown in it
    plate: str
    entry_at: datetime
    exit_at: datetime
    lane_id: int | None
    lane_name: str
    fee_fen: int
    discount_fen: int
    coupon_fen: int
    coupons: tuple[str, ...]  # the codes of the coupons used, in redemption order
    waived_fen: int
    paid_fen: int
    channels: tuple[str, ...]  # the channels of the paid orders, first payment first, each once
    release_method: str
    operator_id: int | None
    operator_name: str


def waived(fee_fen: int, paid_fen: int, discount_fen: int, release_method: Any) -> int:
    left = fee_fen - paid_fen - discount_fen
    return left if release_method in WAIVING and left > 0 else 0


def exit_column() -> Any:
    """The sort of the fee details: the exit (never null in their rows)."""
    assert ParkingSession.exit_at is not None
    return ParkingSession.exit_at


def fee_details_select(period: DateRange, lot_ids: Sequence[int] | None = None) -> Select[Any]:
    """The stays of the fee details (sort: ``exit_at``, then id), for a page or a download."""
    assert ParkingSession.exit_at is not None
    at = ParkingSession.exit_at
    stmt = (
        select(ParkingSession)
        .join(Lot, Lot.id == ParkingSession.lot_id)
        .where(ParkingSession.parent_id.is_(None), *period.where(at, LocalHour(at, Lot.timezone)))
    )
    if lot_ids is not None:
        stmt = stmt.where(ParkingSession.lot_id.in_(list(lot_ids)))
    return stmt


async def fee_details_of(session: AsyncSession, stays: Sequence[ParkingSession]) -> list[FeeDetail]:
    """The rows of ``stays`` (a page), in their order: a fixed handful of queries whatever the page's size."""
    ids = [stay.id for stay in stays]
    if not ids:
        return []
    channels: dict[int, list[str]] = defaultdict(list)
    cashiers: dict[int, int] = {}
    orders = await session.execute(
        select(PaymentOrder.session_id, PaymentOrder.channel, PaymentOrder.operator_id)
        .where(PaymentOrder.session_id.in_(ids), PaymentOrder.status.in_(PAID))
        .order_by(PaymentOrder.paid_at, PaymentOrder.id)
    )
    for raw_stay, channel, operator_id in orders:
        stay_id = int(raw_stay or 0)
        value = str(channel.value)
        if value not in channels[stay_id]:
            channels[stay_id].append(value)
        if operator_id is not None:
            cashiers[stay_id] = int(operator_id)  # the last one who took money for the stay
    coupons: dict[int, list[tuple[str, int]]] = defaultdict(list)
    used = await session.execute(
        select(Coupon.session_id, Coupon.code, Coupon.discount_fen)
        .where(Coupon.session_id.in_(ids), Coupon.status == CouponStatus.REDEEMED)
        .order_by(Coupon.redeemed_at, Coupon.id)
    )
    for used_on, code, discount in used:
        coupons[int(used_on or 0)].append((str(code), int(discount or 0)))
    operators = {stay.id: stay.released_by_id or cashiers.get(stay.id) for stay in stays}
    lots = await lot_names(session, (stay.lot_id for stay in stays))
    lanes = await lane_names(session, (stay.exit_lane_id for stay in stays))
    people = await operator_names(session, operators.values())
    rows: list[FeeDetail] = []
    for stay in stays:
        assert stay.exit_at is not None, "the select takes exited stays only"
        operator = operators[stay.id]
        rows.append(
            FeeDetail(
                stay_id=stay.id,
                lot_id=stay.lot_id,
                lot_name=lots.get(stay.lot_id, NO_LOT).name,
                timezone=lots.get(stay.lot_id, NO_LOT).timezone,
                plate=stay.plate,
                entry_at=stay.entry_at,
                exit_at=stay.exit_at,
                lane_id=stay.exit_lane_id,
                lane_name=lanes.get(stay.exit_lane_id or 0, ""),
                fee_fen=stay.fee_due_fen,
                discount_fen=stay.discount_fen,
                coupon_fen=sum(fen for _, fen in coupons[stay.id]),
                coupons=tuple(code for code, _ in coupons[stay.id]),
                waived_fen=waived(stay.fee_due_fen, stay.paid_fen, stay.discount_fen, stay.release_method),
                paid_fen=stay.paid_fen,
                channels=tuple(channels[stay.id]),
                release_method=stay.release_method.value if stay.release_method else "",
                operator_id=operator,
                operator_name=people.get(operator or 0, ""),
            )
        )
    return rows


async def all_fee_details(
    session: AsyncSession, period: DateRange, lot_ids: Sequence[int] | None = None
) -> list[FeeDetail]:
    """Every row of the range, newest exit first (a download): by keyset chunks."""
    rows: list[FeeDetail] = []
    async for stays in chunks(session, fee_details_select(period, lot_ids), exit_column(), ParkingSession.id):
        rows.extend(await fee_details_of(session, stays))
    return rows
