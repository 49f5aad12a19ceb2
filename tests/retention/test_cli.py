"""``parkcloud purge [--dry-run]``, ``parkcloud storage`` and the worker's actor, against the test database."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

import pytest

from api.cli import main
from parking.common.database import Database
from parking.images import LocalImageStore
from parking.sessions.models import LaneEvent
from tests.factories import build_world
from tests.retention.data import Lots, ids_of
from workers import retention as actors


@pytest.fixture
async def lots(db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Lots:
    monkeypatch.setenv("PARKCLOUD_DATABASE_URL", db.engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("PARKCLOUD_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("PARKCLOUD_REDIS_URL", "")
    # The commands purge at the real now; the rows' ages (a day, two years) leave any clock skew far behind.
    return Lots(db, await build_world(db), LocalImageStore(tmp_path / "images"))


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
    await lots.event("A1a", 1)

    await asyncio_to_thread(main, ["storage"])

    assert capsys.readouterr().out.splitlines()[0] == (
        f"lot {lots.world.ids['lot:A1a']} Lot A1a: sessions=0 lane_events=1 recognitions=0 images=0 image_bytes=0"
    )


async def test_the_actor_purges(lots: Lots) -> None:
    young = await lots.event("B1a", 1)
    await lots.event("B1a", 900)

    await asyncio_to_thread(actors.purge_expired.fn)

    assert await ids_of(lots.db, LaneEvent) == [young]


async def asyncio_to_thread(func: Callable[..., object], *args: object) -> None:
    """The commands run their own event loop: off the test's loop, in a thread."""
    await asyncio.to_thread(func, *args)
