"""The per-request GraphQL context: the actor, a read session in its scope, and dataloaders."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.types import Info as StrawberryInfo

from parking.common.actor import Actor
from parking.common.database import Database
from parking.common.errors import PermissionDenied
from parking.common.scope import Scope, ScopeLevel

if TYPE_CHECKING:
    from schema.core.loaders import Loaders

# Anonymous callers see nothing: an impossible lot scope.
ANONYMOUS_SCOPE = Scope(ScopeLevel.LOT, agent_id=-1, customer_id=-1, lot_ids=frozenset())


@dataclass
class Context:
    db: Database
    actor: Actor | None
    request_id: str
    secret_key: str
    token_ttl_s: int
    login_max_failures: int
    login_lock_s: int
    request: Any = None
    # The platform's public base URL (what printed QR codes point at).
    public_url: str = "http://127.0.0.1:8000"
    login_max_address_failures: int = 30
    # The caller's address (after trusted proxy headers): sign-in throttling counts per address.
    client_ip: str = ""
    # A websocket connection: one context lives as long as the connection and serves its subscriptions.
    live: bool = False
    # The graphql-transport-ws connection_init payload (strawberry sets it when the attribute exists).
    connection_params: dict[str, Any] | None = None
    # A websocket opened with a driver token (mini-program login): the driver's openid. Drivers are not operators:
    # ``actor`` stays None and only subscriptions that check this field serve them.
    driver_openid: str | None = None
    _session: AsyncSession | None = None
    _loaders: Loaders | None = field(default=None, repr=False)
    extras: dict[str, Any] = field(default_factory=dict)

    @property
    def scope(self) -> Scope:
        return self.actor.scope if self.actor is not None else ANONYMOUS_SCOPE

    @property
    def session(self) -> AsyncSession:
        """The read session of this request, in the actor's scope; mutations open their own transactions."""
        if self._session is None:
            self._session = self.db.session(self.scope)
        return self._session

    @asynccontextmanager
    async def reading(self) -> AsyncIterator[AsyncSession]:
        """The session dataloaders read with.

        Over HTTP that is the request's session. On a websocket a session held for the connection's life
        would keep a database connection (and on PostgreSQL a transaction) open for hours, so each read
        gets its own short session in the same scope.
        """
        if not self.live:
            yield self.session
            return
        async with self.db.session(self.scope) as session:
            yield session

    @property
    def loaders(self) -> Loaders:
        if self._loaders is None:
            from schema.core.loaders import Loaders

            self._loaders = Loaders(self)
        return self._loaders

    def require(self, permission: str) -> Actor:
        if self.actor is None:
            raise PermissionDenied(permission)
        self.actor.require(permission)
        return self.actor

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None


Info = StrawberryInfo[Context, None]
