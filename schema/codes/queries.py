"""Parking-code queries: a lot's codes, newest first."""

from __future__ import annotations

from typing import cast

import strawberry

from parking.accounts.permissions import Perm
from parking.merchants.models import CodeKind, ParkingCode
from schema.codes.types import ParkingCodeType
from schema.core import filters as flt
from schema.core.context import Info
from schema.core.listing import list_page
from schema.core.pagination import Connection, SortDirection
from schema.core.permissions import describe_any, requires_any


@strawberry.input
class ParkingCodeFilter:
    lot_id: strawberry.ID | None = None
    kind: CodeKind | None = None
    merchant_id: strawberry.ID | None = None
    include_revoked: bool = False


@strawberry.type
class CodesQuery:
    @strawberry.field(
        extensions=requires_any(Perm.MERCHANTS_MANAGE, Perm.COUPONS_ISSUE),
        description=describe_any(
            "Parking codes (停车码), newest first; revoked ones on request.", Perm.MERCHANTS_MANAGE, Perm.COUPONS_ISSUE
        ),
    )
    async def parking_codes(
        self, info: Info, filter: ParkingCodeFilter | None = None, first: int = 50, after: str | None = None
    ) -> Connection[ParkingCodeType]:
        f, m, w = filter or ParkingCodeFilter(), ParkingCode, flt.where()
        flt.equal_id(w, m.lot_id, f.lot_id, "lotId")
        flt.equal_id(w, m.merchant_id, f.merchant_id, "merchantId")
        flt.equal(w, m.kind, f.kind)
        if not f.include_revoked:
            w.append(m.revoked_at.is_(None))
        page = await list_page(info, m, w, m.created_at, SortDirection.DESC, first, after)
        return cast(Connection[ParkingCodeType], page)
