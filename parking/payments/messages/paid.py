"""The payment notification (停车缴费成功): plate, lot, amount and time, once per paid order of a stay, to the driver
who bound the plate in the mini-program.

Runs after the payment committed (``StayPaymentCredited``, a worker or a task). Safe to run twice, like the entry
notification: the order's row is made once (unique per stay, kind and order), claimed, and never sent again
once sent or refused.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from parking.common.database import Database
from parking.common.scope import Scope
from parking.drivers.models import DriverPlate
from parking.drivers.texts import DriverText, text
from parking.payments.amounts import fen_to_yuan
from parking.payments.messages.entry import Claimed, EntryTemplate, send_claimed, take
from parking.payments.messages.models import DriverMessage, MessageKind, MessageStatus
from parking.payments.miniprogram import MiniProgramClient
from parking.payments.models import PaymentOrder
from parking.plates import NO_PLATE
from parking.sessions.models import ParkingSession
from parking.tenancy.models import Lot
from parking.tenancy.payment_settings import LotPaymentSettings


def paid_template(settings: LotPaymentSettings) -> EntryTemplate | None:
    if not settings.paid_template_id:
        return None
    return EntryTemplate(settings.paid_template_id, settings.paid_template_fields.model_dump(), None)


def _data(template: EntryTemplate, plate: str, lot: Lot, amount_fen: int, paid_at: datetime) -> dict[str, str]:
    local = paid_at.astimezone(ZoneInfo(lot.timezone or "Asia/Shanghai"))
    values = {
        "plate": plate,
        "lot": lot.name[:20],  # WeChat limits a thing keyword to 20 characters
        "amount": text(DriverText.PAID_AMOUNT, yuan=fen_to_yuan(amount_fen)),
        "time": local.strftime("%Y-%m-%d %H:%M"),
    }
    return {template.fields[name]: value for name, value in values.items()}


async def _claim(db: Database, order_id: int, now: datetime) -> Claimed | None:
    async with db.transaction(Scope.internal()) as tx:
        order = await tx.get(PaymentOrder, order_id)
        if order is None or order.session_id is None or order.paid_at is None:
            return None
        stay = await tx.get(ParkingSession, order.session_id)
        if stay is None or stay.plate == NO_PLATE:
            return None
        lot = await tx.get(Lot, stay.lot_id)
        assert lot is not None
        template = paid_template(lot.settings)
        if template is None:
            return None
        ref = str(order.id)
        row = await tx.scalar(
            select(DriverMessage).where(
                DriverMessage.session_id == stay.id, DriverMessage.kind == MessageKind.PAID, DriverMessage.ref == ref
            )
        )
        if row is None:
            openid = await tx.scalar(select(DriverPlate.openid).where(DriverPlate.plate == stay.plate))
            if openid is None:
                return None  # only a bound plate's driver is told: the payer has WeChat Pay's own receipt
            row = DriverMessage(
                agent_id=stay.agent_id,
                customer_id=stay.customer_id,
                lot_id=stay.lot_id,
                session_id=stay.id,
                kind=MessageKind.PAID,
                ref=ref,
                openid=openid,
                template_id=template.template_id,
            )
            tx.add(row)
            await tx.flush()
        if not await take(tx, row.id, now):
            return None
        return Claimed(row.id, row.openid, template, _data(template, stay.plate, lot, order.amount_fen, order.paid_at))


async def send_paid_notice(
    db: Database, client: MiniProgramClient, order_id: int, now: datetime
) -> MessageStatus | None:
    """Send the order's payment notification if it is due; None when nothing was sent. Raises
    ``EntryNoticeFailed`` on a transient error so that the caller retries."""
    try:
        claimed = await _claim(db, order_id, now)
    except IntegrityError:
        return None  # claimed concurrently by a redelivered job: that one sends
    if claimed is None:
        return None
    return await send_claimed(db, client, claimed)
