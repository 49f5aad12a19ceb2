"""Passwords (argon2), signed access tokens, API key hashing and the login use-case (throttled)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass
from datetime import datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import column, select, table, union
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from parking.accounts.models import ApiKey, Operator, operator_lots
from parking.accounts.permissions import MERCHANT_PERMISSIONS
from parking.accounts.texts import AccountText, refuse
from parking.accounts.throttle import LoginPolicy, clear_failures, is_throttled, record_failure
from parking.common.actor import Actor
from parking.common.errors import ErrorCode
from parking.common.scope import Scope, ScopeLevel

_hasher = PasswordHasher()
# Verifying against this keeps the time of a login for an unknown user close to a real one.
_DUMMY_HASH = _hasher.hash(secrets.token_hex(8))


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass(frozen=True)
class TokenClaims:
    operator_id: int
    version: int
    expires_at: int


def issue_token(secret: str, operator: Operator, now: datetime, ttl_s: int) -> str:
    payload = {"sub": operator.id, "ver": operator.token_version, "exp": int(now.timestamp()) + ttl_s}
    body = _b64(json.dumps(payload, separators=(",", ":")).encode())
    signature = _b64(hmac.new(secret.encode(), body.encode(), hashlib.sha256).digest())
    return f"{body}.{signature}"


def read_token(secret: str, token: str, now: datetime) -> TokenClaims | None:
    """The claims of a valid, unexpired token; None for anything else (no detail leaks to the caller)."""
    body, _, signature = token.partition(".")
    expected = _b64(hmac.new(secret.encode(), body.encode(), hashlib.sha256).digest())
    if not signature or not hmac.compare_digest(signature, expected):
        return None
    try:
        payload = json.loads(_unb64(body))
        claims = TokenClaims(int(payload["sub"]), int(payload["ver"]), int(payload["exp"]))
    except (ValueError, KeyError, TypeError):
        return None
    return claims if claims.expires_at > now.timestamp() else None


def new_api_key() -> tuple[str, str, str]:
    """A fresh key as (full key shown once, prefix for lookup, hash to store)."""
    prefix = "pk_" + secrets.token_hex(6)
    key = f"{prefix}.{secrets.token_urlsafe(32)}"
    return key, prefix, hash_api_key(key)


def hash_api_key(key: str) -> str:
    # Keys are long random strings, so a fast hash is enough (no dictionary to guess from).
    return hashlib.sha256(key.encode()).hexdigest()


async def operator_lot_ids(session: AsyncSession, operator_id: int) -> frozenset[int]:
    rows = await session.scalars(select(operator_lots.c.lot_id).where(operator_lots.c.operator_id == operator_id))
    return frozenset(rows)


# The merchants' tables as bare names: accounts sits beside merchants in the layers and must not import it.
_merchants = table("merchants", column("id"), column("lot_id"))
_merchant_lots = table("merchant_lots", column("merchant_id"), column("lot_id"))


async def merchant_operator_lot_ids(session: AsyncSession, merchant_id: int) -> frozenset[int]:
    """A merchant operator's lots: its merchant's home lot and other lots, read at sign-in (never copied, so a
    change of the merchant's lots applies to its operators at once)."""
    rows = await session.scalars(
        union(
            select(_merchants.c.lot_id).where(_merchants.c.id == merchant_id),
            select(_merchant_lots.c.lot_id).where(_merchant_lots.c.merchant_id == merchant_id),
        )
    )
    return frozenset(rows)


async def scope_lot_ids(session: AsyncSession, operator: Operator) -> frozenset[int]:
    """The lots of a lot-level operator's scope (a merchant operator's come from its merchant)."""
    if operator.merchant_id is not None:
        return await merchant_operator_lot_ids(session, operator.merchant_id)
    if operator.scope_level is ScopeLevel.LOT:
        return await operator_lot_ids(session, operator.id)
    return frozenset()


def operator_permissions(operator: Operator, role_permissions: list[str]) -> frozenset[str]:
    """What the operator may do: its role's permissions, for a merchant operator only the merchant ones."""
    granted = frozenset(role_permissions)
    return granted & MERCHANT_PERMISSIONS if operator.merchant_id is not None else granted


async def actor_for_operator(
    session: AsyncSession, operator_id: int, token_version: int | None, *, ip: str = "", request_id: str = ""
) -> Actor | None:
    operator = await session.scalar(
        select(Operator).options(selectinload(Operator.role)).where(Operator.id == operator_id)
    )
    if operator is None or not operator.is_active:
        return None
    if token_version is not None and operator.token_version != token_version:
        return None
    return Actor(
        name=operator.username,
        scope=operator.scope(await scope_lot_ids(session, operator)),
        permissions=operator_permissions(operator, operator.role.permissions),
        operator_id=operator.id,
        ip=ip,
        request_id=request_id,
    )


async def actor_for_api_key(session: AsyncSession, key: str, now: datetime, *, ip: str = "") -> Actor | None:
    prefix = key.partition(".")[0]
    api_key = await session.scalar(select(ApiKey).where(ApiKey.prefix == prefix))
    if api_key is None or api_key.revoked_at is not None:
        return None
    if not hmac.compare_digest(api_key.key_hash, hash_api_key(key)):
        return None
    api_key.last_used_at = now
    scope = Scope(api_key.scope_level, api_key.agent_id, api_key.customer_id, frozenset(api_key.lot_ids))
    return Actor(
        name=f"api:{api_key.name}",
        scope=scope,
        permissions=frozenset(api_key.permissions),
        api_key_id=api_key.id,
        ip=ip,
    )


async def login(
    session: AsyncSession, username: str, password: str, now: datetime, policy: LoginPolicy, *, ip: str = ""
) -> Operator:
    """Check a username and password from client address ``ip``, throttled per (username, address).

    A wrong password and an unknown username give the same answer and count the same. The failure counter
    is updated in the caller's transaction, which must commit even when this raises.
    """
    if await is_throttled(session, username, ip, now, policy):
        raise refuse(ErrorCode.LOCKED, AccountText.LOCKED)
    operator = await session.scalar(select(Operator).where(Operator.username == username.strip()))
    if operator is None:
        verify_password(_DUMMY_HASH, password)
        await record_failure(session, username, ip, now, policy)
        raise refuse(ErrorCode.INVALID_CREDENTIALS, AccountText.WRONG_CREDENTIALS)
    if not verify_password(operator.password_hash, password):
        await record_failure(session, username, ip, now, policy)
        raise refuse(ErrorCode.INVALID_CREDENTIALS, AccountText.WRONG_CREDENTIALS)
    if not operator.is_active:
        raise refuse(ErrorCode.INACTIVE, AccountText.ACCOUNT_DISABLED)
    await clear_failures(session, username, ip)
    operator.last_login_at = now
    return operator
