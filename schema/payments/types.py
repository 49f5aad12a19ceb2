"""Payment result types: the order (the records' PaymentOrder type) with what the payer's device needs."""

from __future__ import annotations

from typing import Annotated, cast

import strawberry
from strawberry.scalars import JSON

from parking.payments.models import PaymentOrder
from schema.core.errors import Error, ErrorCode
from schema.core.money import Fen
from schema.records.types import PaymentOrderType


@strawberry.type
class PaymentError(Error):
    code: ErrorCode
    message: str
    field: str | None = None


@strawberry.type(description="An order to pay, and what the payer's device needs to pay it.")
class PaymentCreateSuccess:
    order: PaymentOrderType
    client_params: JSON = strawberry.field(
        description="JSAPI: the wx.requestPayment parameters; Alipay mini-program: {tradeNO}; QR channels: {}."
    )
    qr_code: str | None = strawberry.field(description="Native / Alipay QR: the code to show.")
    reused: bool = strawberry.field(description="True: the stay's open order for the same amount was returned.")


@strawberry.type(description="Cash recorded; the car, if it waited at an exit, was let out.")
class PaymentCashSuccess:
    order: PaymentOrderType
    gate_opened: bool


@strawberry.type(description="Paid from the owner's wallet; the car, if it waited at an exit, was let out.")
class PaymentWalletSuccess:
    order: PaymentOrderType
    balance_fen: Fen = strawberry.field(description="The wallet's balance after the debit.")
    reused: bool = strawberry.field(description="True: this request key had already paid; nothing was debited now.")
    gate_opened: bool


PaymentCreateResult = Annotated[PaymentCreateSuccess | PaymentError, strawberry.union("PaymentCreateResult")]
PaymentCashResult = Annotated[PaymentCashSuccess | PaymentError, strawberry.union("PaymentCashResult")]

PaymentWalletResult = Annotated[PaymentWalletSuccess | PaymentError, strawberry.union("PaymentWalletResult")]


def order_type(row: PaymentOrder) -> PaymentOrderType:
    # The ORM row has every field of the type; strawberry reads attributes.
    return cast(PaymentOrderType, row)
