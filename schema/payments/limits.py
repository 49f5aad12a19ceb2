"""The per-address limit of what a caller without a login may start (payments, pass purchases)."""

from __future__ import annotations

from parking.common.db import utcnow
from parking.payments.anonymous import RATE_LIMIT_SERVICE
from schema.core.context import Info


async def within_limit(info: Info) -> bool:
    """Counted before anything is read or made: a flood from one address creates nothing."""
    limiter = info.context.db.services.get(RATE_LIMIT_SERVICE)
    if limiter is None:
        return True
    request = info.context.request
    address = request.client.host if request is not None and request.client is not None else ""
    return await limiter.allow(address, utcnow())
