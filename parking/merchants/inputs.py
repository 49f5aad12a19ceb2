"""Validated inputs of the merchant use-cases."""

from __future__ import annotations

from typing import Annotated

from pydantic import AwareDatetime, BaseModel, Field, StringConstraints

from parking.common.inputs import Fen, Id, Name, Phone, ShortName
from parking.merchants.models import CouponKind

Quantity = Annotated[int, Field(ge=1, le=100_000)]
Minutes = Annotated[int, Field(ge=1, le=366 * 24 * 60)]
Note = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]
LotIds = Annotated[list[Id], Field(max_length=100)]


class MerchantCreate(BaseModel):
    lot_id: Id
    name: Name
    contact_name: ShortName | None = None
    phone: Phone = ""
    credit_limit_fen: Fen = 0
    lot_ids: LotIds = []  # other lots of the same customer where its coupons count


class MerchantUpdate(BaseModel):
    name: Name | None = None
    contact_name: ShortName | None = None
    phone: Phone | None = None
    is_active: bool | None = None
    credit_limit_fen: Fen | None = None
    lot_ids: LotIds | None = None  # replaces the other lots when given


class CouponTemplateCreate(BaseModel):
    lot_id: Id
    name: ShortName
    kind: CouponKind
    value: Annotated[int, Field(ge=0, le=100_000_000)]
    price_fen: Fen = 0
    valid_minutes: Minutes = 24 * 60
    sell_from: AwareDatetime | None = None
    sell_until: AwareDatetime | None = None
    max_per_stay: Annotated[int, Field(ge=1, le=100)] = 1
    max_per_plate_per_day: Annotated[int, Field(ge=1, le=1000)] | None = None
    stackable: bool = True


class CouponTemplateUpdate(BaseModel):
    name: ShortName | None = None
    kind: CouponKind | None = None
    value: Annotated[int, Field(ge=0, le=100_000_000)] | None = None
    price_fen: Fen | None = None
    valid_minutes: Minutes | None = None
    sell_from: AwareDatetime | None = None
    sell_until: AwareDatetime | None = None
    max_per_stay: Annotated[int, Field(ge=1, le=100)] | None = None
    max_per_plate_per_day: Annotated[int, Field(ge=1, le=1000)] | None = None
    stackable: bool | None = None
    is_active: bool | None = None


class StockCredit(BaseModel):
    merchant_id: Id
    template_id: Id
    quantity: Quantity
    charge: bool = True  # charged to the balance at quantity × price; False: free


class TopUp(BaseModel):
    merchant_id: Id
    amount_fen: Annotated[int, Field(ge=1, le=100_000_000)]
    note: Note = ""


class CouponIssue(BaseModel):
    merchant_id: Id
    template_id: Id
    plate: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=16)]


class CouponVoid(BaseModel):
    id: Id
    reason: Note = ""
