"""Entry, exit, fees and occupancy through the lane flow, on both databases."""

from __future__ import annotations

from datetime import timedelta

import pytest

from parking.common.database import Database
from parking.lanes.decisions import Reason
from parking.sessions.enums import ReleaseMethod, SessionState
from tests.lanes.site import T0, build_site

pytestmark = pytest.mark.anyio


async def test_entry_then_exit_charges_the_tariff(db: Database) -> None:
    site = await build_site(db)
    entry = await site.read("in", "京A12345", T0)
    assert entry.decision.opens
    assert entry.decision.reason is Reason.WELCOME
    assert entry.session_id is not None
    assert await site.occupied() == (1, 1)

    held = await site.read("out", "京A12345", T0 + timedelta(minutes=61))
    assert not held.decision.opens
    assert held.decision.reason is Reason.FEE_DUE
    assert held.decision.fee_fen == 600  # three started half hours at 2 元
    assert "请缴费6.00元" in held.decision.lines
    assert await site.occupied() == (1, 1)


async def test_short_stay_leaves_free(db: Database) -> None:
    site = await build_site(db)
    await site.read("in", "京A12345", T0)
    out = await site.read("out", "京A12345", T0 + timedelta(minutes=10))
    assert out.decision.opens
    assert out.decision.reason is Reason.NOTHING_DUE
    stay = await site.session(out.session_id or 0)
    assert stay.state is SessionState.EXITED
    assert stay.release_method is ReleaseMethod.FREE
    assert await site.occupied() == (0, 0)


async def test_entry_display_shows_the_free_spaces_left(db: Database) -> None:
    site = await build_site(db, capacity=3)
    first = await site.read("in", "京A12345", T0)
    second = await site.read("in", "京A12346", T0)
    assert first.decision.lines[-1] == "余位2"
    assert second.decision.lines[-1] == "余位1"
