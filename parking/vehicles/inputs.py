"""Validated inputs of the owners, vehicles, wallets, lists and passes use-cases."""

from __future__ import annotations

from datetime import UTC, datetime, time
from typing import Annotated

from pydantic import AfterValidator, BaseModel, Field, StringConstraints

from parking.common.inputs import Fen, Id, Phone, Plate, ShortName, Text200
from parking.plates import PlateColor
from parking.tenancy.enums import VehicleCategory, VehicleClass
from parking.vehicles.enums import CLASS_NAME, ExemptKind, PassPeriod, PassStatus

Spaces = Annotated[int, Field(ge=1, le=1000)]
PositiveFen = Annotated[int, Field(gt=0, le=100_000_000)]
Periods = Annotated[int, Field(ge=1, le=36)]
Quota = Annotated[int, Field(ge=0, le=100_000)]
Reason = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
Reference = Annotated[str, StringConstraints(strip_whitespace=True, max_length=64)]


def _aware(value: datetime) -> datetime:
    # A naive time is ambiguous for lots in different zones: refuse it rather than guess.
    if value.tzinfo is None:
        raise ValueError("needs a time zone offset")
    return value.astimezone(UTC)


AwareDatetime = Annotated[datetime, AfterValidator(_aware)]
Method = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[a-z_]{1,32}$")]


class OwnerCreate(BaseModel):
    lot_id: Id
    name: ShortName
    phone: Phone = ""
    address: Text200 = ""
    note: Text200 = ""


class OwnerUpdate(BaseModel):
    name: ShortName | None = None
    phone: Phone | None = None
    address: Text200 | None = None
    note: Text200 | None = None


# A lot's own tariff class, as the tariff document names it (``tricycle``).
TariffClassName = Annotated[str, StringConstraints(strip_whitespace=True, pattern=f"^{CLASS_NAME.pattern}$")]


def _not_monthly(kind: ExemptKind) -> ExemptKind:
    # A monthly car is a pass holder (its pass has dates); a record saying "monthly" would be free for ever.
    if kind is ExemptKind.MONTHLY:
        raise ValueError("monthly parking is sold as a pass, not recorded on the vehicle")
    return kind


VehicleExemptKind = Annotated[ExemptKind, AfterValidator(_not_monthly)]


class VehicleCreate(BaseModel):
    lot_id: Id
    plate: Plate
    plate_color: PlateColor = PlateColor.BLUE
    vehicle_class: VehicleClass = VehicleClass.SMALL
    tariff_class: TariffClassName | None = None
    exempt_kind: VehicleExemptKind | None = None
    owner_id: Id | None = None
    group_id: Id | None = None
    note: Text200 = ""


class VehicleUpdate(BaseModel):
    plate: Plate | None = None
    plate_color: PlateColor | None = None
    vehicle_class: VehicleClass | None = None
    tariff_class: TariffClassName | None = None
    exempt_kind: VehicleExemptKind | None = None
    owner_id: Id | None = None
    group_id: Id | None = None
    note: Text200 | None = None


class VehicleGroupCreate(BaseModel):
    lot_id: Id
    name: ShortName
    spaces: Spaces
    owner_id: Id | None = None


class VehicleGroupUpdate(BaseModel):
    name: ShortName | None = None
    spaces: Spaces | None = None
    owner_id: Id | None = None


class WalletMove(BaseModel):
    owner_id: Id
    amount_fen: PositiveFen
    reason: Reason
    reference: Reference = ""


class ListEntryCreate(BaseModel):
    lot_id: Id
    plate: Plate
    category: VehicleCategory
    valid_from: AwareDatetime
    valid_until: AwareDatetime | None = None
    window_start: time | None = None
    window_end: time | None = None
    reason: Text200 = ""


class ListEntryUpdate(BaseModel):
    category: VehicleCategory | None = None
    valid_from: AwareDatetime | None = None
    valid_until: AwareDatetime | None = None
    window_start: time | None = None
    window_end: time | None = None
    reason: Text200 | None = None


class PassProductCreate(BaseModel):
    lot_id: Id
    name: ShortName
    category: VehicleCategory = VehicleCategory.MONTHLY
    period: PassPeriod
    price_fen: Fen
    vehicle_class: VehicleClass = VehicleClass.SMALL
    window_start: time | None = None
    window_end: time | None = None
    is_active: bool = True
    # Off-peak rental: listed publicly and bought online; at most ``quota`` spaces per period (None: no limit).
    sold_online: bool = False
    quota: Quota | None = None


class PassProductUpdate(BaseModel):
    name: ShortName | None = None
    price_fen: Fen | None = None
    window_start: time | None = None
    window_end: time | None = None
    is_active: bool | None = None
    sold_online: bool | None = None
    # Given as None (in ``model_fields_set``): the quota is cleared (unlimited); left out: unchanged.
    quota: Quota | None = None


class PassCreate(BaseModel):
    product_id: Id
    vehicle_id: Id | None = None
    group_id: Id | None = None
    starts_at: AwareDatetime
    # Without an end the pass runs for one period of its product.
    ends_at: AwareDatetime | None = None


class PassUpdate(BaseModel):
    status: PassStatus | None = None


class PassRenew(BaseModel):
    periods: Periods
    method: Method
