"""The callback replay window's nonce store shared by every API process: Redis ``SET key 1 NX PXAT expiry``.

``InMemoryNonceStore`` (in ``callbacks``) only sees the notifications of its own process, so with several API
processes a copy of a notification sent to another one would pass. Redis answers "new or not" atomically for
all of them, and forgets each nonce when the replay window has passed anyway.

With Redis down or hung (no answer within ``TIMEOUT_S``) the store falls back to this process's memory rather
than failing the notification: the channel's payment is recorded and acknowledged (else the channel retries for
hours while the driver waits at the gate), a copy sent to this process is still refused, and a copy another
process accepts meanwhile changes nothing, since applying the same result to an order twice is a no-op
(parking.payments.state).
"""

from __future__ import annotations

import logging
from datetime import datetime

from redis import Redis
from redis.exceptions import RedisError

from parking.payments.callbacks import InMemoryNonceStore, NonceStore

logger = logging.getLogger(__name__)

PREFIX = "parkcloud:payment-nonce:"
# A notification handler must not hang on Redis: a slow answer fails the notification, and the channel retries.
TIMEOUT_S = 0.5


class RedisNonceStore:
    """Sync on purpose: ``parse_notification`` is sync and the notify endpoint runs it in a worker thread."""

    def __init__(self, redis: Redis, prefix: str = PREFIX) -> None:
        self._redis = redis
        self._prefix = prefix
        self._fallback = InMemoryNonceStore()

    @classmethod
    def from_url(cls, url: str) -> RedisNonceStore:
        return cls(Redis.from_url(url, socket_timeout=TIMEOUT_S, socket_connect_timeout=TIMEOUT_S))

    def add_if_new(self, key: str, expires_at: datetime, now: datetime) -> bool:
        # SET NX is the check and the insert in one step: two processes given the same nonce cannot both win.
        try:
            return bool(self._redis.set(self._prefix + key, b"1", nx=True, pxat=int(expires_at.timestamp() * 1000)))
        except (RedisError, OSError) as err:
            # The kind only: a Redis error's text names its address.
            logger.warning("payment nonces: Redis unavailable (%s), checking this process's nonces", type(err).__name__)
            return self._fallback.add_if_new(self._prefix + key, expires_at, now)

    def close(self) -> None:
        self._redis.close()


def nonce_store(redis_url: str) -> NonceStore:
    """Redis when the deployment has one (``PARKCLOUD_REDIS_URL``), else this process's memory."""
    return RedisNonceStore.from_url(redis_url) if redis_url else InMemoryNonceStore()
