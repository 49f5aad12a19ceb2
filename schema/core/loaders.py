"""Dataloaders: one ``IN (...)`` query per batch through the scoped session, results in key order."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import select
from strawberry.dataloader import DataLoader

from parking.common.db import Base

if TYPE_CHECKING:
    from schema.core.context import Context


class Loaders:
    """Per-request loaders, created on first use and keyed by what they load."""

    def __init__(self, context: Context) -> None:
        self._context = context
        # A websocket connection lives for hours: caching there would serve rows as they were at connect.
        self._cache = not context.live
        self._by_id: dict[type[Base], DataLoader[int, Any]] = {}
        self._children: dict[tuple[type[Base], str], DataLoader[int, list[Any]]] = {}

    def by_id(self, model: type[Base]) -> DataLoader[int, Any]:
        if model not in self._by_id:

            async def load(keys: list[int]) -> Sequence[Any]:
                async with self._context.reading() as session:
                    rows = await session.scalars(select(model).where(cast(Any, model).id.in_(keys)))
                    found: dict[int, Any] = {cast(Any, row).id: row for row in rows}
                # A row outside the actor's scope loads as None, exactly like a missing one.
                return [found.get(key) for key in keys]

            self._by_id[model] = DataLoader(load_fn=load, cache=self._cache)
        return self._by_id[model]

    def children(self, model: type[Base], foreign_key: str, order_by: str = "id") -> DataLoader[int, list[Any]]:
        """Rows of ``model`` grouped by ``foreign_key``, e.g. the lanes of each lot."""
        cache_key = (model, foreign_key)
        if cache_key not in self._children:
            column = getattr(model, foreign_key)
            order = getattr(model, order_by)

            async def load(keys: list[int]) -> Sequence[list[Any]]:
                async with self._context.reading() as session:
                    rows = await session.scalars(select(model).where(column.in_(keys)).order_by(order))
                    grouped: dict[int, list[Any]] = defaultdict(list)
                    for row in rows:
                        grouped[getattr(row, foreign_key)].append(row)
                return [grouped.get(key, []) for key in keys]

            self._children[cache_key] = DataLoader(load_fn=load, cache=self._cache)
        return self._children[cache_key]
