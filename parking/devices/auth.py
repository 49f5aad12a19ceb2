"""Per-device push secrets: issued here, shown once; checked by ``parking.lanes.device_auth`` on every push."""

from __future__ import annotations

from parking.lanes.device_auth import hash_secret, new_secret
from parking.tenancy.models import Device


def issue_secret(device: Device) -> str:
    """A new secret for ``device``; only its hash is kept, so the caller must hand it over now."""
    secret = new_secret()
    device.secret_hash = hash_secret(secret)
    return secret
