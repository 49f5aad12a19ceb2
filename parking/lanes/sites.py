"""A per-process cache of what rarely changes at a lane: the lane with its lot and area, and the lot's tariffs.

Every camera push needs them and they change a few times a year, so reading them on every push is most of the
hot path's cost. The database stays the source of truth: an entry lives ``ttl_s`` seconds (what another process's
change may take to show), and a change committed through the ORM in this process (every mutation and script
here) drops the lot's entries at once. The lot's occupied count is never taken from here (see
``context.load_plate``). The API builds one and hands it to the camera endpoints.

A cached site's rows are expunged from the session that read them: that session may still roll back (a race on
the open-stay index, a lost connection: ``flow.handle_reading`` then decides again), and a rollback expires every
row it holds, which would leave the cache serving rows that raise on every read until the entry is replaced.
"""

from __future__ import annotations

import time
import weakref
from collections.abc import Callable

from sqlalchemy.ext.asyncio import AsyncSession

from parking.common.committed_changes import on_committed_changes
from parking.lanes.context import LaneSite, TariffBook, load_site, load_tariffs
from parking.merchants.models import CouponTemplate, MerchantLot
from parking.tariffs.models import TariffVersion
from parking.tenancy.models import Area, Lane, Lot

DEFAULT_TTL_S = 5.0
_caches: weakref.WeakSet[SiteCache] = weakref.WeakSet()


class SiteCache:
    def __init__(self, ttl_s: float = DEFAULT_TTL_S, clock: Callable[[], float] = time.monotonic) -> None:
        self.ttl_s = ttl_s
        self._clock = clock
        self._sites: dict[int, tuple[float, LaneSite]] = {}
        self._tariffs: dict[int, tuple[float, TariffBook]] = {}
        # Bumped by every ``forget``: a load that started before it must not store what it read.
        self._generation = 0
        _caches.add(self)

    async def site(self, session: AsyncSession, lane_id: int) -> LaneSite | None:
        hit = self._sites.get(lane_id)
        if hit is not None and hit[0] > self._clock():
            return hit[1]
        generation = self._generation
        site = await load_site(session, lane_id)
        if site is not None and generation == self._generation:
            for row in (site.lane, site.lot, site.area):
                if row is not None:
                    session.expunge(row)
            self._sites[lane_id] = (self._clock() + self.ttl_s, site)
        return site

    async def tariffs(self, session: AsyncSession, lot_id: int) -> TariffBook:
        hit = self._tariffs.get(lot_id)
        if hit is not None and hit[0] > self._clock():
            return hit[1]
        generation = self._generation
        book = await load_tariffs(session, lot_id)
        if generation == self._generation:
            self._tariffs[lot_id] = (self._clock() + self.ttl_s, book)
        return book

    def forget(self, lot_ids: set[int] | None = None) -> None:
        """Drop the entries of these lots (None: all)."""
        self._generation += 1
        if lot_ids is None:
            self._sites.clear()
            self._tariffs.clear()
            return
        for lane_id, (_, site) in list(self._sites.items()):
            if site.lot.id in lot_ids:
                del self._sites[lane_id]
        for lot_id in lot_ids:
            self._tariffs.pop(lot_id, None)


def _lot_of(obj: object) -> int | None:
    if isinstance(obj, Lot):
        return obj.id
    if isinstance(obj, Lane | Area | TariffVersion | CouponTemplate | MerchantLot):
        # A lot's first coupon template (or merchant of another lot) turns its coupon lookup on.
        return obj.lot_id
    return None


def _forget_everywhere(lot_ids: set[int]) -> None:
    for cache in list(_caches):
        cache.forget(lot_ids)


on_committed_changes(_lot_of, _forget_everywhere)
