"""The GraphQL endpoint: HTTP and graphql-transport-ws, with a context per request."""

from __future__ import annotations

import uuid
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL

from api.auth import authenticate, bearer_token, client_ip
from api.settings import Settings
from parking.common.database import Database
from parking.payments.gateway import Channels
from schema.core.context import Context


class GraphQLApp(GraphQL[Context, None]):
    def __init__(self, schema: Any, db: Database, settings: Settings, payments: Channels | None = None) -> None:
        super().__init__(
            schema,
            subscription_protocols=[GRAPHQL_TRANSPORT_WS_PROTOCOL],
            graphql_ide="graphiql" if settings.debug or settings.introspection else None,
        )
        self.db = db
        self.settings = settings
        self.payments = payments or Channels()

    async def get_context(self, request: Request | WebSocket, response: Response | WebSocket) -> Context:
        request_id = request.headers.get("x-request-id") or uuid.uuid4().hex[:16]
        actor = await authenticate(
            self.db,
            self.settings.secret_key,
            token=bearer_token(request),
            api_key=request.headers.get("x-api-key"),
            ip=client_ip(request),
            request_id=request_id,
        )
        return Context(
            db=self.db,
            actor=actor,
            request_id=request_id,
            secret_key=self.settings.secret_key,
            token_ttl_s=self.settings.token_ttl_s,
            login_max_failures=self.settings.login_max_failures,
            login_lock_s=self.settings.login_lock_s,
            request=request,
            extras={"payments": self.payments},
        )
