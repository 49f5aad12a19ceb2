"""A coupon's terms as the bill reads them: a small frozen value, built from a ``Coupon`` row or by hand.

The bill (parking/sessions/discounts.py) never sees ORM rows, so the edge agent, the bench and the tests can
price coupons without a database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from parking.merchants.models import Coupon, CouponKind


@dataclass(frozen=True, slots=True)
class CouponTerms:
    """What a coupon takes off (``value``'s unit depends on ``kind``, see ``CouponKind``) and how it combines."""

    id: int
    kind: CouponKind
    value: int
    issued_at: datetime
    max_per_stay: int = 1
    stackable: bool = True
    template_id: int | None = None

    def until(self, tz: ZoneInfo) -> datetime:
        """An UNTIL coupon's end: ``value`` minutes after local midnight of the lot's day it was issued on."""
        local = self.issued_at.astimezone(tz)
        midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
        # Wall-clock arithmetic, then back to an aware instant (a DST day keeps the printed clock time).
        wall = midnight.replace(tzinfo=None) + timedelta(minutes=self.value)
        return wall.replace(tzinfo=tz)


def terms_of(coupon: Coupon) -> CouponTerms:
    """The terms copied onto a coupon when it was issued."""
    return CouponTerms(
        id=coupon.id,
        kind=coupon.kind,
        value=coupon.value,
        issued_at=coupon.valid_from or coupon.created_at,
        max_per_stay=coupon.max_per_stay,
        stackable=coupon.stackable,
        template_id=coupon.template_id,
    )
