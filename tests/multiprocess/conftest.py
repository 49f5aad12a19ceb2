"""One deployment for the multi-process tests: a migrated scratch database, 2 API processes, a worker, haproxy.

Started once for the directory (starting three Python processes costs tens of seconds here); each test works in
a lot of its own, so the tests do not see each other's cars. A fault test leaves the deployment whole again.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

import asyncpg
import httpx
import pytest
from sqlalchemy.pool import NullPool

from bench import _cluster
from bench._cluster import HAPROXY, channel_fakes, fresh_redis, migrate, recreate_database
from fakes.serve import serve_in_thread
from fakes.wechat_api import FakeWeChatAPI
from fakes.wechatpay import FakeWeChatPay
from parking.common.database import Database
from tests.conftest import POSTGRES_URL, REDIS_CONNECT_TIMEOUT_S, REDIS_URL, need_service
from tests.multiprocess.cluster import Cluster, running_cluster
from tests.multiprocess.wechat_gate import WeChatGate

# The suite's database name with a suffix: a database of this run's own, created and dropped here.
SCRATCH = POSTGRES_URL.rpartition("/")[2] + "_procs"
SCRATCH_URL = POSTGRES_URL.rpartition("/")[0] + f"/{SCRATCH}"


def admin_dsn() -> str:
    return _cluster.admin_dsn(POSTGRES_URL)


@dataclass(frozen=True)
class Fakes:
    wechatpay: FakeWeChatPay
    wechatpay_url: str
    credentials: Path
    wechat_api: FakeWeChatAPI
    wechat_gate: WeChatGate  # the WeChat API as the processes reach it (drivers' messages)
    wechat_gate_url: str


@pytest.fixture(scope="package")
def fakes(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Fakes]:
    """The local WeChat Pay, Alipay and WeChat API fakes and their credentials file, as ``python -m fakes``
    writes it: the API processes pay through them and they notify the proxy."""
    with channel_fakes(tmp_path_factory.mktemp("fakes")) as served, ExitStack() as stack:
        gate = WeChatGate(served.wechat_api)
        gate_url = stack.enter_context(serve_in_thread(gate))
        try:
            yield Fakes(
                served.wechatpay, served.urls["wechatpay"], served.credentials, served.wechat_api, gate, gate_url
            )
        finally:
            gate.release()


@pytest.fixture(scope="package")
def cluster(tmp_path_factory: pytest.TempPathFactory, fakes: Fakes) -> Iterator[Cluster]:
    if not os.access(HAPROXY, os.X_OK):
        need_service("haproxy", f"{HAPROXY} not found (apt install haproxy)")
    try:
        asyncio.run(recreate_database(SCRATCH_URL))
    except (OSError, asyncpg.PostgresError) as err:
        need_service("PostgreSQL", f"{type(err).__name__}: {err}")
    try:
        asyncio.run(fresh_redis(REDIS_URL, REDIS_CONNECT_TIMEOUT_S))
    except (OSError, Exception) as err:
        need_service("Redis", f"{type(err).__name__}: {err}")
    var_dir = tmp_path_factory.mktemp("cluster")
    migrate(SCRATCH_URL, var_dir)
    try:
        with running_cluster(
            SCRATCH_URL,
            REDIS_URL,
            var_dir,
            PARKCLOUD_PAYMENT_CREDENTIALS=str(fakes.credentials),
            PARKCLOUD_WECHAT_APPID=fakes.wechat_api.appid,
            PARKCLOUD_WECHAT_SECRET=fakes.wechat_api.secret,
            PARKCLOUD_WECHAT_API_URL=fakes.wechat_gate_url,
        ) as running:
            yield running
    finally:
        asyncio.run(recreate_database(SCRATCH_URL, drop_only=True))


@pytest.fixture
async def db(cluster: Cluster) -> AsyncIterator[Database]:
    """The deployment's database, as seen from the test (it builds lots and checks what was recorded)."""
    database = Database.from_url(cluster.database_url, poolclass=NullPool)
    yield database
    await database.dispose()


@pytest.fixture
async def http(cluster: Cluster) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=cluster.url, timeout=30, trust_env=False) as client:
        yield client
