"""Keeps secrets out of the access log: credentials in query strings are replaced before a line is written.

Cameras that can only be given a URL send their secret as ``?key=``; the GraphQL endpoint over GET carries
whole documents (which may hold an inline password) in ``?query=``. Both are kept out of the log.
"""

from __future__ import annotations

import logging
from urllib.parse import unquote_plus

ACCESS_LOGGER = "uvicorn.access"
# Query parameters whose values never reach a log line.
SECRET_PARAMS = frozenset(
    {"key", "secret", "token", "access_token", "password", "sign", "signature", "query", "variables", "extensions"}
)
REDACTED = "***"


def redact_target(target: str) -> str:
    """A request target (path and query string) with the values of secret parameters replaced; a part with
    no name (``?s3cret``) is replaced whole."""
    path, sep, query = target.partition("?")
    if not sep:
        return target
    parts = []
    for part in query.split("&"):
        name, eq, _ = part.partition("=")
        if not eq:
            parts.append(REDACTED if part else part)
        elif unquote_plus(name).lower() in SECRET_PARAMS:
            parts.append(f"{name}={REDACTED}")
        else:
            parts.append(part)
    return f"{path}?{'&'.join(parts)}"


class RedactSecrets(logging.Filter):
    """uvicorn's access records carry (client, method, target, http version, status) as arguments."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) >= 3 and isinstance(args[2], str):
            record.args = (*args[:2], redact_target(args[2]), *args[3:])
        return True


def install_access_log_redaction() -> None:
    """Idempotent: adds the filter to uvicorn's access logger once (it survives uvicorn's logging config)."""
    access = logging.getLogger(ACCESS_LOGGER)
    if not any(isinstance(f, RedactSecrets) for f in access.filters):
        access.addFilter(RedactSecrets())
