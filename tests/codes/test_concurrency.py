"""Codes under concurrent scans on PostgreSQL: the conditional counts hold however the scans interleave."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from parking.code_scan import CouponClaimed, scan_code
from parking.common.database import Database
from parking.common.errors import DomainError, ErrorCode
from parking.merchants.models import CodeKind
from tests.codes.helpers import add_shop, code_row, coupons, make_code, make_vip, payload, stock_left
from tests.factories import SECRET
from tests.lanes.site import T0, build_site

pytestmark = [pytest.mark.anyio, pytest.mark.parametrize("backend", ["postgres"], indirect=True)]
NOW = T0 + timedelta(hours=1)


async def _scan_all(db: Database, raw: str, plates: list[str]) -> list[CouponClaimed | DomainError]:
    async def one(plate: str) -> CouponClaimed | DomainError:
        try:
            result = await scan_code(db, SECRET, raw, NOW, plate=plate)
        except DomainError as err:
            return err
        assert isinstance(result, CouponClaimed)
        return result

    return list(await asyncio.gather(*(one(p) for p in plates)))


async def test_a_vip_code_scanned_20_times_at_once_is_claimed_exactly_once(db: Database) -> None:
    site = await build_site(db)
    shop = await add_shop(site, stock=3)
    (vip,) = await make_vip(db, shop, 1, NOW)
    plates = [f"京A{n:05d}" for n in range(20)]
    results = await _scan_all(db, payload(vip), plates)
    won = [r for r in results if isinstance(r, CouponClaimed)]
    assert len(won) == 1
    assert {r.code for r in results if isinstance(r, DomainError)} == {ErrorCode.USED}
    (coupon,) = await coupons(db, code_id=vip.id)
    assert coupon.plate == won[0].coupon.plate
    assert (await code_row(db, vip.id)).used_count == 1
    assert await stock_left(db, shop.stock_id) == 2


async def test_a_conference_code_of_3_scanned_by_10_plates_at_once_gives_exactly_3_coupons(db: Database) -> None:
    site = await build_site(db)
    shop = await add_shop(site)
    code = await make_code(
        db,
        site.lot_id,
        CodeKind.CONFERENCE,
        NOW,
        template_id=shop.template_id,
        max_uses=3,
        expires_at=NOW + timedelta(days=1),
    )
    results = await _scan_all(db, payload(code), [f"沪A{n:05d}" for n in range(10)])
    assert sum(isinstance(r, CouponClaimed) for r in results) == 3
    assert {r.code for r in results if isinstance(r, DomainError)} == {ErrorCode.USED}
    assert len(await coupons(db, code_id=code.id)) == 3
    assert (await code_row(db, code.id)).used_count == 3
