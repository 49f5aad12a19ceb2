"""``parkcloud purge [--dry-run]``, ``parkcloud storage`` and the worker's actor, against the test database."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

import pytest

from api.cli import main
from parking.common.database import Database
from parking.images import ImageStore, LocalImageStore
from parking.sessions.models import LaneEvent
from tests.factories import build_world
from tests.retention.data import NOW, Lots, ids_of
from tests.s3 import KEY_ID, REGION, SECRET, S3Bucket
from workers import retention as actors


@pytest.fixture(params=["local", "s3"])
async def lots(db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest) -> Lots:
    monkeypatch.setenv("PARKCLOUD_DATABASE_URL", db.engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("PARKCLOUD_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("PARKCLOUD_REDIS_URL", "")
    store: ImageStore = LocalImageStore(tmp_path / "images")
    if request.param == "s3":  # the commands and the actor find the bucket in the environment
        bucket: S3Bucket = request.getfixturevalue("s3_bucket")
        store = bucket.store("images")
        for name, value in {
            "IMAGE_STORE": f"s3://{bucket.name}/images",
            "S3_ENDPOINT_URL": bucket.endpoint_url,
            "S3_REGION": REGION,
            "S3_ACCESS_KEY_ID": KEY_ID,
            "S3_SECRET_ACCESS_KEY": SECRET,
        }.items():
            monkeypatch.setenv(f"PARKCLOUD_{name}", value)
    # The commands purge at the real now; the rows' ages (a day, two years) leave any clock skew far behind.
    return Lots(db, await build_world(db), store)


async def test_purge_prints_each_lots_counts_and_a_dry_run_changes_nothing(
    lots: Lots, capsys: pytest.CaptureFixture[str]
) -> None:
    old = await lots.event("A1a", 800)
    young = await lots.event("A1a", 1)

    await asyncio_to_thread(main, ["purge", "--dry-run"])
    out = capsys.readouterr().out.splitlines()
    assert out[0] == (
        f"would purge lot {lots.world.ids['lot:A1a']} Lot A1a: images=0 files=0 lane_events=1 recognitions=0 sessions=0"
    )
    assert len(out) == 4
    assert await ids_of(lots.db, LaneEvent) == [old, young]

    await asyncio_to_thread(main, ["purge", "--batch", "1"])
    assert capsys.readouterr().out.splitlines()[0].startswith(f"purged lot {lots.world.ids['lot:A1a']} Lot A1a: ")
    assert await ids_of(lots.db, LaneEvent) == [young]


async def test_storage_prints_a_line_per_lot(lots: Lots, capsys: pytest.CaptureFixture[str]) -> None:
    picture = await lots.picture(NOW)
    await lots.event("A1a", 1, image_ref=picture)
    size = await lots.store.size(picture)

    await asyncio_to_thread(main, ["storage"])

    assert capsys.readouterr().out.splitlines()[0] == (
        f"lot {lots.world.ids['lot:A1a']} Lot A1a: sessions=0 lane_events=1 recognitions=0 images=1 image_bytes={size}"
    )


async def test_the_actor_purges(lots: Lots) -> None:
    young = await lots.event("B1a", 1)
    old_picture = await lots.picture(NOW)
    await lots.event("B1a", 900, image_ref=old_picture)

    await asyncio_to_thread(actors.purge_expired.fn)

    assert await ids_of(lots.db, LaneEvent) == [young]
    assert await lots.store.size(old_picture) is None  # its file went with it, from whichever store


async def asyncio_to_thread(func: Callable[..., object], *args: object) -> None:
    """The commands run their own event loop: off the test's loop, in a thread."""
    await asyncio.to_thread(func, *args)
