"""What a driver without an account is given and shown: a signed stay token instead of a stay's id, and a
plate with its middle hidden.

A lane's QR code (an unguessable token) tells the driver at an exit which stay to pay; that answer carries a
short-lived token signed with a key derived from the platform secret for this purpose only, so it can never
pass as a driver or operator token. Nothing anonymous is addressed by a sequential id, and a plate is shown
whole only to someone who typed it.
"""

from __future__ import annotations

from datetime import datetime

from parking.common import signed_tokens
from parking.common.ratelimit import RateLimiter
from parking.common.services import ServiceKey
from parking.plates import NO_PLATE, InvalidPlate, normalize_plate, separator_index

# Database.services key of the per-address limiter of anonymous payment creation (installed by the API).
RATE_LIMIT_SERVICE = ServiceKey[RateLimiter]("anonymous_payment_limit")
# Long enough to pay at the exit; a new scan gives a new one.
STAY_TOKEN_TTL_S = 30 * 60
_HIDDEN = "***"


_PURPOSE = b"parkcloud-stay-token"


def issue_stay_token(secret: str, session_id: int, now: datetime, ttl_s: int = STAY_TOKEN_TTL_S) -> str:
    return signed_tokens.issue(secret, _PURPOSE, "stay", session_id, now, ttl_s)


def read_stay_token(secret: str, token: str, now: datetime) -> int | None:
    """The stay's id of a valid, unexpired token; None for anything else (forged, altered, expired)."""
    session_id = signed_tokens.read(secret, _PURPOSE, "stay", token, now)
    if not isinstance(session_id, int) or isinstance(session_id, bool):
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
