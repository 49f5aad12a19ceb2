"""Deciding at the lot while the cloud is unreachable, with the same pure rules the cloud uses.

What degrades, and how the lane says so: passes and lists open as usual; temporary cars are charged from the
cached tariff, and since nobody can pay online the exit opens and the fee is recorded as owed (the cloud turns it
into arrears on replay, collected at the next visit); exits without an entry record and no-plate cars wait for
a person, because neither the cloud seat nor the driver's phone can be reached.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from edge.cache import EdgeCache, new_stay, stay_key
from parking.lanes import texts
from parking.lanes.decisions import (
    Action,
    Decision,
    EntryFacts,
    ExitFacts,
    LaneInfo,
    OpenStay,
    Reading,
    Reason,
    decide_entry,
    decide_exit,
    decide_inner,
)
from parking.plates import PlateColor
from parking.sessions.billing import BillFacts, bill
from parking.tariffs.document import Tariff
from parking.tariffs.vehicle import NO_REGISTRATION, Registration, tariff_vehicle
from parking.tenancy.enums import DuplicateEntryPolicy, LaneDirection, LaneMode, VehicleCategory, VehicleClass
from parking.tenancy.payment_settings import LotPaymentSettings
from parking.vehicles.standing import Cover, Listing, Window, standing_at


def _dt(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def _window(pair: list[str | None]) -> Window | None:
    start, end = pair
    return Window(time.fromisoformat(start), time.fromisoformat(end)) if start and end else None


def _covers(rows: list[dict[str, Any]]) -> list[Cover]:
    return [
        Cover(
            category=VehicleCategory(r["category"]),
            starts_at=datetime.fromisoformat(r["starts_at"]),
            ends_at=_dt(r["ends_at"]),
            window=_window(r["window"]),
            group_id=r.get("group_id"),
            pass_id=r["id"],
        )
        for r in rows
        if r.get("active", True)
    ]


def _listings(rows: list[dict[str, Any]]) -> list[Listing]:
    return [
        Listing(
            VehicleCategory(r["category"]),
            datetime.fromisoformat(r["valid_from"]),
            _dt(r["valid_until"]),
            _window(r["window"]),
            r.get("reason", ""),
        )
        for r in rows
    ]


def _vehicle_class(plate: str, passes: list[dict[str, Any]], color: PlateColor) -> VehicleClass:
    # The cloud's inference (parking.tariffs.vehicle), so a stay is classed alike offline.
    registration = Registration(passes[0]["vehicle_class"]) if passes else NO_REGISTRATION
    return VehicleClass(tariff_vehicle(plate, color, registration).builtin_class.value)


def _tariffs(rows: list[dict[str, Any]], vehicle_class: VehicleClass) -> list[Tariff]:
    def of(cls: VehicleClass) -> list[Tariff]:
        return [
            Tariff.model_validate({**r["document"], "version": r["version"]})
            for r in rows
            if r["vehicle_class"] == cls.value
        ]

    return of(vehicle_class) or of(VehicleClass.SMALL)


async def decide_offline(
    cache: EdgeCache,
    lane_id: int,
    plate: str,
    color: PlateColor,
    confidence: float,
    at: datetime,
    driver_key: str | None = None,
) -> Decision:
    lot = await cache.get("lot")
    lane = {row["id"]: row for row in await cache.get("lanes")}[lane_id]
    tz = ZoneInfo(lot["timezone"])
    pass_rows, listing_rows = await cache.plate_rows(plate)
    covers = _covers(pass_rows)
    standing = standing_at(at, tz, covers, _listings(listing_rows))
    reading = Reading(plate, color, confidence, at, driver_key)
    info = LaneInfo(
        lane_id=lane_id,
        mode=LaneMode(lane["mode"]),
        allowed_categories=frozenset(lane["allowed_categories"]),
        is_inner=lane["is_inner"],
        min_confidence=LotPaymentSettings.of(lot["payment_settings"]).min_confidence,
    )
    entering = lane["direction"] == LaneDirection.ENTRY.value
    if lane["is_inner"]:
        return decide_inner(entering, reading, standing)
    who = stay_key(plate, driver_key)
    stay = await cache.stay(who)
    open_stay = OpenStay(0, datetime.fromisoformat(stay["entry_at"])) if stay else None
    if entering:
        decision = decide_entry(
            EntryFacts(
                reading,
                info,
                standing,
                at.astimezone(tz).hour,
                open_stay=open_stay,
                free_spaces=lot["capacity"] - await cache.count_stays(),
                duplicate_policy=DuplicateEntryPolicy(lot["duplicate_entry_policy"]),
            )
        )
        if decision.opens and decision.new_session:
            await cache.set_stay(
                who,
                new_stay(
                    plate,
                    driver_key,
                    at,
                    decision.category.value,
                    _vehicle_class(plate, pass_rows, color).value,
                    color.value,
                ),
            )
        return decision
    if stay is None:
        decision = decide_exit(ExitFacts(reading, info, standing, None, None))
        return replace(decision, fee_fen=0, lines=(*decision.lines[:2], texts.WAIT_FOR_OPERATOR))
    vehicle_class = VehicleClass(stay["vehicle_class"])
    stay_color = PlateColor(stay.get("plate_color", color.value))
    owed = bill(
        BillFacts(
            entry_at=datetime.fromisoformat(stay["entry_at"]),
            timezone=lot["timezone"],
            tariffs=_tariffs(await cache.get("tariffs"), vehicle_class),
            vehicle_class=vehicle_class,
            plate_color=stay_color,
            # Exemptions by plate (警) hold offline too; the class recorded at entry stays the class.
            vehicle=tariff_vehicle(plate, stay_color, Registration(vehicle_class.value)),
            category=standing.category,
            covers=covers if not stay.get("group_overflow") else [],
            paid_fen=int(stay.get("paid_fen", 0)),
            last_paid_at=_dt(stay.get("last_paid_at")),
            grace_minutes=int(lot["grace_minutes"]),
            discount_fen=int(stay.get("discount_fen", 0)),
        ),
        at,
    )
    decision = decide_exit(ExitFacts(reading, info, standing, open_stay, owed))
    if decision.reason is Reason.FEE_DUE:
        # Nobody can pay online now: let the car go and keep what it owes (arrears in the cloud).
        decision = replace(
            decision,
            action=Action.OPEN,
            close_session=True,
            lines=(decision.lines[0], texts.fee_line(owed.due_fen), texts.OFFLINE_PAY_LATER),
            voice=texts.OFFLINE_PAY_LATER,
        )
    if decision.opens:
        await cache.set_stay(who, None)
    return decision
