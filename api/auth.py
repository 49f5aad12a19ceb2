"""Who is calling: a bearer token (operators) or an X-Api-Key header (partners)."""

from __future__ import annotations

from starlette.requests import HTTPConnection

from parking.accounts.auth import actor_for_api_key, actor_for_operator, read_token
from parking.common.actor import Actor
from parking.common.database import Database
from parking.common.db import utcnow
from parking.common.scope import Scope


def client_ip(conn: HTTPConnection) -> str:
    return conn.client.host if conn.client else ""


def bearer_token(conn: HTTPConnection) -> str | None:
    header = conn.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() == "bearer" and token:
        return token.strip()
    # Browsers cannot set headers on a websocket; the dashboard passes the token in connection params.
    return None


async def authenticate(
    db: Database, secret: str, *, token: str | None, api_key: str | None, ip: str, request_id: str
) -> Actor | None:
    if not token and not api_key:
        return None
    now = utcnow()
    async with db.transaction(Scope.internal()) as session:
        if token:
            claims = read_token(secret, token, now)
            if claims is None:
                return None
            return await actor_for_operator(session, claims.operator_id, claims.version, ip=ip, request_id=request_id)
        assert api_key is not None
        actor = await actor_for_api_key(session, api_key, now, ip=ip)
    return None if actor is None else Actor(**{**actor.__dict__, "request_id": request_id})


async def authenticate_request(db: Database, secret: str, conn: HTTPConnection, request_id: str) -> Actor | None:
    """The operator or partner a request's bearer token or ``X-Api-Key`` names, or None."""
    return await authenticate(
        db,
        secret,
        token=bearer_token(conn),
        api_key=conn.headers.get("x-api-key"),
        ip=client_ip(conn),
        request_id=request_id,
    )
