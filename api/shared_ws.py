"""The graphql-transport-ws handler: strawberry's, except that a shareable subscription joins the process's feed
for its key (api/live_feeds.py) and writes the feed's encoded payloads under its own operation id."""

from __future__ import annotations

import json
from contextlib import suppress
from typing import TYPE_CHECKING, cast

from starlette.websockets import WebSocketDisconnect
from strawberry.asgi import ASGIWebSocketAdapter
from strawberry.http.exceptions import WebSocketDisconnected
from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import BaseGraphQLTransportWSHandler, Operation

from schema.core.context import Context
from schema.live.sharing import feed_key

if TYPE_CHECKING:
    from api.graphql import GraphQLApp


class SharedFeedsHandler(BaseGraphQLTransportWSHandler[Context, None]):
    async def run_operation(self, operation: Operation[Context, None]) -> None:
        key = feed_key(self.context, operation.query, operation.variables, operation.operation_name)
        if key is None:
            await super().run_operation(operation)
            return
        feeds = cast("GraphQLApp", self.view).live_feeds
        try:
            async with feeds.join(key, self.context, operation.variables) as inbox:
                # The frame around the shared payload, built once: only the operation id differs between members.
                head = '{"id":' + json.dumps(operation.id) + ',"type":'
                while True:
                    kind, body = await inbox.get()
                    if kind == "next":
                        await self._send(operation, f'{head}"next","payload":{body}}}')
                    elif kind == "error":
                        await self._send(operation, f'{head}"error","payload":{body}}}', final=True)
                        return
                    else:
                        break
            await operation.send_operation_message({"id": operation.id, "type": "complete"})
        except Exception as error:
            # As strawberry's run_operation: log, complete if the socket still takes it, let the id go.
            await self.handle_task_exception(error)
            with suppress(Exception):
                await operation.send_operation_message({"id": operation.id, "type": "complete"})
            self.operations.pop(operation.id, None)
            raise

    async def _send(self, operation: Operation[Context, None], frame: str, *, final: bool = False) -> None:
        """Operation.send_operation_message for a frame that is already encoded."""
        if operation.completed:
            return
        if final:
            operation.completed = True
            self.forget_id(operation.id)
        try:
            await cast(ASGIWebSocketAdapter, self.websocket).ws.send_text(frame)
        except WebSocketDisconnect as exc:
            raise WebSocketDisconnected from exc
