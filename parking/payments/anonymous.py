"""What a driver without an account is given and shown: a signed stay token instead of a stay's id, and a
plate with its middle hidden.

A lane's QR code (an unguessable token) tells the driver at an exit which stay to pay; that answer carries a
short-lived token signed with a key derived from the platform secret for this purpose only, so it can never
pass as a driver or operator token. Nothing anonymous is addressed by a sequential id, and a plate is shown
whole only to someone who typed it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from datetime import datetime

from parking.plates import NO_PLATE, InvalidPlate, normalize_plate, separator_index

# Database.services key of the per-address limiter of anonymous payment creation (installed by the API).
RATE_LIMIT_SERVICE = "anonymous_payment_limit"
# Long enough to pay at the exit; a new scan gives a new one.
STAY_TOKEN_TTL_S = 30 * 60
_HIDDEN = "***"


def _key(secret: str) -> bytes:
    return hmac.new(secret.encode(), b"parkcloud-stay-token", hashlib.sha256).digest()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def issue_stay_token(secret: str, session_id: int, now: datetime, ttl_s: int = STAY_TOKEN_TTL_S) -> str:
    body = _b64(json.dumps({"stay": session_id, "exp": int(now.timestamp()) + ttl_s}, separators=(",", ":")).encode())
    return f"{body}.{_b64(hmac.new(_key(secret), body.encode(), hashlib.sha256).digest())}"


def read_stay_token(secret: str, token: str, now: datetime) -> int | None:
    """The stay's id of a valid, unexpired token; None for anything else (forged, altered, expired)."""
    body, _, signature = token.partition(".")
    expected = _b64(hmac.new(_key(secret), body.encode(), hashlib.sha256).digest())
    if not signature or not hmac.compare_digest(signature, expected):
        return None
    try:
        payload = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
        session_id, expires = payload["stay"], int(payload["exp"])
    except (ValueError, KeyError, TypeError):
        return None
    if not isinstance(session_id, int) or isinstance(session_id, bool) or expires <= now.timestamp():
        return None
    return session_id


def masked_plate(plate: str) -> str:
    """``京A·***45``: the province and city letter and the last two characters, enough for a driver to
    recognise the car and not enough to learn another's plate. The no-plate marker is shown as it is."""
    if not plate or plate == NO_PLATE:
        return plate
    try:
        text = normalize_plate(plate)
    except InvalidPlate:
        return _HIDDEN
    cut = separator_index(text)
    return f"{text[:cut]}·{_HIDDEN}{text[-2:]}"
