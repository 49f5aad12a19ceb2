"""What happens to a coupon, as domain events (parking.common.domain_events), and its live topic.

Every change of a coupon's life that a screen may want to see at once is announced with ``announce``: the typed
event for whatever reacts in-process, and a ``Broadcast`` of ids on the lot's coupon topic for the GraphQL
subscription ``couponEvents`` (schema/merchants/subscriptions.py). Both are delivered only after the commit.
Expiry is not announced per coupon: it is a batch job over thousands of rows (parking/merchants/expiry.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import ClassVar

from sqlalchemy.ext.asyncio import AsyncSession

from parking.common.domain_events import DomainEvent, emit
from parking.common.events import publish_on_commit
from parking.merchants.models import Coupon


class CouponChange(StrEnum):
    ISSUED = "issued"  # given to a plate (or held by a VIP code)
    REDEEMED = "redeemed"  # used by a settled stay
    VOIDED = "voided"  # withdrawn by the lot or the merchant
    RETURNED = "returned"  # given back by a refund or waiver of the stay that used it: ISSUED again


def coupons_topic(lot_id: int) -> str:
    return f"coupons:{lot_id}"


@dataclass(frozen=True, slots=True)
class CouponEvent(DomainEvent):
    """Base of the coupon events: which coupon, in which lot, of which merchant."""

    change: ClassVar[CouponChange]
    coupon_id: int
    lot_id: int
    merchant_id: int | None

    @classmethod
    def of(cls, coupon: Coupon) -> CouponEvent:
        return cls(coupon_id=coupon.id, lot_id=coupon.lot_id, merchant_id=coupon.merchant_id)


@dataclass(frozen=True, slots=True)
class CouponIssued(CouponEvent):
    change: ClassVar[CouponChange] = CouponChange.ISSUED


@dataclass(frozen=True, slots=True)
class CouponRedeemed(CouponEvent):
    change: ClassVar[CouponChange] = CouponChange.REDEEMED


@dataclass(frozen=True, slots=True)
class CouponVoided(CouponEvent):
    change: ClassVar[CouponChange] = CouponChange.VOIDED


@dataclass(frozen=True, slots=True)
class CouponReturned(CouponEvent):
    change: ClassVar[CouponChange] = CouponChange.RETURNED


def announce(session: AsyncSession, event: CouponEvent) -> None:
    """After the commit of ``session``'s transaction: the event to its handlers, and ids on the lot's topic."""
    emit(session, event)
    payload = {"id": event.coupon_id, "change": event.change.value, "merchant_id": event.merchant_id}
    publish_on_commit(session, coupons_topic(event.lot_id), payload)
