"""The statements a lane decision costs through the camera push endpoint, with the process's caches warm as they
are in service: an entry, an exit with nothing to pay, and an exit held for its fee. Pinned in
tests/query_counts/pinned.py; the same with 2 stays, events and alarms per list as with 5."""

from __future__ import annotations

import itertools
from datetime import timedelta

import httpx
import pytest

from hardware.cameras import CameraProtocol, CameraReading, PlateColorName, vzenith
from parking.common.database import Database
from parking.common.db import utcnow
from parking.devices.cache import DeviceCache
from parking.devices.gate_relay import GateRelay
from parking.devices.wakeup import Wakeups
from parking.lanes.sites import SiteCache
from parking.merchants.models import CouponKind
from tests.coupons.helpers import give
from tests.query_counts.counting import check, statements
from tests.query_counts.seed import Seeded, add_rows, seed_lot

pytestmark = pytest.mark.anyio
_plate_ids = itertools.count(1)


@pytest.fixture(autouse=True)
def _caches_hold(monkeypatch: pytest.MonkeyPatch) -> None:
    """The process's caches (site, device, gate relay, camera wake-up hints) keep what they hold for the whole
    test: expiring on the machine's clock, they would make the count depend on how fast the machine runs the
    test. Set before the app (the ``client`` fixture) makes them.

    So every open leaves its lane a wake-up hint that no camera poll takes here, and each reading at that lane
    first looks for an open queued for its car (the first statement of each decision)."""

    def still() -> float:
        return 0.0

    for cache in (SiteCache, DeviceCache):
        ttl, _clock = cache.__init__.__defaults__ or ()
        monkeypatch.setattr(cache.__init__, "__defaults__", (ttl, still))
    monkeypatch.setattr(Wakeups.__init__, "__defaults__", (still,))
    monkeypatch.setattr(
        GateRelay.__init__, "__kwdefaults__", {**(GateRelay.__init__.__kwdefaults__ or {}), "clock": still}
    )


async def _push(client: httpx.AsyncClient, seeded: Seeded, lane: str, plate: str) -> vzenith.DecodedReply:
    """A live Vzenith reading of ``plate`` by the camera of ``lane``, as the camera posts it."""
    serial = next(serial for serial in seeded.site.secrets if serial.rsplit("-", 1)[1] == lane)
    body = vzenith.encode_push(
        CameraReading(
            protocol=CameraProtocol.VZENITH,
            serial=serial,
            plate_text=plate,
            color=PlateColorName.BLUE,
            confidence=0.95,
            taken_at=utcnow(),
            camera_plate_id=next(_plate_ids),
            full_image=b"\xff\xd8jpeg",
        )
    )
    response = await client.post(
        f"/devices/vzenith/push?key={seeded.site.secrets[serial]}",
        content=body,
        headers={"content-type": "application/json"},
    )
    assert response.status_code == 200, response.text
    return vzenith.decode_reply(response.content)


async def _decisions(client: httpx.AsyncClient, seeded: Seeded, run: int) -> dict[str, list[str]]:
    site = seeded.site
    owing = f"京L{run:04d}W"
    await site.read("in", owing, utcnow() - timedelta(hours=1))
    # Two cars in and out first: the site, device and camera clock caches then hold the lot as in service (a
    # camera's first push finds it not online yet, so only its second is remembered as it is).
    for warm in "XZ":
        await _push(client, seeded, "in", f"京L{run:04d}{warm}")
        await _push(client, seeded, "out", f"京L{run:04d}{warm}")
    seen: dict[str, list[str]] = {}
    with statements(site.db) as seen["lane_entry"]:
        assert (await _push(client, seeded, "in", f"京L{run:04d}Y")).open
    with statements(site.db) as seen["lane_exit_nothing_due"]:
        assert (await _push(client, seeded, "out", f"京L{run:04d}Y")).open
    with statements(site.db) as seen["lane_exit_held_for_fee"]:
        assert not (await _push(client, seeded, "out", owing)).open
    return seen


async def test_a_lane_decision_costs_its_pinned_statements_whatever_the_rows(
    db: Database, client: httpx.AsyncClient, backend: str
) -> None:
    seeded = await seed_lot(db)
    await add_rows(seeded, 0, 2)
    few = await _decisions(client, seeded, 0)
    await add_rows(seeded, 2, 5)
    many = await _decisions(client, seeded, 1)
    for name in few:
        check(name, backend, few[name], many[name])


async def _coupon_exit(client: httpx.AsyncClient, seeded: Seeded, run: int) -> list[str]:
    site = seeded.site
    plate = f"京L{run:04d}C"
    await site.read("in", plate, utcnow() - timedelta(hours=1))
    await give(site, plate, CouponKind.FULL, 0, utcnow() - timedelta(minutes=30))
    for warm in "XZ":
        await _push(client, seeded, "in", f"京L{run:04d}{warm}")
        await _push(client, seeded, "out", f"京L{run:04d}{warm}")
    with statements(site.db) as seen:
        assert (await _push(client, seeded, "out", plate)).open
    return seen


async def test_an_exit_paid_by_a_coupon_costs_the_coupon_query_and_its_redemption(
    db: Database, client: httpx.AsyncClient, backend: str
) -> None:
    # At a lot with coupons every exit reads the plate's coupons (one query); an exit that uses one redeems it
    # (one conditional UPDATE). Lots without coupons skip both (lane_exit_nothing_due).
    seeded = await seed_lot(db)
    await add_rows(seeded, 0, 2)
    few = await _coupon_exit(client, seeded, 0)
    await add_rows(seeded, 2, 5)
    many = await _coupon_exit(client, seeded, 1)
    check("lane_exit_paid_by_coupon", backend, few, many)
