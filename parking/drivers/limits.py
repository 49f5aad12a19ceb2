"""The per-address limiter of public plate look-ups (plateStays), installed by the API in ``Database.services``."""

from __future__ import annotations

from parking.common.ratelimit import RateLimiter
from parking.common.services import ServiceKey

PLATE_LOOKUP_LIMIT_SERVICE = ServiceKey[RateLimiter]("plate_lookup_limit")
