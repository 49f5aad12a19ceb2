"""Making and changing parking codes: create (checked per kind), VIP codes in batches, rotate, revoke.

Who may: the lane and in-lot codes are the lot's (``lots.manage``); merchant, VIP and conference codes are
coupons (``merchants.manage``). Every row is read in the actor's scope, so a lane, merchant or template of
another tenant is simply not found.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from parking.accounts.permissions import Perm
from parking.codes import inputs, payloads
from parking.codes.texts import CodeText, text
from parking.common import crud
from parking.common.actor import Actor
from parking.common.errors import DomainError, ErrorCode, PermissionDenied
from parking.merchants.issuing import issue_coupon, merchant_lot_ids
from parking.merchants.models import (
    CodeKind,
    Coupon,
    CouponSource,
    CouponStatus,
    CouponTemplate,
    Merchant,
    ParkingCode,
)
from parking.tenancy.enums import LaneDirection
from parking.tenancy.models import Lane, Lot

# A standing code (lane, in-lot, merchant) without an expiry given lasts this long; rotate it to void prints.
STANDING = timedelta(days=10 * 365)
LANE_KINDS = frozenset({CodeKind.NO_PLATE, CodeKind.EXIT, CodeKind.IN_LOT})


MERCHANT_KINDS = frozenset({CodeKind.MERCHANT, CodeKind.VIP})


def permissions_for(kind: CodeKind) -> tuple[Perm, ...]:
    """Who may make and manage a code of this kind (any one of these): the lot's manager for lane codes; for a
    merchant's own codes (its standing code, its VIP codes) also the merchant's operator, who issues coupons (its
    scope holds it to its own merchant, its lots and its stock)."""
    if kind in LANE_KINDS:
        return (Perm.LOTS_MANAGE,)
    if kind in MERCHANT_KINDS:
        return (Perm.MERCHANTS_MANAGE, Perm.COUPONS_ISSUE)
    return (Perm.MERCHANTS_MANAGE,)


def may_manage(actor: Actor, kind: CodeKind) -> bool:
    return any(actor.can(permission) for permission in permissions_for(kind))


def _require(actor: Actor, kind: CodeKind) -> None:
    if not may_manage(actor, kind):
        raise PermissionDenied(permissions_for(kind)[0])


def payload_of(code: ParkingCode, secret: str) -> str:
    return payloads.sign(secret, code.id, code.nonce, code.expires_at)


def url_of(code: ParkingCode, secret: str, public_url: str) -> str:
    """What the QR code holds: the mini-program's landing page for the payload (served under ``/m/``)."""
    return f"{public_url.rstrip('/')}/m/c/{payload_of(code, secret)}"


def _refuse(key: CodeText, field: str) -> DomainError:
    return DomainError(ErrorCode.INVALID, text(key), field)


def _window(
    valid_from: datetime | None, expires_at: datetime | None, now: datetime, default: timedelta | None
) -> datetime:
    if expires_at is None:
        if default is None:
            raise _refuse(CodeText.WINDOW_INVALID, "expiresAt")
        return now + default
    if expires_at <= now or (valid_from is not None and expires_at <= valid_from):
        raise _refuse(CodeText.WINDOW_INVALID, "expiresAt")
    return expires_at


async def _lane(session: AsyncSession, lot: Lot, raw_id: str | None, kind: CodeKind) -> Lane:
    if raw_id is None:
        raise _refuse(CodeText.LANE_NEEDED, "laneId")
    lane = await session.get(Lane, crud.parse_id(raw_id, "laneId"))
    if lane is None or lane.lot_id != lot.id:
        raise _refuse(CodeText.LANE_NEEDED, "laneId")
    if kind is CodeKind.EXIT and lane.direction is not LaneDirection.EXIT:
        raise _refuse(CodeText.LANE_WRONG_DIRECTION, "laneId")
    return lane


async def _template(session: AsyncSession, raw_id: str | None, lot_ids: set[int]) -> CouponTemplate:
    if raw_id is None:
        raise _refuse(CodeText.TEMPLATE_NEEDED, "templateId")
    template = await session.get(CouponTemplate, crud.parse_id(raw_id, "templateId"))
    if template is None:
        raise _refuse(CodeText.TEMPLATE_NEEDED, "templateId")
    if template.lot_id not in lot_ids:
        raise _refuse(CodeText.TEMPLATE_OTHER_LOT, "templateId")
    if not template.is_active:
        raise DomainError(ErrorCode.INACTIVE, "the coupon template is withdrawn", "templateId")
    return template


async def _merchant(session: AsyncSession, lot: Lot, raw_id: str | None) -> Merchant:
    if raw_id is None:
        raise _refuse(CodeText.MERCHANT_NEEDED, "merchantId")
    merchant = await session.get(Merchant, crud.parse_id(raw_id, "merchantId"))
    if merchant is None or merchant.lot_id != lot.id:
        raise _refuse(CodeText.MERCHANT_NEEDED, "merchantId")
    if not merchant.is_active:
        raise DomainError(ErrorCode.INACTIVE, "the merchant is deactivated", "merchantId")
    return merchant


def _row(lot: Lot, kind: CodeKind, actor: Actor, expires_at: datetime, **fields: object) -> ParkingCode:
    return ParkingCode(
        agent_id=lot.agent_id,
        customer_id=lot.customer_id,
        lot_id=lot.id,
        kind=kind,
        nonce=payloads.new_nonce(),
        expires_at=expires_at,
        created_by_id=actor.operator_id,
        **fields,
    )


async def create_code(
    session: AsyncSession, actor: Actor, data: inputs.ParkingCodeCreate, now: datetime
) -> list[ParkingCode]:
    """One code (a VIP kind makes one VIP code holding one coupon); a list so VIP batches share the shape."""
    _require(actor, data.kind)
    lot = await crud.get(session, Lot, data.lot_id, "lotId")
    valid_from, expires_at = data.valid_from, data.expires_at
    if data.kind is CodeKind.VIP:
        merchant = await _merchant(session, lot, data.merchant_id)
        vip = inputs.VipCodesCreate(
            merchant_id=str(merchant.id),
            template_id=data.template_id or "",
            count=1,
            expires_at=_window(valid_from, expires_at, now, None),
            label=data.label,
        )
        return await create_vip_codes(session, actor, vip, now)
    fields: dict[str, object] = {"label": data.label, "valid_from": valid_from}
    if data.kind in (CodeKind.NO_PLATE, CodeKind.EXIT):
        fields["lane_id"] = (await _lane(session, lot, data.lane_id, data.kind)).id
        default: timedelta | None = STANDING
    elif data.kind is CodeKind.IN_LOT:
        default = STANDING
    elif data.kind is CodeKind.MERCHANT:
        merchant = await _merchant(session, lot, data.merchant_id)
        template = await _template(session, data.template_id, await merchant_lot_ids(session, merchant))
        fields.update(
            merchant_id=merchant.id,
            template_id=template.id,
            per_plate_per_day=data.per_plate_per_day,
            max_uses=data.max_uses,
        )
        default = STANDING
    else:  # CONFERENCE: the lot's own template, no stock, ``max_uses`` plates in its window
        template = await _template(session, data.template_id, {lot.id})
        if data.max_uses is None:
            raise _refuse(CodeText.COUNT_NEEDED, "maxUses")
        merchant_id = (await _merchant(session, lot, data.merchant_id)).id if data.merchant_id else None
        fields.update(template_id=template.id, max_uses=data.max_uses, merchant_id=merchant_id)
        default = None
    code = _row(lot, data.kind, actor, _window(valid_from, expires_at, now, default), **fields)
    return [await crud.create(session, actor, code)]


async def create_vip_codes(
    session: AsyncSession, actor: Actor, data: inputs.VipCodesCreate, now: datetime
) -> list[ParkingCode]:
    """``count`` one-time codes, each holding one coupon taken off the merchant's stock now (all or none: an
    empty stock refuses the whole batch)."""
    _require(actor, CodeKind.VIP)
    merchant = await crud.get(session, Merchant, data.merchant_id, "merchantId")
    lot = await crud.get(session, Lot, merchant.lot_id, "merchantId")
    template = await _template(session, data.template_id, await merchant_lot_ids(session, merchant))
    expires_at = _window(None, data.expires_at, now, None)
    codes = []
    for _ in range(data.count):
        code = _row(
            lot,
            CodeKind.VIP,
            actor,
            expires_at,
            label=data.label,
            merchant_id=merchant.id,
            template_id=template.id,
            max_uses=1,
        )
        code = await crud.create(session, actor, code)
        await issue_coupon(
            session,
            merchant_id=merchant.id,
            template_id=template.id,
            plate="",
            source=CouponSource.VIP,
            now=now,
            code_id=code.id,
            issued_by_id=actor.operator_id,
        )
        codes.append(code)
    return codes


async def _code(session: AsyncSession, actor: Actor, code_id: str) -> ParkingCode:
    code = await crud.get(session, ParkingCode, code_id)
    _require(actor, code.kind)
    return code


async def rotate_code(session: AsyncSession, actor: Actor, code_id: str) -> ParkingCode:
    """A new nonce: every printed or shared copy of the old payload stops working."""
    code = await _code(session, actor, code_id)
    return await crud.update(session, actor, code, {"nonce": payloads.new_nonce()})


async def revoke_code(session: AsyncSession, actor: Actor, code_id: str, now: datetime) -> ParkingCode:
    """Withdrawn for good (a VIP code's unclaimed coupon stays with the merchant's records, unusable)."""
    code = await _code(session, actor, code_id)
    if code.revoked_at is not None:
        return code
    if code.kind is CodeKind.VIP:
        # Its coupon no one claimed can no longer be claimed: withdraw it too.
        await session.execute(
            update(Coupon)
            .where(Coupon.code_id == code.id, Coupon.plate == "", Coupon.status == CouponStatus.ISSUED)
            .values(status=CouponStatus.VOID)
            .execution_options(synchronize_session=False)
        )
    return await crud.update(session, actor, code, {"revoked_at": now})
