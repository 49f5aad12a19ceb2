"""The app's database behind a private pgbouncer in transaction mode (tests/pooler/bouncer.py), one per test;
the payment fixtures of tests/payments are used as they are, on that database."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator

import pytest
from sqlalchemy import text
from sqlalchemy.pool import NullPool

from parking.common.database import Database
from tests.conftest import _EMPTY_POSTGRES, POSTGRES_URL, _prepare_postgres, need_service

# The payment fixtures, on the ``db`` below: pytest takes fixtures imported into a conftest as its own.
from tests.payments.conftest import (  # noqa: F401
    alipay,
    alipay_config,
    alipay_control,
    alipay_fake,
    channels,
    flow,
    pay_client,
    recorder,
    wechat,
    wechat_config,
    wechat_control,
    wechat_fake,
)
from tests.pooler.bouncer import PGBOUNCER, Bouncer, running_pgbouncer


@pytest.fixture
def pgbouncer() -> Iterator[Bouncer]:
    if error := _prepare_postgres():
        need_service("PostgreSQL", error)
    if not os.access(PGBOUNCER, os.X_OK):
        need_service("pgbouncer", f"{PGBOUNCER} not found (Debian's pgbouncer package)")
    with running_pgbouncer(POSTGRES_URL) as bouncer:
        yield bouncer


async def _empty(url: str) -> None:
    database = Database.from_url(url, poolclass=NullPool)
    try:
        async with database.engine.begin() as conn:
            await conn.execute(text(_EMPTY_POSTGRES))
    finally:
        await database.dispose()


@pytest.fixture
async def db(pgbouncer: Bouncer) -> AsyncIterator[Database]:
    """The app's database as a deployment behind pgbouncer has it: the server's pool, through the pooler."""
    await _empty(pgbouncer.direct_url)
    database = Database.from_url(pgbouncer.url)
    yield database
    await database.dispose()
