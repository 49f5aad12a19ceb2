"""Issuing one coupon: take it off a merchant's stock of a template and give it to a plate.

Every way a coupon reaches a plate ends here (a merchant issuing, a driver claiming with the merchant's code, a
printed VIP code, a conference code, the lot itself), so the limits are checked in one place. The stock goes down
by a conditional update (``remaining > 0``): under any number of concurrent issues, the last coupon of a pack is
issued exactly once and the others are told the stock is empty.

An issue is a hot path (a busy mall's shops issue all day), so it costs two statements on PostgreSQL: one scoped
read of the merchant's and template's columns, then one statement of data-modifying CTEs that takes the coupon
off the stock, inserts it and, for an audited issue, its audit entry. SQLite, which has no such CTEs, gets the
writes one by one. The writes are Core statements, prebuilt once, on the session's connection: no ORM flush, and
the returned ``Coupon`` is put in the session as already persistent. They run below the ORM's scope filter but
name only what the scoped read has shown: the merchant and the template (a stock belongs to its merchant and to
its template's lot), so an operator still issues only inside its scope.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import Any, Protocol, cast
from zoneinfo import ZoneInfo

from sqlalchemy import Executable, Table, bindparam, func, insert, literal_column, select, update
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession
from sqlalchemy.orm import make_transient_to_detached

from parking.common.actor import Actor
from parking.common.audit import AuditEntry, entry_values, snapshot
from parking.common.db import utcnow
from parking.common.errors import DomainError, ErrorCode, NotFound
from parking.merchants.events import CouponIssued, announce
from parking.merchants.models import (
    Coupon,
    CouponKind,
    CouponSource,
    CouponStatus,
    CouponStock,
    CouponTemplate,
    Merchant,
    MerchantLot,
)
from parking.plates import InvalidPlate, normalize_plate
from parking.tenancy.models import Lot

# A stock row another issue just emptied is skipped; after this many, the merchant's stock is empty.
_STOCK_TRIES = 5


def new_coupon_code() -> str:
    """A coupon's number: short enough to read out, too many to guess (40 bits)."""
    return "C" + secrets.token_hex(5).upper()


async def merchant_lot_ids(session: AsyncSession, merchant: Merchant) -> set[int]:
    """The lots where the merchant's coupons count: its home lot and its other lots."""
    return await lots_of_merchant(session, merchant.id, merchant.lot_id)


async def lots_of_merchant(session: AsyncSession, merchant_id: int, home_lot_id: int) -> set[int]:
    """``merchant_lot_ids`` by the merchant's id and home lot."""
    others = await session.scalars(select(MerchantLot.lot_id).where(MerchantLot.merchant_id == merchant_id))
    return {home_lot_id, *others}


class TemplateTerms(Protocol):
    """What a coupon copies from its template: a ``CouponTemplate``, or its columns as read for an issue."""

    @property
    def id(self) -> int: ...
    @property
    def agent_id(self) -> int: ...
    @property
    def customer_id(self) -> int: ...
    @property
    def lot_id(self) -> int: ...
    @property
    def kind(self) -> CouponKind: ...
    @property
    def value(self) -> int: ...
    @property
    def max_per_stay(self) -> int: ...
    @property
    def stackable(self) -> bool: ...
    @property
    def valid_minutes(self) -> int: ...


@dataclass(frozen=True, slots=True)
class _Offer:
    """The merchant's and the template's columns an issue needs, read in one scoped statement."""

    merchant_active: bool
    merchant_lot_id: int
    id: int  # the template's
    agent_id: int
    customer_id: int
    lot_id: int
    kind: CouponKind
    value: int
    max_per_stay: int
    stackable: bool
    valid_minutes: int
    sell_from: datetime | None
    sell_until: datetime | None
    max_per_plate_per_day: int | None
    is_active: bool  # the template's


_OFFER_COLUMNS = (  # labelled as _Offer's fields
    Merchant.is_active.label("merchant_active"),
    Merchant.lot_id.label("merchant_lot_id"),
    CouponTemplate.id,
    CouponTemplate.agent_id,
    CouponTemplate.customer_id,
    CouponTemplate.lot_id,
    CouponTemplate.kind,
    CouponTemplate.value,
    CouponTemplate.max_per_stay,
    CouponTemplate.stackable,
    CouponTemplate.valid_minutes,
    CouponTemplate.sell_from,
    CouponTemplate.sell_until,
    CouponTemplate.max_per_plate_per_day,
    CouponTemplate.is_active,
)


def _plate(raw: str, *, allow_blank: bool) -> str:
    if not raw and allow_blank:
        return ""
    try:
        return normalize_plate(raw)
    except InvalidPlate as err:
        raise DomainError(ErrorCode.INVALID, "not a valid plate", "plate") from err


async def _check_offer(session: AsyncSession, merchant_id: int, offer: _Offer, now: datetime) -> None:
    if not offer.merchant_active:
        raise DomainError(ErrorCode.INACTIVE, "the merchant is deactivated", "merchantId")
    if not offer.is_active:
        raise DomainError(ErrorCode.INACTIVE, "the coupon template is withdrawn", "templateId")
    # The home lot needs no query (most issues); another lot must be one of the merchant's.
    if offer.lot_id != offer.merchant_lot_id and offer.lot_id not in await lots_of_merchant(
        session, merchant_id, offer.merchant_lot_id
    ):
        raise DomainError(ErrorCode.INVALID, "the template belongs to a lot the merchant is not in", "templateId")
    if (offer.sell_from is not None and now < offer.sell_from) or (
        offer.sell_until is not None and now >= offer.sell_until
    ):
        raise DomainError(ErrorCode.INACTIVE, "the coupon template cannot be issued now", "templateId")


async def _check_plate_limit(session: AsyncSession, offer: _Offer, plate: str, now: datetime) -> None:
    """At most ``max_per_plate_per_day`` coupons of the template to one plate in one of the lot's days."""
    if offer.max_per_plate_per_day is None or not plate:
        return
    timezone = await session.scalar(select(Lot.timezone).where(Lot.id == offer.lot_id)) or "Asia/Shanghai"
    local = now.astimezone(ZoneInfo(timezone))
    day_start = local.replace(hour=0, minute=0, second=0, microsecond=0)
    issued = await session.scalar(
        select(func.count())
        .select_from(Coupon)
        .where(Coupon.template_id == offer.id, Coupon.plate == plate, Coupon.created_at >= day_start)
    )
    if (issued or 0) >= offer.max_per_plate_per_day:
        raise DomainError(ErrorCode.CONFLICT, "this plate has had today's coupons of this kind", "plate")


def _oldest_stock(merchant_id: int, template_id: int) -> Any:
    """The merchant's oldest non-empty stock of the template (ORM: filtered by the session's scope)."""
    return (
        select(CouponStock.id)
        .where(
            CouponStock.merchant_id == merchant_id,
            CouponStock.template_id == template_id,
            CouponStock.remaining > 0,
        )
        .order_by(CouponStock.id)
        .limit(1)
        .scalar_subquery()
    )


async def _stock_left(session: AsyncSession, merchant_id: int, template_id: int) -> bool:
    """Whether a take that got nothing was merely raced (another stock still has coupons) or the stock is empty."""
    return bool(await session.scalar(select(_oldest_stock(merchant_id, template_id).exists())))


def _empty() -> DomainError:
    return DomainError(ErrorCode.INSUFFICIENT_FUNDS, "no coupons of this kind left in stock", "templateId")


def coupon_of(
    template: TemplateTerms,
    *,
    merchant_id: int | None,
    plate: str,
    source: CouponSource,
    now: datetime,
    stock_id: int | None = None,
    code_id: int | None = None,
    issued_by_id: int | None = None,
) -> Coupon:
    """A new coupon with the template's terms copied (a later edit of the template changes no issued coupon).

    Every column but the id is set, so the row can be written by Core and the object read without a refresh."""
    stamp = utcnow()  # what the ``Timestamps`` defaults would stamp at the flush: the wall clock
    return Coupon(
        agent_id=template.agent_id,
        customer_id=template.customer_id,
        lot_id=template.lot_id,
        merchant_id=merchant_id,
        template_id=template.id,
        stock_id=stock_id,
        code_id=code_id,
        code=new_coupon_code(),
        source=source,
        kind=template.kind,
        value=template.value,
        max_per_stay=template.max_per_stay,
        stackable=template.stackable,
        status=CouponStatus.ISSUED,
        plate=plate,
        valid_from=now,
        valid_until=now + timedelta(minutes=template.valid_minutes),
        session_id=None,
        redeemed_at=None,
        discount_fen=0,
        issued_by_id=issued_by_id,
        created_at=stamp,
        updated_at=stamp,
    )


@cache
def _offer_query() -> Any:
    """The merchant's and template's columns, prebuilt (the scope's criteria are added per session)."""
    return (
        select(*_OFFER_COLUMNS)
        .join(CouponTemplate, CouponTemplate.id == bindparam("template_id"))  # a join, not a cartesian product
        .where(Merchant.id == bindparam("merchant_id"))
    )


async def _offer(session: AsyncSession, merchant_id: int, template_id: int) -> _Offer:
    """The merchant's and template's columns in one scoped read; which one is missing only when one is."""
    params = {"merchant_id": merchant_id, "template_id": template_id}
    row = (await session.execute(_offer_query(), params)).first()
    if row is not None:
        return _Offer(**row._asdict())
    if await session.get(Merchant, merchant_id) is None:
        raise NotFound("Merchant", "merchantId")
    raise NotFound("CouponTemplate", "templateId")


# The writes, as Core on the tables (prebuilt: building them per issue costs more than running them).
_stocks = cast(Table, CouponStock.__table__)
_coupons = cast(Table, Coupon.__table__)
_audit = cast(Table, AuditEntry.__table__)
_COUPON_COLUMNS = tuple(c for c in _coupons.c if c.key != "id")
_AUDIT_COLUMNS = tuple(c for c in _audit.c if c.key != "id")


def _take() -> Any:
    """Take one coupon off the merchant's oldest non-empty stock of the template, returning the stock's id.

    One conditional update picks and decrements the stock, so two issues racing for the last coupon cannot both get
    it: the loser's update matches no row (PostgreSQL re-checks ``remaining > 0`` after the winner commits) and it
    tries the next stock.
    """
    oldest = (
        select(_stocks.c.id)
        .where(
            _stocks.c.merchant_id == bindparam("s_merchant_id"),
            _stocks.c.template_id == bindparam("s_template_id"),
            _stocks.c.lot_id == bindparam("s_lot_id"),
            _stocks.c.remaining > 0,
        )
        .order_by(_stocks.c.id)
        .limit(1)
        .scalar_subquery()
    )
    return (
        update(_stocks)
        .where(_stocks.c.id == oldest, _stocks.c.remaining > 0)
        .values(remaining=_stocks.c.remaining - 1, updated_at=bindparam("s_stamp"))
        .returning(_stocks.c.id)
    )


@cache
def _take_alone() -> Executable:
    return cast(Executable, _take())


@cache
def _coupon_insert() -> Executable:
    return cast(Executable, insert(_coupons).returning(_coupons.c.id))


@cache
def _audit_insert() -> Executable:
    return cast(Executable, insert(_audit))


@cache
def _combined(audited: bool) -> Executable:
    """PostgreSQL: take, insert the coupon with the stock's id and (``audited``) its audit entry with the coupon's
    id, in one statement; no row when no stock had a coupon left. The audit entry's ``after`` is the coupon as
    written: the snapshot made before the ids were known, with them added."""
    taken = _take().cte("taken")
    values = [taken.c.id if c.key == "stock_id" else bindparam(f"c_{c.key}", type_=c.type) for c in _COUPON_COLUMNS]
    coupon = (
        insert(_coupons)
        .from_select(list(_COUPON_COLUMNS), select(*values).select_from(taken))
        .returning(_coupons.c.id, _coupons.c.stock_id)
        .cte("coupon")
    )
    stmt = select(coupon.c.id, coupon.c.stock_id)
    if audited:
        ids = func.jsonb_build_object(
            literal_column("'id'"), coupon.c.id, literal_column("'stock_id'"), coupon.c.stock_id
        )
        after = bindparam("a_after", type_=JSONB).op("||", return_type=JSONB)(ids)
        entry = [
            coupon.c.id
            if c.key == "entity_id"
            else after
            if c.key == "after"
            else bindparam(f"a_{c.key}", type_=c.type)
            for c in _AUDIT_COLUMNS
        ]
        audit = (
            insert(_audit)
            .from_select(list(_AUDIT_COLUMNS), select(*entry).select_from(coupon))
            .returning(_audit.c.id)
            .cte("audit")
        )
        stmt = stmt.add_cte(audit)
    return cast(Executable, stmt)


def _row_of(coupon: Coupon) -> dict[str, Any]:
    return {c.key: getattr(coupon, c.key) for c in _COUPON_COLUMNS}


async def _write_postgres(
    conn: AsyncConnection, coupon: Coupon, take: dict[str, Any], audit: dict[str, Any] | None
) -> bool:
    params = {**take, **{f"c_{key}": value for key, value in _row_of(coupon).items()}}
    if audit is not None:
        params.update({f"a_{key}": value for key, value in audit.items()})
    row = (await conn.execute(_combined(audit is not None), params)).first()
    if row is None:
        return False
    coupon.id, coupon.stock_id = int(row[0]), int(row[1])
    return True


async def _write_one_by_one(
    conn: AsyncConnection, coupon: Coupon, take: dict[str, Any], audit: dict[str, Any] | None
) -> bool:
    stock_id = await conn.scalar(_take_alone(), take)
    if stock_id is None:
        return False
    coupon.stock_id = int(stock_id)
    coupon.id = int(await conn.scalar(_coupon_insert(), _row_of(coupon)))
    if audit is not None:
        await conn.execute(_audit_insert(), {**audit, "entity_id": coupon.id, "after": snapshot(coupon)})
    return True


async def issue_coupon(
    session: AsyncSession,
    *,
    merchant_id: int,
    template_id: int,
    plate: str,
    source: CouponSource,
    now: datetime,
    code_id: int | None = None,
    issued_by_id: int | None = None,
    audited_by: Actor | None = None,
) -> Coupon:
    """Issue one coupon of the template from the merchant's stock to ``plate`` ("" only for a VIP code's coupon,
    which a driver claims later). Raises DomainError (nothing changed) when the merchant, template, plate, a
    limit or the stock says no. With ``audited_by``, the audit log records the issue (``coupon.issue``, the
    coupon as written) in the same statement as the coupon."""
    offer = await _offer(session, merchant_id, template_id)
    plate = _plate(plate, allow_blank=source is CouponSource.VIP)
    await _check_offer(session, merchant_id, offer, now)
    await _check_plate_limit(session, offer, plate, now)
    coupon = coupon_of(
        offer,
        merchant_id=merchant_id,
        plate=plate,
        source=source,
        now=now,
        code_id=code_id,
        issued_by_id=issued_by_id,
    )
    take = {
        "s_merchant_id": merchant_id,
        "s_template_id": offer.id,
        "s_lot_id": offer.lot_id,
        "s_stamp": coupon.created_at,
    }
    audit = None
    if audited_by is not None:
        audit = entry_values(audited_by, "coupon.issue", "coupon", entity_id=None, after=snapshot(coupon), tenant=offer)
    conn = await session.connection()
    write = _write_postgres if conn.dialect.name == "postgresql" else _write_one_by_one
    for _ in range(_STOCK_TRIES):
        if await write(conn, coupon, take, audit):
            break
        if not await _stock_left(session, merchant_id, offer.id):
            raise _empty()
    else:
        raise _empty()
    # The row is written: the object joins the session as loaded from it (nothing to flush, nothing to refresh).
    make_transient_to_detached(coupon)
    session.add(coupon)
    announce(session, CouponIssued.of(coupon))
    return coupon
