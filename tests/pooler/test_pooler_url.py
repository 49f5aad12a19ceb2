"""The ``pooler`` query parameter of the database URL: read off before the driver sees it, refused when unknown,
and refused by backup and restore, which must reach PostgreSQL itself."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import event

from api.backup import BackupError, target_of
from parking.common.database import PoolerError, make_engine, split_pooler

URL = "postgresql+asyncpg://parkcloud:secret@pgbouncer:6432/parkcloud"


def test_the_pooler_is_read_off_the_url_and_the_rest_kept() -> None:
    url, pooler = split_pooler(f"{URL}?ssl=require&pooler=transaction")
    assert pooler == "transaction"
    assert url.render_as_string(hide_password=False) == f"{URL}?ssl=require"
    assert split_pooler(URL)[1] is None


class _Captured(Exception):
    pass


async def _connect_params(url: str) -> dict[str, Any]:
    """What the engine would pass to asyncpg.connect, caught before any connection is tried."""
    engine = make_engine(url)
    seen: dict[str, Any] = {}

    def capture(_dialect: object, _record: object, _cargs: object, cparams: dict[str, Any]) -> None:
        seen.update(cparams)
        raise _Captured

    event.listen(engine.sync_engine, "do_connect", capture)
    with pytest.raises(_Captured):
        async with engine.connect():
            pass
    await engine.dispose()
    return seen


async def test_behind_a_transaction_pooler_statements_are_unnamed_and_never_cached() -> None:
    params = await _connect_params(f"{URL}?pooler=transaction")
    assert "pooler" not in params
    assert params["statement_cache_size"] == 0
    assert params["prepared_statement_cache_size"] == 0
    assert params["prepared_statement_name_func"]() == ""  # PostgreSQL's unnamed statement


async def test_without_it_the_drivers_defaults_are_kept() -> None:
    params = await _connect_params(URL)
    assert not {"statement_cache_size", "prepared_statement_cache_size", "prepared_statement_name_func"} & set(params)


def test_an_unknown_pooler_is_refused() -> None:
    with pytest.raises(PoolerError, match="pooler='session'"):
        make_engine(f"{URL}?pooler=session")


def test_backup_and_restore_refuse_a_url_through_the_pooler() -> None:
    with pytest.raises(BackupError, match="point it at PostgreSQL itself"):
        target_of(f"{URL}?pooler=transaction")
