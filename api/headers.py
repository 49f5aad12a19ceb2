"""Security headers on every HTTP response, and a Content-Security-Policy on the dashboard's pages."""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# The built dashboard loads only its own files. element-plus sets inline styles at run time (positions of
# popovers, table widths), so styles need 'unsafe-inline'; scripts do not. Images: camera photos served here,
# QR codes drawn as data: URLs. connect-src 'self' covers the same-origin GraphQL websocket.
DASHBOARD_CSP = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "worker-src 'self' blob:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
# Other pages (the development GraphiQL loads its scripts from a CDN) are at least never framed.
OTHER_CSP = "frame-ancestors 'none'"

COMMON = {
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
}


class SecurityHeaders:
    def __init__(self, app: ASGIApp, api_prefixes: tuple[str, ...] = ("/graphql",)) -> None:
        self.app = app
        self.api_prefixes = api_prefixes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        dashboard = not scope["path"].startswith(self.api_prefixes)

        async def with_headers(event: Message) -> None:
            if event["type"] == "http.response.start":
                headers = MutableHeaders(scope=event)
                for name, value in COMMON.items():
                    headers.setdefault(name, value)
                if headers.get("content-type", "").startswith("text/html"):
                    headers.setdefault("content-security-policy", DASHBOARD_CSP if dashboard else OTHER_CSP)
            await send(event)

        await self.app(scope, receive, with_headers)
