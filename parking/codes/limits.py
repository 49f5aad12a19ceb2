"""The per-address limiter of public code scans (installed by the API in ``Database.services``)."""

from __future__ import annotations

from parking.common.ratelimit import RateLimiter
from parking.common.services import ServiceKey

SCAN_LIMIT_SERVICE = ServiceKey[RateLimiter]("code_scan_limit")
