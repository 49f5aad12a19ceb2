"""Monthly partitions of the two tables that grow with traffic (lane events and stays), on PostgreSQL.

Both are partitioned by RANGE of their id, and their ids carry the month they were created in: PostgreSQL gives
each new row ``(months since 2000-01) << 36 | a sequence number`` (``pc_month_id``), so the ids still grow with
time, every id stays unique on its own, and a month's rows are one id range. Why the id and not ``entry_at`` or
``at``: PostgreSQL wants the partition key in every primary key and unique index, and eleven foreign keys point
at these ids; with the id as the key they keep pointing at ``id`` alone. The month is the database's clock at the
insert, never a camera's. Ids stay below 2**53, so JavaScript clients read them exactly.

Rows older than the partitioning (and explicit ids below the first month's) live in ``<table>_legacy``. The
partitions ahead are made by the migration and then by the worker's daily ``ensure_partitions`` job (three
months ahead, so a month of failed jobs still leaves time). SQLite has no partitions: the same models make
plain tables there.

What a partitioned table cannot have, a global unique index without the id, lives in a side table kept by
triggers (parking/sessions/global_keys.py): the open stay per plate and the lane events' dedup keys.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeVar

from sqlalchemy import Connection, Index, Table, UniqueConstraint, event, text
from sqlalchemy.ext.asyncio import AsyncConnection

PARTITIONED = ("parking_sessions", "lane_events")
EPOCH_YEAR = 2000
ID_SHIFT = 36  # 6.9e10 ids a table before a sequence number would reach into the month bits
MONTHS_AHEAD = 3
LOCK_TIMEOUT = "5s"  # a partition waits this long for the parent's lock, then the next day's job tries again

_PARTITION_NAME = re.compile(rf"^({'|'.join(PARTITIONED)})_(legacy|m\d{{4}}_\d{{2}})$")

MONTH_ID_FUNCTION = f"""
CREATE OR REPLACE FUNCTION pc_month_id(seq_value bigint) RETURNS bigint LANGUAGE sql STABLE AS $$
    SELECT (((extract(year FROM now() AT TIME ZONE 'UTC')::bigint - {EPOCH_YEAR}) * 12
             + extract(month FROM now() AT TIME ZONE 'UTC')::bigint - 1) << {ID_SHIFT}) + seq_value
$$
"""


@dataclass(frozen=True, slots=True)
class Month:
    year: int
    month: int

    @classmethod
    def of(cls, at: datetime) -> Month:
        at = at.astimezone(UTC)
        return cls(at.year, at.month)

    @property
    def index(self) -> int:
        return (self.year - EPOCH_YEAR) * 12 + self.month - 1

    @property
    def first_id(self) -> int:
        """The smallest id made in this month; the next month's is this one's end (exclusive)."""
        return self.index << ID_SHIFT

    def plus(self, months: int) -> Month:
        index = self.index + months
        return Month(EPOCH_YEAR + index // 12, index % 12 + 1)

    def partition(self, table: str) -> str:
        return f"{table}_m{self.year:04d}_{self.month:02d}"


def is_partition(name: str | None) -> bool:
    """A partition's table name: alembic's comparison with the models skips them (the models know the parents)."""
    return name is not None and _PARTITION_NAME.match(name) is not None


def create_partition_sql(table: str, month: Month) -> str:
    return (
        f'CREATE TABLE IF NOT EXISTS "{month.partition(table)}" PARTITION OF "{table}" '
        f"FOR VALUES FROM ({month.first_id}) TO ({month.plus(1).first_id})"
    )


def create_legacy_sql(table: str, before: Month) -> str:
    return (
        f'CREATE TABLE IF NOT EXISTS "{table}_legacy" PARTITION OF "{table}" '
        f"FOR VALUES FROM (MINVALUE) TO ({before.first_id})"
    )


async def _partition_names(conn: AsyncConnection) -> set[str]:
    return set(await conn.scalars(text("SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid")))


async def ensure_partitions(conn: AsyncConnection, now: datetime, months_ahead: int = MONTHS_AHEAD) -> list[str]:
    """Create this month's partitions and those ``months_ahead`` after it where missing; returns the new ones."""
    if conn.dialect.name != "postgresql":
        return []
    await conn.execute(text(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'"))
    existing = await _partition_names(conn)
    created = []
    first = Month.of(now)
    for table in PARTITIONED:
        for ahead in range(months_ahead + 1):
            month = first.plus(ahead)
            if month.partition(table) not in existing:
                await conn.execute(text(create_partition_sql(table, month)))
                created.append(month.partition(table))
    return created


async def months_ahead(conn: AsyncConnection, now: datetime) -> dict[str, int]:
    """Per partitioned table, how many months after this one already have their partition (PostgreSQL; the
    metric that says the job is keeping up: an insert in a month without a partition fails)."""
    if conn.dialect.name != "postgresql":
        return {}
    names = await _partition_names(conn)
    ahead = {}
    for table in PARTITIONED:
        month, count = Month.of(now).plus(1), 0
        while month.partition(table) in names:
            month, count = month.plus(1), count + 1
        ahead[table] = count
    return ahead


def partitioned_by_month(table: Table) -> None:
    """For the models: on PostgreSQL ``create_all`` makes ``table`` partitioned, with month ids and partitions.

    The table's ``__table_args__`` carry ``postgresql_partition_by="RANGE (id)"``; this adds what comes after
    the CREATE TABLE: the month id default, the legacy partition and the partitions from this month on.
    """
    month = Month.of(datetime.now(UTC))
    statements = [
        f"ALTER TABLE \"{table.name}\" ALTER COLUMN id SET DEFAULT pc_month_id(nextval('{table.name}_id_seq'))",
        create_legacy_sql(table.name, month),
        *(create_partition_sql(table.name, month.plus(ahead)) for ahead in range(MONTHS_AHEAD + 1)),
    ]
    on_postgresql(table, "before_create", [MONTH_ID_FUNCTION])
    on_postgresql(table, "after_create", statements)


def on_postgresql(table: Table, when: str, statements: list[str]) -> None:
    """Run ``statements`` when ``create_all`` makes ``table`` (``when``: before_create or after_create) on
    PostgreSQL."""

    def run(target: Table, connection: Connection, **_: Any) -> None:
        if connection.dialect.name == "postgresql":
            for statement in statements:
                connection.execute(text(statement))

    event.listen(table, when, run)


_Item = TypeVar("_Item", Index, UniqueConstraint)


def only_on(dialect: str, item: _Item) -> _Item:
    """An index or unique constraint made on one database only (the other keeps the rule elsewhere)."""
    item.info["only_on"] = dialect
    return item.ddl_if(dialect=dialect)


def alembic_filter(dialect: str) -> Callable[[Any, str | None, str, bool, Any], bool]:
    """alembic's ``include_object``: partitions, and indexes and constraints made on the other database only,
    are not differences between the models and the database."""

    def include(item: Any, name: str | None, type_: str, reflected: bool, compare_to: Any) -> bool:
        if type_ == "table" and is_partition(name):
            return False
        # A foreign key to a partitioned table has a hidden copy for each partition, which reflection lists.
        if type_ == "foreign_key_constraint" and reflected and is_partition(item.referred_table.name):
            return False
        only = getattr(item, "info", {}).get("only_on") if not reflected else None
        return only in (None, dialect)

    return include
