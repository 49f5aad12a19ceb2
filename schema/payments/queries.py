"""Payment queries: the payer's status check (by the order's unguessable number)."""

from __future__ import annotations

import strawberry

from parking.common.db import utcnow
from parking.payments.service import refresh_status
from schema.core.context import Info
from schema.payments.context import channels_of
from schema.payments.settlement import SettlementQuery
from schema.payments.types import order_type
from schema.records.types import PaymentOrderType


@strawberry.type
class PaymentsQuery(SettlementQuery):
    @strawberry.field(
        description="An order's status for the payer's device; an open order asks its channel, so a lost "
        "notification is caught up. Open to drivers: the 29-character order number is the key."
    )
    async def payment_status(self, info: Info, out_trade_no: str) -> PaymentOrderType:
        row = await refresh_status(info.context.db, channels_of(info), out_trade_no[:32], utcnow())
        return order_type(row)
