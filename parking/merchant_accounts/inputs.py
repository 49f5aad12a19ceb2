"""Validated inputs of the merchant operator use-cases."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, StringConstraints

from parking.accounts.inputs import Password, Username
from parking.common.inputs import Id, Phone, ShortName

InviteCode = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=32)]


class MerchantJoin(BaseModel):
    invite_code: InviteCode
    username: Username
    password: Password
    display_name: ShortName | None = None


class MerchantOperatorCreate(BaseModel):
    merchant_id: Id
    username: Username
    password: Password
    display_name: ShortName | None = None
    phone: Phone = ""
