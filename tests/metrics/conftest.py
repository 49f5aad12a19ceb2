"""Fixtures of the metrics tests: the test Redis, for the reads /metrics makes there."""

from __future__ import annotations

import pytest

from api.health import check_redis
from tests.conftest import REDIS_URL, need_service


@pytest.fixture
async def redis_url() -> str:
    """The test Redis (skipped locally when it is down, a failure in CI)."""
    if (answer := await check_redis(REDIS_URL, 2)) != "ok":
        need_service("Redis", answer)
    return REDIS_URL
