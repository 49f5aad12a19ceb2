"""Validated inputs of the tenancy use-cases."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import BaseModel, Field, StringConstraints

from parking.common.inputs import Capacity, Id, Name, Phone, ShortName, Text200, TimeZone
from parking.tenancy.enums import DuplicateEntryPolicy, LaneDirection, LaneMode, VehicleCategory

Latitude = Annotated[float, Field(ge=-90, le=90)]
Longitude = Annotated[float, Field(ge=-180, le=180)]
GraceMinutes = Annotated[int, Field(ge=0, le=240)]
# Free text, empty for none: a district (南山区) or a booth (东门岗亭) as the operator names it.
Region = Annotated[str, StringConstraints(strip_whitespace=True, max_length=50)]
Booth = Region


class AgentCreate(BaseModel):
    name: Name
    contact_name: ShortName | None = None
    phone: Phone = ""


class AgentUpdate(BaseModel):
    name: Name | None = None
    contact_name: ShortName | None = None
    phone: Phone | None = None
    is_active: bool | None = None


class CustomerCreate(BaseModel):
    agent_id: Id
    name: Name
    contact_name: ShortName | None = None
    phone: Phone = ""


class CustomerUpdate(BaseModel):
    name: Name | None = None
    contact_name: ShortName | None = None
    phone: Phone | None = None
    is_active: bool | None = None


class LotCreate(BaseModel):
    customer_id: Id
    name: Name
    address: Text200 = ""
    region: Region = ""
    latitude: Latitude | None = None
    longitude: Longitude | None = None
    capacity: Capacity
    timezone: TimeZone = "Asia/Shanghai"
    licence_until: date | None = None
    prepay_grace_minutes: GraceMinutes = 15
    duplicate_entry_policy: DuplicateEntryPolicy = DuplicateEntryPolicy.FLAG_ABNORMAL


class LotUpdate(BaseModel):
    name: Name | None = None
    address: Text200 | None = None
    region: Region | None = None
    latitude: Latitude | None = None
    longitude: Longitude | None = None
    capacity: Capacity | None = None
    timezone: TimeZone | None = None
    licence_until: date | None = None
    prepay_grace_minutes: GraceMinutes | None = None
    duplicate_entry_policy: DuplicateEntryPolicy | None = None
    is_active: bool | None = None


class AreaCreate(BaseModel):
    lot_id: Id
    parent_id: Id | None = None
    name: Name
    capacity: Capacity
    is_inner: bool = False


class AreaUpdate(BaseModel):
    name: Name | None = None
    capacity: Capacity | None = None


class LaneCreate(BaseModel):
    lot_id: Id
    area_id: Id | None = None
    name: Name
    direction: LaneDirection
    mode: LaneMode = LaneMode.AUTO
    allowed_categories: list[VehicleCategory] | None = None
    booth: Booth = ""


class LaneUpdate(BaseModel):
    name: Name | None = None
    booth: Booth | None = None
    mode: LaneMode | None = None
    allowed_categories: list[VehicleCategory] | None = None
    is_active: bool | None = None
