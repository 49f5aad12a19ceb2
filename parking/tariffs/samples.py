"""Tariffs for docs, tests, the simulator and bench: real published notices (with their sources) and three
tariffs modelled on common notices (railway_station, airport, day_night) that exercise every option."""

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
from parking.tariffs.exemptions import reason
from parking.tariffs.holidays_cn import china_calendar
from parking.vehicles.enums import ExemptKind

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


def yuncheng_north() -> Tariff:
    """运城北站停车场东区, the lot's notice as quoted in 2023 at http://iiiib.com/a/8674.html:

    15分钟内免费，15分钟以上1小时内每车2元，超过1小时每增加1小时加收2元，24小时内最高收费不超过25元。
    连续停放24小时为一个计费周期 ... 超过24小时的，按上述标准重新计费。

    "重新计费" is read as: every 24 h from entry starts again with the free 15 minutes and the first hour.
    """
    small = TimedRule(
        free=FreeTime(minutes=15, mode="charge_from_start", first_24h_only=False),
        first_period=FirstPeriod(minutes=60, price_fen=200, first_24h_only=False),
        periods=[Period(name="全天", start=_ALL_DAY, end=_ALL_DAY, unit_minutes=60, unit_price_fen=200)],
        caps=Caps(basis="rolling_24h", daily_fen=[2500]),
    )
    return Tariff(
        name="yuncheng-north-station-east",
        effective_from=EFFECTIVE,
        calendar=CALENDAR_CN,
        classes={VehicleClass.SMALL: ClassTariff(rule=small)},
    )


def chongqing_airport_t2() -> Tariff:
    """重庆江北国际机场 T2停车场 (from 2024-08-01; republished at http://cqhongluan.cn/trip/182276.html):

    小型车：不足15分钟(含)免费；1小时内5元；1小时后每半小时2元；24小时内不超过50元，超过24小时按上述标准
    重新计费。大中型车：1小时内8元；1小时后每半小时2元；24小时内不超过60元。二轮摩托车：15分钟内免费；
    1小时内2元；1小时后1元半小时；24小时内20元。(不足半小时按半小时计费, as stated for T3.)
    """

    def rule(first: int, unit: int, cap: int) -> TimedRule:
        return TimedRule(
            free=FreeTime(minutes=15, mode="charge_from_start", first_24h_only=False),
            first_period=FirstPeriod(minutes=60, price_fen=first, first_24h_only=False),
            periods=[Period(name="全天", start=_ALL_DAY, end=_ALL_DAY, unit_minutes=30, unit_price_fen=unit)],
            caps=Caps(basis="rolling_24h", daily_fen=[cap]),
        )

    return Tariff(
        name="chongqing-airport-t2",
        effective_from=EFFECTIVE,
        calendar=CALENDAR_CN,
        classes={
            VehicleClass.SMALL: ClassTariff(rule=rule(500, 200, 5000)),
            VehicleClass.LARGE: ClassTariff(rule=rule(800, 200, 6000)),
            VehicleClass.MOTORCYCLE: ClassTariff(rule=rule(200, 100, 2000)),
        },
    )


def zhongxiang_tourist_centre() -> Tariff:
    """钟祥 tourist centre lot (钟价工服〔2016〕59号; English copy at https://en.zgmxl.com/index.php?c=show&id=708):

    Small and medium cars 5 元 for 2 hours, 2 元 per hour after; large 8 元 / 2 h then 3 元/h; motorcycles
    1 元 / 2 h then 0.5 元/h. Over 30 min and under 2 h counts as 2 h; after 2 h a part hour is an hour.
    Continuous parking on the same day at most 20 / 30 / 5 元. Under 30 minutes free. Military, police,
    fire, ambulance, disaster-relief and municipal repair vehicles free.
    """

    def rule(first: int, hourly: int, cap: int) -> TimedRule:
        return TimedRule(
            free=FreeTime(minutes=30, mode="charge_from_start"),
            first_period=FirstPeriod(minutes=120, price_fen=first),
            periods=[Period(name="全天", start=_ALL_DAY, end=_ALL_DAY, unit_minutes=60, unit_price_fen=hourly)],
            caps=Caps(basis="calendar_day", daily_fen=[cap]),
        )

    return Tariff(
        name="zhongxiang-tourist-centre",
        effective_from=EFFECTIVE,
        calendar=CALENDAR_CN,
        classes={
            VehicleClass.SMALL: ClassTariff(rule=rule(500, 200, 2000)),
            VehicleClass.LARGE: ClassTariff(rule=rule(800, 300, 3000)),
            VehicleClass.MOTORCYCLE: ClassTariff(rule=rule(100, 50, 500)),
        },
        # The notice's list, kind by kind (reasons from the catalogue); ``emergency`` keeps the notice's words
        # for an emergency vehicle recorded without a narrower kind.
        exempt={
            **{
                kind: reason(kind)
                for kind in (
                    ExemptKind.MONTHLY,
                    ExemptKind.MILITARY,
                    ExemptKind.POLICE,
                    ExemptKind.FIRE,
                    ExemptKind.AMBULANCE,
                    ExemptKind.DISASTER_RELIEF,
                    ExemptKind.MUNICIPAL_REPAIR,
                )
            },
            ExemptKind.EMERGENCY: "警车、消防车、救护车、抢险救灾车、市政工程抢修车",
        },
    )


def beijing_outdoor_2005() -> Tariff:
    """Beijing outdoor lots within the Fourth Ring Road (2005; http://www.newsgd.com/travel/traveltips/200509140010.htm):

    7 a.m. - 9 p.m. two yuan an hour; 9 p.m. - 7 a.m. one yuan every two hours. No free time, no cap.
    """
    small = TimedRule(
        periods=[
            Period(name="白天", start=time(7), end=time(21), unit_minutes=60, unit_price_fen=200),
            Period(name="夜间", start=time(21), end=time(7), unit_minutes=120, unit_price_fen=100),
        ],
    )
    return Tariff(
        name="beijing-outdoor-4th-ring-2005",
        effective_from=datetime(2005, 9, 1, tzinfo=CST),
        calendar=CALENDAR_CN,
        classes={VehicleClass.SMALL: ClassTariff(rule=small)},
    )


# Modelled on common notices, used by the bench and the property tests.
MODELLED = {"railway_station": railway_station, "airport": airport, "day_night": day_night}
# Real published notices (see each docstring for the source).
PUBLISHED = {
    "yuncheng_north": yuncheng_north,
    "chongqing_airport_t2": chongqing_airport_t2,
    "zhongxiang_tourist_centre": zhongxiang_tourist_centre,
    "beijing_outdoor_2005": beijing_outdoor_2005,
}
ALL = {**MODELLED, **PUBLISHED}
