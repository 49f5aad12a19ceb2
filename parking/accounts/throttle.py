"""Sign-in throttling per (username, client address) with a cap per address.

Guessing is stopped without giving anyone a way to lock an account out: ``max_failures`` wrong passwords for
one username from one address lock that pair for ``lock_for``, and ``max_address_failures`` failures from one
address (any usernames) within the window lock that address. The right password from another address still
works. Counters live in the database, so every API process shares them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from parking.accounts.models import LoginFailure


@dataclass(frozen=True)
class LoginPolicy:
    max_failures: int = 5
    lock_for: timedelta = timedelta(minutes=15)
    max_address_failures: int = 30


def throttle_key(username: str) -> str:
    """The username as counted: a change of case or padding is the same guess."""
    return username.strip().casefold()[:100]


async def is_throttled(session: AsyncSession, username: str, ip: str, now: datetime, policy: LoginPolicy) -> bool:
    """Whether a sign-in of ``username`` from ``ip`` must be refused without looking at the password."""
    since = now - policy.lock_for
    pair = await session.scalar(
        select(LoginFailure.locked_until).where(LoginFailure.username == throttle_key(username), LoginFailure.ip == ip)
    )
    if pair is not None and pair > now:
        return True
    total = await session.scalar(
        select(func.coalesce(func.sum(LoginFailure.failures), 0)).where(
            LoginFailure.ip == ip, LoginFailure.first_at > since
        )
    )
    return int(total or 0) >= policy.max_address_failures


async def record_failure(session: AsyncSession, username: str, ip: str, now: datetime, policy: LoginPolicy) -> None:
    key = throttle_key(username)
    # Counters of this address from before the window are spent: drop them as we go.
    await session.execute(
        delete(LoginFailure).where(
            LoginFailure.ip == ip,
            LoginFailure.username != key,
            LoginFailure.first_at <= now - policy.lock_for,
            (LoginFailure.locked_until.is_(None)) | (LoginFailure.locked_until <= now),
        )
    )
    row = await _pair(session, key, ip)
    if row is None:
        try:
            async with session.begin_nested():
                session.add(LoginFailure(username=key, ip=ip, failures=0, first_at=now))
        except IntegrityError:
            pass  # a concurrent failure of the same pair inserted it first: count on its row
        row = await _pair(session, key, ip)
        assert row is not None
    elif row.first_at <= now - policy.lock_for and (row.locked_until is None or row.locked_until <= now):
        row.failures, row.first_at, row.locked_until = 0, now, None
    row.failures += 1
    if row.failures >= policy.max_failures:
        row.locked_until = now + policy.lock_for


async def _pair(session: AsyncSession, key: str, ip: str) -> LoginFailure | None:
    query = select(LoginFailure).where(LoginFailure.username == key, LoginFailure.ip == ip)
    return await session.scalar(query.with_for_update().execution_options(populate_existing=True))


async def clear_failures(session: AsyncSession, username: str, ip: str) -> None:
    await session.execute(
        delete(LoginFailure).where(LoginFailure.username == throttle_key(username), LoginFailure.ip == ip)
    )
