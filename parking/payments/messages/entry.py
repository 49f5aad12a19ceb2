"""The entry notification (车辆入场通知): plate, lot and entry time in the lot's zone, once per stay.

Runs after the entry committed (a worker or a task), never in the gate decision. Safe to run twice: the stay's
row is made once, a sender claims it for a while, and a row that is sent or refused is never sent again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from parking.common.database import Database
from parking.common.scope import Scope
from parking.drivers.models import DriverPlate
from parking.payments.frictionless.entry import known_openid
from parking.payments.messages.models import DriverMessage, MessageKind, MessageStatus
from parking.payments.miniprogram import MiniProgramClient, WeChatApiError
from parking.plates import NO_PLATE
from parking.sessions.models import ParkingSession
from parking.tenancy.models import Lot
from parking.tenancy.payment_settings import LotPaymentSettings

# Errcodes that no retry will change: the user refused (43101), bad openid/template/data, not subscribed.
PERMANENT_ERRCODES = frozenset({43101, 40003, 40037, 47003, 43107})
# Longer than one send takes; after it a crashed sender's row may be taken by the retry.
_CLAIM = timedelta(seconds=60)


@dataclass(frozen=True, slots=True)
class EntryTemplate:
    template_id: str
    fields: dict[str, str]
    page: str | None

    @classmethod
    def of(cls, settings: LotPaymentSettings) -> EntryTemplate | None:
        if not settings.entry_template_id:
            return None
        fields = settings.entry_template_fields.model_dump()
        return cls(settings.entry_template_id, fields, settings.entry_template_page or None)


class EntryNoticeFailed(Exception):
    """A transient error: the row stays pending and the caller (Dramatiq) retries."""


@dataclass(frozen=True, slots=True)
class Claimed:
    row_id: int
    openid: str
    template: EntryTemplate
    data: dict[str, str]


def notifies_entries(lot: Lot) -> bool:
    """Whether the lane flow hands a new stay at this lot on (no query: the lot is already loaded)."""
    return EntryTemplate.of(lot.settings) is not None


def _data(template: EntryTemplate, plate: str, lot: Lot, entered_at: datetime) -> dict[str, str]:
    local = entered_at.astimezone(ZoneInfo(lot.timezone or "Asia/Shanghai"))
    # WeChat limits a thing keyword to 20 characters.
    values = {"plate": plate, "lot": lot.name[:20], "time": local.strftime("%Y-%m-%d %H:%M")}
    return {template.fields[name]: value for name, value in values.items()}


async def _claim(db: Database, session_id: int, now: datetime) -> Claimed | None:
    """The stay's row, made if missing and held until ``now + _CLAIM``; None when there is nothing to send."""
    async with db.transaction(Scope.internal()) as tx:
        stay = await tx.get(ParkingSession, session_id)
        if stay is None or stay.parent_id is not None or stay.plate == NO_PLATE:
            return None
        lot = await tx.get(Lot, stay.lot_id)
        assert lot is not None
        template = EntryTemplate.of(lot.settings)
        if template is None:
            return None
        row = await tx.scalar(
            select(DriverMessage).where(DriverMessage.session_id == session_id, DriverMessage.kind == MessageKind.ENTRY)
        )
        if row is None:
            openid = await recipient(tx, stay.customer_id, stay.plate)
            if openid is None:
                return None
            row = DriverMessage(
                agent_id=stay.agent_id,
                customer_id=stay.customer_id,
                lot_id=stay.lot_id,
                session_id=stay.id,
                kind=MessageKind.ENTRY,
                openid=openid,
                template_id=template.template_id,
            )
            tx.add(row)
            await tx.flush()
        if not await take(tx, row.id, now):
            return None  # sent, refused, or another sender holds it
        return Claimed(row.id, row.openid, template, _data(template, stay.plate, lot, stay.entry_at))


async def take(tx: AsyncSession, row_id: int, now: datetime) -> bool:
    """Hold a pending row until ``now + _CLAIM`` for this sender; False when it is sent, refused or held."""
    taken = await tx.execute(
        update(DriverMessage)
        .where(
            DriverMessage.id == row_id,
            DriverMessage.status == MessageStatus.PENDING,
            or_(DriverMessage.claimed_until.is_(None), DriverMessage.claimed_until < now),
        )
        .values(claimed_until=now + _CLAIM, attempts=DriverMessage.attempts + 1)
        .execution_options(synchronize_session=False)
    )
    return bool(taken.rowcount == 1)  # type: ignore[attr-defined]


async def recipient(tx: AsyncSession, customer_id: int, plate: str) -> str | None:
    """Whom to tell about the plate: the driver who bound it in the mini-program, else a WeChat user who paid
    for it before at this customer's lots."""
    bound = await tx.scalar(select(DriverPlate.openid).where(DriverPlate.plate == plate))
    return bound if bound is not None else await known_openid(tx, customer_id, plate)


async def _record(db: Database, row_id: int, **values: Any) -> None:
    async with db.transaction(Scope.internal()) as tx:
        await tx.execute(update(DriverMessage).where(DriverMessage.id == row_id).values(claimed_until=None, **values))


async def send_entry_notice(
    db: Database, client: MiniProgramClient, session_id: int, now: datetime
) -> MessageStatus | None:
    """Send the stay's entry notification if it is due; None when nothing was sent (no openid, no template,
    already done or held). Raises ``EntryNoticeFailed`` on a transient error so that the caller retries."""
    try:
        claimed = await _claim(db, session_id, now)
    except IntegrityError:
        return None  # the same stay claimed concurrently by a redelivered job: that one sends
    if claimed is None:
        return None
    return await send_claimed(db, client, claimed)


async def send_claimed(db: Database, client: MiniProgramClient, claimed: Claimed) -> MessageStatus:
    """Send a claimed row's message and record what WeChat said (``EntryNoticeFailed`` on a transient error)."""
    try:
        msgid = await client.send_subscribe_message(
            claimed.openid, claimed.template.template_id, claimed.data, claimed.template.page
        )
    except WeChatApiError as exc:
        if exc.errcode in PERMANENT_ERRCODES:
            await _record(db, claimed.row_id, status=MessageStatus.REFUSED, errcode=exc.errcode)
            return MessageStatus.REFUSED
        await _record(db, claimed.row_id, errcode=exc.errcode)
        raise EntryNoticeFailed(str(exc)) from exc
    await _record(db, claimed.row_id, status=MessageStatus.SENT, errcode=0, msgid=str(msgid))
    return MessageStatus.SENT
