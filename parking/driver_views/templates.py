"""Which WeChat subscribe-message templates the mini-program asks the driver to accept (wx.requestSubscribeMessage).

WeChat sends a subscribe message only after the user accepted its template in the mini-program, once per
acceptance. The template ids are lot settings (``entry_template_id``, ``paid_template_id``), so the client asks
here: for a lot (before paying one of its stays) that lot's payment then entry template; for no lot (after binding
a plate, which may enter any lot) the entry then payment templates of the active lots. Distinct, empty ones left
out, at most three: WeChat's limit for one request. One statement.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from parking.tenancy.models import Lot

MAX_TEMPLATES = 3  # wx.requestSubscribeMessage takes at most three template ids at once
# Template ids belong to the mini-program (one appid), so lots share the same few: reading the first lots finds
# them, and a platform with thousands of lots does not read them all for one driver's tap.
MAX_LOTS_READ = 100


async def subscribe_templates(session: AsyncSession, lot_id: int | None) -> list[str]:
    """The template ids to ask for, most wanted first: [] when no lot sends notifications."""
    stmt = select(Lot).where(Lot.is_active.is_(True)).order_by(Lot.id).limit(MAX_LOTS_READ)
    if lot_id is not None:
        stmt = stmt.where(Lot.id == lot_id)
    settings = [lot.settings for lot in await session.scalars(stmt)]
    if lot_id is not None:
        wanted = [s.paid_template_id for s in settings] + [s.entry_template_id for s in settings]
    else:
        wanted = [s.entry_template_id for s in settings] + [s.paid_template_id for s in settings]
    return list(dict.fromkeys(w for w in wanted if w))[:MAX_TEMPLATES]
