"""A lot's frictionless settings, read from ``Lot.payment_settings`` through its model."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from parking.tenancy.payment_settings import LotPaymentSettings


@dataclass(frozen=True, slots=True)
class FrictionlessSettings:
    # ``frictionless``: register entries with WeChat and deduct at exit.
    enabled: bool = False
    # ``frictionless_advance``: the merchant's 垫资 agreement, WeChat pays the lot once it accepts a deduction,
    # so the gate opens on ACCEPTED; without it the car waits for SUCCESS.
    advance: bool = False
    # ``frictionless_free_minutes``: the lot's free period as told to WeChat at entry.
    free_minutes: int = 0

    @classmethod
    def of(cls, payment_settings: Mapping[str, Any] | None) -> FrictionlessSettings:
        settings = LotPaymentSettings.of(payment_settings)
        return cls(settings.frictionless, settings.frictionless_advance, settings.frictionless_free_minutes)
