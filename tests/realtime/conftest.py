"""Fixtures of the realtime tests: the bus on both transports and a live server over the test database."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator

import pytest
from redis.asyncio import Redis

from api.app import create_app
from config.settings import Settings
from parking.common.database import Database
from tests.conftest import REDIS_CONNECT_TIMEOUT_S, REDIS_URL, need_service
from tests.factories import World, build_world
from tests.live import LiveServer, live_server


async def _reachable_redis() -> str:
    redis = Redis.from_url(REDIS_URL, socket_connect_timeout=REDIS_CONNECT_TIMEOUT_S)
    try:
        await redis.ping()
    except OSError as err:
        need_service("Redis", str(err))
    finally:
        await redis.aclose()
    return REDIS_URL


@pytest.fixture(params=["local", pytest.param("redis", marks=pytest.mark.redis)])
async def bus_url(request: pytest.FixtureRequest) -> str:
    """'' for the in-process bus, the test Redis for RedisBus (skipped locally when Redis is down)."""
    return "" if request.param == "local" else await _reachable_redis()


@pytest.fixture
async def redis_url() -> str:
    """The test Redis, for what only Redis can do (several processes on one bus)."""
    return await _reachable_redis()


@pytest.fixture
def live_settings(settings: Settings, bus_url: str) -> Settings:
    return dataclasses.replace(settings, redis_url=bus_url)


@pytest.fixture
async def world(db: Database) -> World:
    return await build_world(db)


@pytest.fixture
async def server(db: Database, live_settings: Settings, world: World) -> AsyncIterator[LiveServer]:
    async with live_server(create_app(live_settings, db)) as running:
        yield running


@pytest.fixture
async def local_server(db: Database, settings: Settings, world: World) -> AsyncIterator[LiveServer]:
    """A live server on the in-process bus, for what does not depend on the bus (authentication)."""
    async with live_server(create_app(settings, db)) as running:
        yield running
