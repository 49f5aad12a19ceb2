"""Parking-code mutations: make, rotate and revoke codes (audited), and the drivers' public ``codeScan``."""

from __future__ import annotations

from typing import Annotated, Any, cast

import strawberry

from parking.accounts.permissions import Perm
from parking.code_scan import CouponClaimed, ExitWaiting, InLotStay, NoPlatePassage, StayDue, scan_code
from parking.codes import service
from parking.codes.errors import CodeErrorCode
from parking.codes.limits import SCAN_LIMIT_SERVICE
from parking.codes.texts import CodeText, text
from parking.common.crud import parse_id
from parking.common.db import utcnow
from parking.common.errors import DomainError, ErrorCode
from parking.drivers import read_driver_token
from schema.codes import inputs
from schema.codes.types import (
    ClaimedCoupon,
    CodeScanCoupon,
    CodeScanExit,
    CodeScanInLot,
    CodeScanNoPlate,
    ParkingCodeType,
    StayToPay,
)
from schema.core.context import Info
from schema.core.errors import Error, error_codes, error_from
from schema.core.money import Fen
from schema.core.mutations import run
from schema.core.permissions import describe_any, requires_any
from schema.sessions.types import AppliedCouponType

error_codes(CodeErrorCode, "a parking code")

_LANE_NOTE = (
    " No-plate, exit and in-lot codes also need lots.manage; conference codes merchants.manage; a merchant's"
    " operator (coupons.issue) makes and manages its own merchant's merchant and VIP codes."
)


@strawberry.type
class CodeError(Error):
    code: CodeErrorCode
    message: str
    field: str | None = None


@strawberry.type
class ParkingCodeSuccess:
    parking_code: ParkingCodeType


@strawberry.type
class ParkingCodesSuccess:
    parking_codes: list[ParkingCodeType]


ParkingCodeResult = Annotated[ParkingCodeSuccess | CodeError, strawberry.union("ParkingCodeResult")]
ParkingCodesResult = Annotated[ParkingCodesSuccess | CodeError, strawberry.union("ParkingCodesResult")]
CodeScanResult = Annotated[
    CodeScanCoupon | CodeScanExit | CodeScanInLot | CodeScanNoPlate | CodeError, strawberry.union("CodeScanResult")
]


def _one(row: Any) -> ParkingCodeSuccess:
    return ParkingCodeSuccess(parking_code=cast(ParkingCodeType, row))


def _first(rows: list[Any]) -> ParkingCodeSuccess:
    return _one(rows[0])


def _many(rows: list[Any]) -> ParkingCodesSuccess:
    return ParkingCodesSuccess(parking_codes=cast(list[ParkingCodeType], rows))


def _stay(due: StayDue) -> StayToPay:
    return StayToPay(
        stay_token=due.stay_token,
        plate=due.plate,
        entry_at=due.entry_at,
        fee_fen=Fen(due.fee_fen),
        lot_id=strawberry.ID(str(due.lot_id)),
        coupon_fen=Fen(due.coupon_fen),
        coupons=[
            AppliedCouponType(
                coupon_id=strawberry.ID(str(u.coupon_id)), kind=u.kind, label=u.label, discount_fen=Fen(u.discount_fen)
            )
            for u in due.coupons
        ],
    )


def _answer(result: CouponClaimed | ExitWaiting | InLotStay | NoPlatePassage) -> Any:
    if isinstance(result, CouponClaimed):
        c = result.coupon
        coupon = ClaimedCoupon(
            code=c.code,
            kind=c.kind,
            value=c.value,
            plate=c.plate,
            lot_id=strawberry.ID(str(c.lot_id)),
            valid_until=c.valid_until,
        )
        return CodeScanCoupon(code_kind=result.kind, coupon=coupon)
    if isinstance(result, ExitWaiting):
        waiting = _stay(result.waiting) if result.waiting is not None else None
        return CodeScanExit(lane_id=strawberry.ID(str(result.lane_id)), waiting=waiting)
    if isinstance(result, InLotStay):
        return CodeScanInLot(stay=_stay(result.stay))
    decision = result.decision
    return CodeScanNoPlate(
        opened=decision.opens,
        reason=decision.reason.value,
        lines=list(decision.lines),
        fee_fen=Fen(decision.fee_fen),
        stay_token=result.stay_token,
    )


async def _within_limit(info: Info) -> bool:
    limiter = info.context.db.services.get(SCAN_LIMIT_SERVICE)
    if limiter is None:
        return True
    return await limiter.allow(info.context.client_ip, utcnow())


def _driver(info: Info) -> str | None:
    """The openid of a mini-program driver's bearer token, if the request carries one."""
    request = info.context.request
    header = request.headers.get("authorization", "") if request is not None else ""
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token:
        return info.context.driver_openid
    return read_driver_token(info.context.secret_key, token, utcnow())


@strawberry.type
class CodesMutation:
    @strawberry.mutation(
        extensions=requires_any(Perm.MERCHANTS_MANAGE, Perm.COUPONS_ISSUE),
        description=describe_any(
            "Make a parking code of a lot. No-plate codes need a lane of the lot, exit codes an exit lane; merchant "
            "codes a merchant of the lot and its template; conference codes the lot's template, maxUses (the "
            "number of plates) and a window; a VIP kind makes one VIP code (see vipCodesCreate)." + _LANE_NOTE,
            Perm.MERCHANTS_MANAGE,
            Perm.COUPONS_ISSUE,
        ),
    )
    async def parking_code_create(self, info: Info, input: inputs.ParkingCodeCreateInput) -> ParkingCodeResult:
        now = utcnow()
        return await run(info, lambda s, a: service.create_code(s, a, input.to_pydantic(), now), CodeError, _first)

    @strawberry.mutation(
        extensions=requires_any(Perm.MERCHANTS_MANAGE, Perm.COUPONS_ISSUE),
        description=describe_any(
            "Print `count` one-time VIP codes (贵宾码) of a merchant: each holds one coupon taken off the merchant's "
            "stock now (all or none). A driver's scan gives that coupon to the plate, once.",
            Perm.MERCHANTS_MANAGE,
            Perm.COUPONS_ISSUE,
        ),
    )
    async def vip_codes_create(self, info: Info, input: inputs.VipCodesCreateInput) -> ParkingCodesResult:
        now = utcnow()
        return await run(info, lambda s, a: service.create_vip_codes(s, a, input.to_pydantic(), now), CodeError, _many)

    @strawberry.mutation(
        extensions=requires_any(Perm.MERCHANTS_MANAGE, Perm.COUPONS_ISSUE),
        description=describe_any(
            "Give a code a new nonce: every printed or shared copy of the old QR code stops working." + _LANE_NOTE,
            Perm.MERCHANTS_MANAGE,
            Perm.COUPONS_ISSUE,
        ),
    )
    async def parking_code_rotate(self, info: Info, id: strawberry.ID) -> ParkingCodeResult:
        return await run(info, lambda s, a: service.rotate_code(s, a, id), CodeError, _one)

    @strawberry.mutation(
        extensions=requires_any(Perm.MERCHANTS_MANAGE, Perm.COUPONS_ISSUE),
        description=describe_any(
            "Withdraw a code for good (a VIP code's unclaimed coupon is voided)." + _LANE_NOTE,
            Perm.MERCHANTS_MANAGE,
            Perm.COUPONS_ISSUE,
        ),
    )
    async def parking_code_revoke(self, info: Info, id: strawberry.ID) -> ParkingCodeResult:
        now = utcnow()
        return await run(info, lambda s, a: service.revoke_code(s, a, id, now), CodeError, _one)

    @strawberry.mutation(
        description="A driver scanned a parking code (no login; RATE_LIMITED after too many scans from one "
        "address). Merchant, VIP and conference codes give the plate a coupon; an exit code shows the stay waiting "
        "there; an in-lot code the plate's stay and fee; a no-plate code needs the mini-program's driver token. "
        "Refusals: INVALID (forged, altered, rotated, revoked, another lot), EXPIRED, USED; nothing changes."
    )
    async def code_scan(self, info: Info, input: inputs.CodeScanInput) -> CodeScanResult:
        try:
            # Counted before anything is read: a flood from one address learns and changes nothing.
            if info.context.actor is None and not await _within_limit(info):
                raise DomainError(ErrorCode.RATE_LIMITED, text(CodeText.RATE_LIMITED))
            lot_id = parse_id(input.lot_id, "lotId") if input.lot_id is not None else None
            result = await scan_code(
                info.context.db,
                info.context.secret_key,
                input.payload,
                utcnow(),
                plate=input.plate,
                lot_id=lot_id,
                driver_key=_driver(info),
            )
        except DomainError as err:
            return error_from(err, CodeError)
        return _answer(result)
