"""Realistic published tariffs (modelled on Chinese lot notices) for docs, tests, the simulator and bench."""

from __future__ import annotations

from datetime import datetime, time, timedelta, timezone

from parking.tariffs.document import (
    Caps,
    ClassTariff,
    FirstPeriod,
    FreeTime,
    NewEnergyOverlay,
    PerEntryRule,
    Period,
    Rounding,
    Tariff,
    TimedRule,
    VehicleClass,
)
from parking.tariffs.holidays_cn import china_calendar

CST = timezone(timedelta(hours=8))
EFFECTIVE = datetime(2026, 1, 1, tzinfo=CST)


# Holidays and make-up workdays (调休) of 2025 and 2026 from the State Council notices (see holidays_cn).
CALENDAR_CN = china_calendar()

_ALL_DAY = time(0, 0)


def railway_station() -> Tariff:
    """高铁站停车场: 15 min free; first 2 h 5 元; then 2 元/h (part hour = hour); a full 24 h charged as 12 h.

    Large vehicles pay double; motorcycles 2 元 per started 24 h; new-energy: 60 more free min, half price.
    """
    small = TimedRule(
        free=FreeTime(minutes=15, mode="charge_from_start"),
        first_period=FirstPeriod(minutes=120, price_fen=500),
        periods=[Period(name="全天", start=_ALL_DAY, end=_ALL_DAY, unit_minutes=60, unit_price_fen=200)],
        caps=Caps(basis="rolling_24h", full_day_hours=12),
    )
    return Tariff(
        name="railway-station",
        effective_from=EFFECTIVE,
        calendar=CALENDAR_CN,
        classes={
            VehicleClass.SMALL: ClassTariff(rule=small),
            VehicleClass.LARGE: ClassTariff(same_as=VehicleClass.SMALL, multiplier_percent=200),
            VehicleClass.MOTORCYCLE: ClassTariff(
                rule=PerEntryRule(free=FreeTime(minutes=15), price_fen=200, charge_each_24h=True)
            ),
        },
        new_energy=NewEnergyOverlay(extra_free_minutes=60, discount_percent=50),
    )


def airport() -> Tariff:
    """机场长时停车场: 10 min free; first hour 5 元; then 1.5 元 per 30 min; caps per 24 h from entry
    30 / 40 / 50 元 (day 3 onwards 50). Large vehicles: own rule, 10 元 first hour, 3 元 per 30 min,
    60/80/100 元.
    """

    def rule(first: int, unit: int, caps: list[int]) -> TimedRule:
        return TimedRule(
            free=FreeTime(minutes=10, mode="charge_from_start"),
            first_period=FirstPeriod(minutes=60, price_fen=first),
            periods=[Period(name="全天", start=_ALL_DAY, end=_ALL_DAY, unit_minutes=30, unit_price_fen=unit)],
            caps=Caps(basis="rolling_24h", daily_fen=caps),
        )

    return Tariff(
        name="airport-long-stay",
        effective_from=EFFECTIVE,
        calendar=CALENDAR_CN,
        classes={
            VehicleClass.SMALL: ClassTariff(rule=rule(500, 150, [3000, 4000, 5000])),
            VehicleClass.LARGE: ClassTariff(rule=rule(1000, 300, [6000, 8000, 10000])),
            VehicleClass.MOTORCYCLE: ClassTariff(same_as=VehicleClass.SMALL, multiplier_percent=50),
        },
        new_energy=NewEnergyOverlay(extra_free_minutes=0, discount_percent=20),
    )


def day_night() -> Tariff:
    """城区路外停车场 (day/night): first 15 min free (and stays free); day 08:00-20:00 2 元 per 30 min on
    workdays, 1 元 per 30 min on holidays; night 20:00-08:00 1 元 per 2 h; part units count as whole; each
    calendar day at most 50 元. New-energy: 60 extra free minutes once, 50% off. Rounded to the jiao.
    """

    def periods(day_price: int) -> list[Period]:
        return [
            Period(name="白天", start=time(8), end=time(20), unit_minutes=30, unit_price_fen=day_price),
            Period(name="夜间", start=time(20), end=time(8), unit_minutes=120, unit_price_fen=100),
        ]

    small = TimedRule(
        free=FreeTime(minutes=15, mode="free_part_free"),
        periods=periods(200),
        holiday_periods=periods(100),
        caps=Caps(basis="calendar_day", daily_fen=[5000]),
    )
    return Tariff(
        name="city-day-night",
        effective_from=EFFECTIVE,
        calendar=CALENDAR_CN,
        classes={
            VehicleClass.SMALL: ClassTariff(rule=small),
            VehicleClass.LARGE: ClassTariff(same_as=VehicleClass.SMALL, multiplier_percent=200),
            VehicleClass.MOTORCYCLE: ClassTariff(rule=PerEntryRule(price_fen=100, no_second_charge_within_24h=True)),
        },
        new_energy=NewEnergyOverlay(extra_free_minutes=60, discount_percent=50),
        rounding=Rounding(unit="jiao", mode="half_up"),
    )


ALL = {"railway_station": railway_station, "airport": airport, "day_night": day_night}
