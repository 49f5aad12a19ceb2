"""Scanning codes (the domain's ``scan_code``): what each kind gives, and every refusal changes nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest

from parking.accounts.permissions import Perm
from parking.code_scan import CouponClaimed, ExitWaiting, InLotStay, NoPlatePassage, scan_code
from parking.codes import inputs, payloads, service
from parking.common.actor import Actor
from parking.common.database import Database
from parking.common.errors import DomainError, ErrorCode, PermissionDenied
from parking.common.scope import Scope
from parking.merchants.models import CodeKind, CouponSource, CouponStatus
from parking.plates import NO_PLATE
from tests.api.helpers import dump
from tests.codes.helpers import (
    SYSTEM,
    add_shop,
    code_row,
    coupons,
    make_code,
    make_vip,
    payload,
    stock_left,
)
from tests.factories import SECRET
from tests.lanes.site import T0, build_site

pytestmark = pytest.mark.anyio
NOW = T0 + timedelta(hours=3)


async def refused(db: Database, raw: str, code: ErrorCode, **kw: object) -> str:
    """The refusal of a scan, after checking it changed no row of any table."""
    before = await dump(db)
    with pytest.raises(DomainError) as err:
        await scan_code(db, SECRET, raw, kw.pop("now", NOW), **kw)  # type: ignore[arg-type]
    assert err.value.code is code, err.value.message
    assert await dump(db) == before
    return err.value.message


async def test_a_merchant_code_gives_each_plate_a_coupon_from_the_merchants_stock(db: Database) -> None:
    site = await build_site(db)
    shop = await add_shop(site, stock=5)
    code = await make_code(
        db,
        site.lot_id,
        CodeKind.MERCHANT,
        NOW,
        merchant_id=shop.merchant_id,
        template_id=shop.template_id,
        per_plate_per_day=1,
    )
    result = await scan_code(db, SECRET, payload(code), NOW, plate="粤B12345")
    assert isinstance(result, CouponClaimed)
    coupon = result.coupon
    assert (coupon.plate, coupon.source, coupon.code_id) == ("粤B12345", CouponSource.CLAIM, code.id)
    assert await stock_left(db, shop.stock_id) == 4
    # The code's limit per plate and day: the same plate again is refused, another plate is not.
    message = await refused(db, payload(code), ErrorCode.CONFLICT, plate="粤B12345")
    assert "今日" in message
    await scan_code(db, SECRET, payload(code), NOW, plate="粤B99999")
    assert await stock_left(db, shop.stock_id) == 3


async def test_a_vip_code_gives_its_coupon_once(db: Database) -> None:
    site = await build_site(db)
    shop = await add_shop(site, stock=5)
    first, second = await make_vip(db, shop, 2, NOW)
    # Taken off the stock when printed, each held by its code without a plate.
    assert await stock_left(db, shop.stock_id) == 3
    held = await coupons(db, plate="")
    assert sorted(c.code_id or 0 for c in held) == sorted([first.id, second.id])
    claimed = await scan_code(db, SECRET, payload(first), NOW + timedelta(days=2), plate="京A12345")
    assert isinstance(claimed, CouponClaimed)
    assert claimed.coupon.plate == "京A12345"
    assert claimed.coupon.valid_from == NOW + timedelta(days=2)  # its time runs from the claim
    assert (await code_row(db, first.id)).used_count == 1
    # Replayed, by anyone: used.
    message = await refused(db, payload(first), ErrorCode.USED, plate="京B54321", now=NOW + timedelta(days=2))
    assert message == "二维码已被使用"
    assert [c.plate for c in await coupons(db, code_id=first.id)] == ["京A12345"]
    assert await stock_left(db, shop.stock_id) == 3


async def test_a_conference_code_registers_up_to_its_count_of_plates(db: Database) -> None:
    site = await build_site(db)
    shop = await add_shop(site, stock=1)
    code = await make_code(
        db,
        site.lot_id,
        CodeKind.CONFERENCE,
        NOW,
        template_id=shop.template_id,
        max_uses=2,
        valid_from=NOW - timedelta(hours=1),
        expires_at=NOW + timedelta(days=1),
    )
    for plate in ("沪A11111", "沪A22222"):
        result = await scan_code(db, SECRET, payload(code), NOW, plate=plate)
        assert isinstance(result, CouponClaimed)
        assert result.coupon.source is CouponSource.CONFERENCE
        assert result.coupon.stock_id is None
    await refused(db, payload(code), ErrorCode.USED, plate="沪A33333")
    # Issued without stock: the merchant's pack is untouched.
    assert await stock_left(db, shop.stock_id) == 1


async def test_a_conference_plate_registers_once(db: Database) -> None:
    site = await build_site(db)
    shop = await add_shop(site)
    code = await make_code(
        db,
        site.lot_id,
        CodeKind.CONFERENCE,
        NOW,
        template_id=shop.template_id,
        max_uses=5,
        expires_at=NOW + timedelta(days=1),
    )
    await scan_code(db, SECRET, payload(code), NOW, plate="沪A11111")
    await refused(db, payload(code), ErrorCode.CONFLICT, plate="沪A11111")


async def test_forged_altered_rotated_revoked_expired_and_early_codes_are_refused(db: Database) -> None:
    site = await build_site(db)
    shop = await add_shop(site)
    args = {"merchant_id": shop.merchant_id, "template_id": shop.template_id}
    code = await make_code(db, site.lot_id, CodeKind.MERCHANT, NOW, expires_at=NOW + timedelta(days=1), **args)
    good = payload(code)
    forged = payloads.sign("not-our-secret", code.id, code.nonce, code.expires_at)
    assert await refused(db, forged, ErrorCode.INVALID, plate="粤B12345") == "二维码无效，请扫描停车场张贴的二维码"
    altered = good.replace(good.split(".")[0], payloads._base36(code.id + 1), 1)
    await refused(db, altered, ErrorCode.INVALID, plate="粤B12345")
    # Expired: by the payload's expiry and the row's.
    await refused(db, good, ErrorCode.EXPIRED, plate="粤B12345", now=NOW + timedelta(days=2))
    early = await make_code(
        db,
        site.lot_id,
        CodeKind.MERCHANT,
        NOW,
        valid_from=NOW + timedelta(hours=1),
        expires_at=NOW + timedelta(days=1),
        **args,
    )
    assert await refused(db, payload(early), ErrorCode.EXPIRED, plate="粤B12345") == "二维码尚未到使用时间"
    # Rotated: the old print stops working, the new payload works.
    async with db.transaction(Scope.internal()) as s:
        rotated = await service.rotate_code(s, SYSTEM, str(code.id))
    assert await refused(db, good, ErrorCode.INVALID, plate="粤B12345") == "二维码已更换，请扫描最新的二维码"
    assert isinstance(await scan_code(db, SECRET, payload(rotated), NOW, plate="粤B12345"), CouponClaimed)
    # Revoked: withdrawn for good.
    async with db.transaction(Scope.internal()) as s:
        await service.revoke_code(s, SYSTEM, str(code.id), NOW)
    assert await refused(db, payload(rotated), ErrorCode.INVALID, plate="粤B12345") == "二维码已停用"


async def test_a_revoked_vip_code_voids_its_unclaimed_coupon(db: Database) -> None:
    site = await build_site(db)
    shop = await add_shop(site)
    (vip,) = await make_vip(db, shop, 1, NOW)
    async with db.transaction(Scope.internal()) as s:
        await service.revoke_code(s, SYSTEM, str(vip.id), NOW)
    assert [c.status for c in await coupons(db, code_id=vip.id)] == [CouponStatus.VOID]
    await refused(db, payload(vip), ErrorCode.INVALID, plate="京A12345")


async def test_an_in_lot_code_shows_the_plates_stay_and_fee_in_its_own_lot_only(db: Database) -> None:
    site_a = await build_site(db)
    site_b = await build_site(db, same_customer_as=site_a)
    await site_a.read("in", "粤B12345", T0)
    code_a = await make_code(db, site_a.lot_id, CodeKind.IN_LOT, NOW)
    code_b = await make_code(db, site_b.lot_id, CodeKind.IN_LOT, NOW)
    result = await scan_code(db, SECRET, payload(code_a), NOW, plate="粤B12345")
    assert isinstance(result, InLotStay)
    assert result.stay.plate == "粤B12345"
    assert result.stay.fee_fen == 1200  # 3 h of 2 元 per 30 min
    assert result.stay.stay_token
    # The plate's stay is at lot A: lot B's in-lot code finds nothing; naming lot B with A's code is refused.
    await refused(db, payload(code_b), ErrorCode.NOT_FOUND, plate="粤B12345")
    assert await refused(db, payload(code_a), ErrorCode.INVALID, plate="粤B12345", lot_id=site_b.lot_id) == (
        "该二维码不属于本停车场"
    )
    await refused(db, payload(code_a), ErrorCode.INVALID, plate="")


async def test_coupon_codes_count_only_at_the_codes_lots(db: Database) -> None:
    site_a = await build_site(db)
    site_b = await build_site(db, same_customer_as=site_a)
    shop = await add_shop(site_a)
    code = await make_code(
        db, site_a.lot_id, CodeKind.MERCHANT, NOW, merchant_id=shop.merchant_id, template_id=shop.template_id
    )
    await refused(db, payload(code), ErrorCode.INVALID, plate="粤B12345", lot_id=site_b.lot_id)
    result = await scan_code(db, SECRET, payload(code), NOW, plate="粤B12345", lot_id=site_a.lot_id)
    assert isinstance(result, CouponClaimed)
    assert result.coupon.lot_id == site_a.lot_id


async def test_an_exit_code_shows_the_stay_waiting_at_its_exit(db: Database) -> None:
    site = await build_site(db)
    code = await make_code(db, site.lot_id, CodeKind.EXIT, NOW, lane_id=site.ids["out"])
    idle = await scan_code(db, SECRET, payload(code), NOW)
    assert idle == ExitWaiting(lane_id=site.ids["out"], waiting=None)
    await site.read("in", "粤B12345", T0)
    held = await site.read("out", "粤B12345", NOW)
    assert not held.decision.opens
    result = await scan_code(db, SECRET, payload(code), NOW)
    assert isinstance(result, ExitWaiting)
    assert result.waiting is not None
    assert result.waiting.plate == "粤B·***45"
    assert result.waiting.fee_fen == 1200


async def test_a_no_plate_code_needs_a_driver_and_lets_the_car_in(db: Database) -> None:
    site = await build_site(db)
    code = await make_code(db, site.lot_id, CodeKind.NO_PLATE, NOW, lane_id=site.ids["in"])
    assert await refused(db, payload(code), ErrorCode.INVALID) == "请在微信小程序中扫码通行"
    await site.read("in", NO_PLATE, NOW)
    result = await scan_code(db, SECRET, payload(code), NOW, driver_key="o-driver-1")
    assert isinstance(result, NoPlatePassage)
    assert result.decision.opens
    assert result.stay_token is not None


@pytest.mark.parametrize(
    ("kind", "fields", "field"),
    [
        (CodeKind.EXIT, {"lane_id": "in"}, "laneId"),  # an entry lane
        (CodeKind.NO_PLATE, {}, "laneId"),
        (CodeKind.MERCHANT, {"template": True}, "merchantId"),
        (CodeKind.CONFERENCE, {"template": True, "expires": True}, "maxUses"),
        (CodeKind.CONFERENCE, {"template": True, "max_uses": 3}, "expiresAt"),
    ],
)
async def test_a_code_is_made_only_with_what_its_kind_needs(
    db: Database, kind: CodeKind, fields: dict[str, object], field: str
) -> None:
    site = await build_site(db)
    shop = await add_shop(site)
    given: dict[str, object] = {}
    if "lane_id" in fields:
        given["lane_id"] = site.ids[str(fields["lane_id"])]
    if fields.get("template"):
        given["template_id"] = shop.template_id
    if fields.get("expires"):
        given["expires_at"] = NOW + timedelta(days=1)
    if "max_uses" in fields:
        given["max_uses"] = fields["max_uses"]
    before = await dump(db)
    with pytest.raises(DomainError) as err:
        await make_code(db, site.lot_id, kind, NOW, **given)
    assert (err.value.code, err.value.field) == (ErrorCode.INVALID, field)
    assert await dump(db) == before


async def test_an_empty_stock_or_a_bad_plate_is_told_in_chinese_and_changes_nothing(db: Database) -> None:
    site = await build_site(db)
    shop = await add_shop(site, stock=1)
    code = await make_code(
        db, site.lot_id, CodeKind.MERCHANT, NOW, merchant_id=shop.merchant_id, template_id=shop.template_id
    )
    assert await refused(db, payload(code), ErrorCode.INVALID, plate="not a plate") == "车牌号不正确，请检查后重新输入"
    await scan_code(db, SECRET, payload(code), NOW, plate="粤B12345")
    message = await refused(db, payload(code), ErrorCode.INSUFFICIENT_FUNDS, plate="粤B99999")
    assert message == "商家的停车优惠券已发完"
    assert (await code_row(db, code.id)).used_count == 1


async def test_lane_codes_also_need_lots_manage(db: Database) -> None:
    site = await build_site(db)
    merchants_only = Actor(name="finance", scope=Scope.platform(), permissions=frozenset({Perm.MERCHANTS_MANAGE}))
    data = inputs.ParkingCodeCreate(lot_id=str(site.lot_id), kind=CodeKind.IN_LOT)
    before = await dump(db)
    with pytest.raises(PermissionDenied):
        async with db.transaction(Scope.platform()) as s:
            await service.create_code(s, merchants_only, data, NOW)
    assert await dump(db) == before
