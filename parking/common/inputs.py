"""Constrained field types shared by the input models of every domain."""

from __future__ import annotations

from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AfterValidator, Field, StringConstraints

from parking.plates import InvalidPlate, normalize_plate

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
ShortName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=50)]
Text200 = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]
Phone = Annotated[str, StringConstraints(strip_whitespace=True, max_length=30, pattern=r"^[0-9+\-() ]*$")]
Capacity = Annotated[int, Field(ge=0, le=100_000)]
Fen = Annotated[int, Field(ge=0, le=100_000_000)]
Id = Annotated[str, StringConstraints(pattern=r"^[1-9][0-9]{0,18}$")]


def _plate(value: str) -> str:
    try:
        return normalize_plate(value)
    except InvalidPlate as err:
        raise ValueError(err.reason) from err


def _timezone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError) as err:
        raise ValueError("unknown time zone") from err
    return value


Plate = Annotated[str, AfterValidator(_plate)]
TimeZone = Annotated[str, AfterValidator(_timezone)]
