"""Validated inputs of the merchant use-cases."""

from __future__ import annotations

from pydantic import BaseModel

from parking.common.inputs import Id, Name, Phone, ShortName


class MerchantCreate(BaseModel):
    lot_id: Id
    name: Name
    contact_name: ShortName | None = None
    phone: Phone = ""


class MerchantUpdate(BaseModel):
    name: Name | None = None
    contact_name: ShortName | None = None
    phone: Phone | None = None
    is_active: bool | None = None
