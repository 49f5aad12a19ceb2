"""Settlement statement arithmetic (pure): a day's payments and refunds summed per channel, fee included."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from parking.payments.fees import channel_fee
from parking.tenancy.payment_settings import DEFAULT_RATE_PPM, LotPaymentSettings

# Money that never passed through a payment channel pays no channel fee.
FEE_FREE_CHANNELS = frozenset({"cash", "booth", "wallet"})


class MovementKind(StrEnum):
    PAYMENT = "payment"
    REFUND = "refund"


@dataclass(frozen=True)
class Movement:
    """One payment credited or one refund paid out, on the day being settled."""

    channel: str
    kind: MovementKind
    amount_fen: int


@dataclass(frozen=True)
class Totals:
    payments_count: int = 0
    gross_fen: int = 0
    refunds_count: int = 0
    refunds_fen: int = 0
    # Fees charged on payments less the fees given back on refunds (both channels refund fees pro rata).
    fee_fen: int = 0

    @property
    def net_fen(self) -> int:
        return self.gross_fen - self.refunds_fen - self.fee_fen

    def __add__(self, other: Totals) -> Totals:
        return Totals(
            self.payments_count + other.payments_count,
            self.gross_fen + other.gross_fen,
            self.refunds_count + other.refunds_count,
            self.refunds_fen + other.refunds_fen,
            self.fee_fen + other.fee_fen,
        )


def movement_fee(movement: Movement, rate_ppm: int) -> int:
    """The fee one movement carries: charged per payment and given back per refund, each rounded half up."""
    if movement.channel in FEE_FREE_CHANNELS:
        return 0
    fee = channel_fee(movement.amount_fen, rate_ppm)
    return fee if movement.kind is MovementKind.PAYMENT else -fee


def summarize(movements: Iterable[Movement], rate_ppm: int = DEFAULT_RATE_PPM) -> dict[str, Totals]:
    """Totals per channel, channels in name order; every fen of every movement is counted exactly once."""
    by_channel: dict[str, Totals] = defaultdict(Totals)
    for m in movements:
        fee = movement_fee(m, rate_ppm)
        if m.kind is MovementKind.PAYMENT:
            by_channel[m.channel] += Totals(payments_count=1, gross_fen=m.amount_fen, fee_fen=fee)
        else:
            by_channel[m.channel] += Totals(refunds_count=1, refunds_fen=m.amount_fen, fee_fen=fee)
    return dict(sorted(by_channel.items()))


def grand_total(lines: Iterable[Totals]) -> Totals:
    total = Totals()
    for line in lines:
        total += line
    return total


def day_bounds(day: date, tz: str) -> tuple[datetime, datetime]:
    """The UTC instants where ``day`` starts and ends in the time zone ``tz`` (DST-safe: midnight to midnight)."""
    zone = ZoneInfo(tz)
    start = datetime.combine(day, time(), tzinfo=zone)
    end = datetime.combine(day + timedelta(days=1), time(), tzinfo=zone)
    return start.astimezone(UTC), end.astimezone(UTC)


def previous_day(now: datetime, tz: str) -> date:
    """T+1: the day before today in the lot's time zone, the last one that is over."""
    return now.astimezone(ZoneInfo(tz)).date() - timedelta(days=1)


def lot_fee_rate(payment_settings: dict[str, Any] | None) -> int:
    """The lot's negotiated channel fee rate (``fee_rate_ppm`` in its payment settings), else 0.6%."""
    return LotPaymentSettings.of(payment_settings).fee_rate_ppm
