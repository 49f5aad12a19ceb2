"""The payment channels the app was started with, as the resolvers see them."""

from __future__ import annotations

from typing import cast

from parking.payments.gateway import Channels
from schema.core.context import Info


def channels_of(info: Info) -> Channels:
    return cast(Channels, info.context.extras.get("payments") or Channels())
