"""Payment channels' notify URLs: plain HTTP, answered in each channel's own format.

``POST /payments/notify/wechatpay`` and ``POST /payments/notify/alipay``. Verification, the replay window and
the amount check happen before anything is written; a refusal changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from api.metrics import payment_callback
from parking.common.database import Database
from parking.common.db import utcnow
from parking.payments.gateway import Channels
from parking.payments.notifications import handle_notification

# Notifications are small (a few kB); anything bigger is not from a channel.
MAX_BODY_BYTES = 64 * 1024


class PaymentEndpoints:
    def __init__(self, db: Database, channels: Channels, clock: Callable[[], datetime] = utcnow) -> None:
        self.db = db
        self.channels = channels
        self.clock = clock

    def routes(self) -> list[Route]:
        return [Route("/payments/notify/{channel}", self.notify, methods=["POST"])]

    async def notify(self, request: Request) -> Response:
        declared = request.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > MAX_BODY_BYTES:
            return Response("too large", status_code=413)
        body = await request.body()
        if len(body) > MAX_BODY_BYTES:
            return Response("too large", status_code=413)
        handled = await handle_notification(
            self.db, self.channels, request.path_params["channel"], request.headers, body, self.clock()
        )
        if handled is None:
            return Response("unknown channel", status_code=404)
        payment_callback(request.path_params["channel"], handled.accepted)
        ack = handled.ack
        return Response(ack.body, status_code=ack.status_code, media_type=ack.media_type)
