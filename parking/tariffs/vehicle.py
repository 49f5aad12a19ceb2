"""How a tariff sees a vehicle: its class, plate colour and exemption kind, from the plate and the lot's record.

The one inference that the lane's bill and the ``quoteFee`` query share, so the fee simulator never promises
a different fee from the one the lane asks. Pure: the caller loads the vehicle record.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from parking.plates import KIND_COLORS, InvalidPlate, PlateColor, PlateKind, plate_kind
from parking.tariffs.document import StayCategory, VehicleClass
from parking.tariffs.exemptions import PLATE_EXEMPTIONS
from parking.tariffs.stay import Stay
from parking.vehicles.enums import ExemptKind


@dataclass(frozen=True, slots=True)
class Registration:
    """What the lot's vehicle record says; ``None`` for a field left empty (or no record at all)."""

    vehicle_class: str | None = None
    # The lot's own class (a key of the tariff's ``classes``, e.g. ``tricycle``): wins over ``vehicle_class``.
    tariff_class: str | None = None
    exempt_kind: ExemptKind | None = None
    plate_color: PlateColor | None = None


NO_REGISTRATION = Registration()


@dataclass(frozen=True, slots=True)
class TariffVehicle:
    """The vehicle as the tariff prices it (``Stay.vehicle_class``, ``plate_color``, ``exempt_kind``)."""

    vehicle_class: str
    plate_color: PlateColor
    exempt_kind: ExemptKind | None = None

    def stay(self, entry: datetime, exit_: datetime, category: StayCategory = StayCategory.TEMPORARY) -> Stay:
        """The stay the engine prices for this vehicle: the lane's bill and quoteFee both build it here."""
        return Stay(entry, exit_, self.vehicle_class, self.plate_color, category, exempt_kind=self.exempt_kind)

    @property
    def builtin_class(self) -> VehicleClass:
        """The built-in class whose stored tariff versions price it: a lot-declared class is in small's."""
        try:
            return VehicleClass(self.vehicle_class)
        except ValueError:
            return VehicleClass.SMALL


# Plate kinds whose characters say the class: 8-character plates are new-energy, trailers are large.
_KIND_CLASSES: dict[PlateKind, VehicleClass] = {
    PlateKind.NEW_ENERGY_SMALL: VehicleClass.NEW_ENERGY,
    # A yellow-green plate is a large new-energy vehicle: large prices, and the new-energy overlay by colour.
    PlateKind.NEW_ENERGY_LARGE: VehicleClass.LARGE,
    PlateKind.TRAILER: VehicleClass.LARGE,
}
_COLOR_CLASSES: dict[PlateColor, VehicleClass] = {
    PlateColor.GREEN: VehicleClass.NEW_ENERGY,
    PlateColor.YELLOW_GREEN: VehicleClass.LARGE,
    PlateColor.YELLOW: VehicleClass.LARGE,
}


def _kind(plate: str | None) -> PlateKind | None:
    if not plate:
        return None
    try:
        return plate_kind(plate)
    except InvalidPlate:
        return None


def _color(kind: PlateKind | None, reported: PlateColor, registration: Registration) -> PlateColor:
    # A kind with one possible colour (8 characters: green) decides it; else the camera, else the record.
    if kind is not None:
        allowed = KIND_COLORS[kind]
        if len(allowed) == 1:
            return next(iter(allowed))
    if reported is not PlateColor.UNKNOWN:
        return reported
    return registration.plate_color or PlateColor.UNKNOWN


def tariff_vehicle(plate: str | None, color: PlateColor, registration: Registration = NO_REGISTRATION) -> TariffVehicle:
    """Class: the record's (its lot class first), else what the plate says (kind, then colour), else small.
    Exemption: the record's kind, else the plate's (警: police). The tariff decides what either costs."""
    kind = _kind(plate)
    shown = _color(kind, color, registration)
    vehicle_class = registration.tariff_class or registration.vehicle_class
    if vehicle_class is None:
        vehicle_class = (kind is not None and _KIND_CLASSES.get(kind)) or _COLOR_CLASSES.get(shown, VehicleClass.SMALL)
    exempt = registration.exempt_kind
    if exempt is None and kind is not None:
        exempt = PLATE_EXEMPTIONS.get(kind)
    return TariffVehicle(str(vehicle_class), shown, exempt)
