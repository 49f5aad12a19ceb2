"""The ParkingCode type and the answers of a scan, one type per kind of answer."""

from __future__ import annotations

from datetime import datetime

import strawberry

from parking.codes import payloads
from parking.merchants.models import CodeKind, CouponKind
from schema.core import enums as _enums  # noqa: F401  (registers the enums)
from schema.core.context import Info
from schema.core.money import Fen
from schema.sessions.types import AppliedCouponType


@strawberry.type(name="ParkingCode", description="A signed QR code of a lot: a lane's, the lot's or a merchant's.")
class ParkingCodeType:
    id: strawberry.ID
    lot_id: strawberry.ID
    kind: CodeKind
    label: str
    lane_id: strawberry.ID | None
    merchant_id: strawberry.ID | None
    template_id: strawberry.ID | None
    valid_from: datetime | None
    expires_at: datetime
    max_uses: int | None
    used_count: int
    per_plate_per_day: int | None
    revoked_at: datetime | None
    created_at: datetime

    @strawberry.field(description="What the QR code carries after /m/c/: the signed id, nonce and expiry.")
    def payload(self, info: Info) -> str:
        return payloads.sign(info.context.secret_key, int(self.id), self.nonce, self.expires_at)  # type: ignore[attr-defined]

    @strawberry.field(description="The URL the QR code holds (the mini-program's landing page for this code).")
    def url(self, info: Info) -> str:
        payload = payloads.sign(info.context.secret_key, int(self.id), self.nonce, self.expires_at)  # type: ignore[attr-defined]
        return f"{info.context.public_url.rstrip('/')}/m/c/{payload}"


@strawberry.type(description="A coupon a scan gave the plate.")
class ClaimedCoupon:
    code: str
    kind: CouponKind
    value: int
    plate: str
    lot_id: strawberry.ID
    valid_until: datetime


@strawberry.type(description="A stay to pay: the signed stay token is paymentCreate's stayToken.")
class StayToPay:
    stay_token: str
    plate: str = strawberry.field(description="Masked when anyone at the exit could have scanned.")
    entry_at: datetime
    fee_fen: Fen
    lot_id: strawberry.ID
    coupon_fen: Fen = strawberry.field(description="What the merchant coupons took off (the fee is after them).")
    coupons: list[AppliedCouponType] = strawberry.field(description="The coupons applied, one line each.")


@strawberry.type(description="A merchant, VIP or conference code gave the plate a coupon.")
class CodeScanCoupon:
    code_kind: CodeKind
    coupon: ClaimedCoupon


@strawberry.type(description="An exit code: the stay held at that exit now (null when no car waits).")
class CodeScanExit:
    lane_id: strawberry.ID
    waiting: StayToPay | None


@strawberry.type(description="An in-lot code: the plate's stay in the lot and what it owes now, to pay before leaving.")
class CodeScanInLot:
    stay: StayToPay


@strawberry.type(description="A no-plate code: the logged-in driver's car came in or went out (or was told why not).")
class CodeScanNoPlate:
    opened: bool
    reason: str
    lines: list[str]
    fee_fen: Fen
    stay_token: str | None
