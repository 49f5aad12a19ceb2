"""Validated input of the tariff use-cases."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from parking.common.inputs import Id
from parking.tenancy.enums import VehicleClass


class TariffVersionCreate(BaseModel):
    lot_id: Id
    area_id: Id | None = None
    vehicle_class: VehicleClass
    # Checked by validate_tariff, which reports every problem with its path (pydantic would stop at the type).
    document: dict[str, Any]
