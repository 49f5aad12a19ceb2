"""A lot's frictionless settings: the frictionless part of its payment settings (``Lot.settings``)."""

from __future__ import annotations

from dataclasses import dataclass

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
    def of(cls, settings: LotPaymentSettings) -> FrictionlessSettings:
        return cls(settings.frictionless, settings.frictionless_advance, settings.frictionless_free_minutes)
