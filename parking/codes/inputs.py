"""Validated inputs of the parking-code use-cases."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, Field, StringConstraints

from parking.common.inputs import Id
from parking.merchants.models import CodeKind


def _aware(value: datetime) -> datetime:
    # A naive time is ambiguous for lots in different zones: refuse it rather than guess.
    if value.tzinfo is None:
        raise ValueError("needs a time zone offset")
    return value.astimezone(UTC)


AwareDatetime = Annotated[datetime, AfterValidator(_aware)]
Label = Annotated[str, StringConstraints(strip_whitespace=True, max_length=100)]
Uses = Annotated[int, Field(ge=1, le=100_000)]
# VIP codes are printed in batches; a sheet of more than this is a typo.
VipCount = Annotated[int, Field(ge=1, le=500)]


class ParkingCodeCreate(BaseModel):
    lot_id: Id
    kind: CodeKind
    lane_id: Id | None = None
    merchant_id: Id | None = None
    template_id: Id | None = None
    label: Label = ""
    valid_from: AwareDatetime | None = None
    expires_at: AwareDatetime | None = None  # None: a standing code (see service.STANDING_YEARS)
    max_uses: Uses | None = None
    per_plate_per_day: Uses | None = None


class VipCodesCreate(BaseModel):
    merchant_id: Id
    template_id: Id
    count: VipCount
    expires_at: AwareDatetime
    label: Label = ""
