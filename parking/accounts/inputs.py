"""Validated inputs of the accounts use-cases."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, Field, StringConstraints, field_validator

from parking.accounts.permissions import ALL_PERMISSIONS
from parking.common.inputs import Id, Phone, ShortName, Text200
from parking.common.scope import ScopeLevel

Username = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=3, max_length=50, pattern=r"^[A-Za-z0-9_.@\-]+$")
]
Password = Annotated[str, StringConstraints(min_length=8, max_length=128)]


def _known(permissions: list[str]) -> list[str]:
    unknown = sorted(set(permissions) - ALL_PERMISSIONS)
    if unknown:
        raise ValueError(f"unknown permissions: {', '.join(unknown)}")
    return sorted(set(permissions))


class RoleCreate(BaseModel):
    name: ShortName
    description: Text200 = ""
    permissions: list[str]

    _check = field_validator("permissions")(_known)


class RoleUpdate(BaseModel):
    name: ShortName | None = None
    description: Text200 | None = None
    permissions: list[str] | None = None

    @field_validator("permissions")
    @classmethod
    def _check(cls, value: list[str] | None) -> list[str] | None:
        return None if value is None else _known(value)


class ScopeInput(BaseModel):
    level: ScopeLevel
    agent_id: Id | None = None
    customer_id: Id | None = None
    lot_ids: Annotated[list[Id], Field(max_length=500)] = []


class OperatorCreate(BaseModel):
    username: Username
    display_name: ShortName | None = None
    phone: Phone = ""
    password: Password
    role_id: Id
    scope: ScopeInput


class OperatorUpdate(BaseModel):
    display_name: ShortName | None = None
    phone: Phone | None = None
    password: Password | None = None
    role_id: Id | None = None
    is_active: bool | None = None


class ApiKeyCreate(BaseModel):
    name: ShortName
    permissions: list[str]
    scope: ScopeInput

    _check = field_validator("permissions")(_known)
