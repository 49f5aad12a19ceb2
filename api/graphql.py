"""The GraphQL endpoint: HTTP and graphql-transport-ws, with a context per request."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta
from typing import Any, cast

from starlette.requests import Request
from starlette.responses import Response
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.exceptions import ConnectionRejectionError
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL
from strawberry.types.unset import UNSET, UnsetType

from api.auth import authenticate, authenticate_request, client_ip
from api.live_feeds import LiveFeeds
from api.shared_ws import SharedFeedsHandler
from config.settings import Settings
from parking.common.database import Database
from parking.common.db import utcnow
from parking.drivers import read_driver_token
from parking.payments.gateway import Channels
from schema.core.context import Context

REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")


class GraphQLApp(GraphQL[Context, None]):
    # Subscriptions that many consoles open alike are resolved once per process (api/live_feeds.py).
    graphql_transport_ws_handler_class = SharedFeedsHandler

    def __init__(self, schema: Any, db: Database, settings: Settings, payments: Channels | None = None) -> None:
        super().__init__(
            schema,
            subscription_protocols=[GRAPHQL_TRANSPORT_WS_PROTOCOL],
            # A dashboard needs a handful, not strawberry's 100 (a subscription not shared holds a Redis connection).
            max_subscriptions_per_connection=20,
            # A socket that never authenticates is closed instead of being held open (strawberry's default: 60 s).
            connection_init_wait_timeout=timedelta(seconds=10),
            graphql_ide="graphiql" if settings.debug or settings.introspection else None,
        )
        self.db = db
        self.settings = settings
        self.payments = payments or Channels()
        self.live_feeds = LiveFeeds(self.schema, self.encode_json_string)

    async def get_context(self, request: Request | WebSocket, response: Response | WebSocket) -> Context:
        given = request.headers.get("x-request-id", "")
        # A caller's id is kept only when it cannot forge log lines or flood them.
        request_id = given if REQUEST_ID.fullmatch(given) else uuid.uuid4().hex[:16]
        actor = await authenticate_request(self.db, self.settings.secret_key, request, request_id)
        driver = None
        if actor is None:
            # Not an operator: perhaps a driver of the mini-program (myPlates, plateBind...).
            scheme, _, token = request.headers.get("authorization", "").partition(" ")
            if scheme.lower() == "bearer" and token.strip():
                driver = read_driver_token(self.settings.secret_key, token.strip(), utcnow())
        return Context(
            db=self.db,
            actor=actor,
            request_id=request_id,
            secret_key=self.settings.secret_key,
            token_ttl_s=self.settings.token_ttl_s,
            login_max_failures=self.settings.login_max_failures,
            login_lock_s=self.settings.login_lock_s,
            login_max_address_failures=self.settings.login_max_address_failures,
            client_ip=client_ip(request),
            request=request,
            public_url=self.settings.public_url,
            extras={"payments": self.payments},
            live=isinstance(request, WebSocket),
            driver_openid=driver,
        )

    async def on_ws_connect(self, context: Context) -> UnsetType | dict[str, object] | None:
        """Authenticate a websocket from its connection_init payload, with the same tokens as over HTTP.

        Browsers cannot set headers on a websocket, so the client sends ``{"Authorization": "Bearer ..."}``
        (or ``{"X-Api-Key": ...}``) as the payload; a connection without a valid one is closed with 4403.
        """
        params = {str(k).lower(): v for k, v in (context.connection_params or {}).items()}
        authorization, api_key = params.get("authorization"), params.get("x-api-key")
        if authorization is not None or api_key is not None:
            scheme, _, token = str(authorization or "").partition(" ")
            context.actor = await authenticate(
                self.db,
                self.settings.secret_key,
                token=token.strip() if scheme.lower() == "bearer" and token.strip() else None,
                api_key=str(api_key) if api_key else None,
                ip=client_ip(context.request),
                request_id=context.request_id,
            )
        if context.actor is None and authorization is not None:
            # Not an operator: perhaps a driver of the mini-program, who may follow the payments they made.
            scheme, _, token = str(authorization).partition(" ")
            if scheme.lower() == "bearer" and token.strip():
                context.driver_openid = read_driver_token(self.settings.secret_key, token.strip(), utcnow())
        if context.actor is None and context.driver_openid is None:
            raise ConnectionRejectionError({"code": "UNAUTHENTICATED"})
        return cast(UnsetType, UNSET)
