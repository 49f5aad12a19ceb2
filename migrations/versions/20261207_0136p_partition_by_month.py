"""partition lane_events and parking_sessions by month (PostgreSQL)

Each table becomes ``PARTITION BY RANGE (id)``; new ids carry their month (``pc_month_id``, see
parking/common/partitions.py). The existing table is attached whole as ``<table>_legacy`` (every id made before
this migration is below this month's first id), so no row is copied; then this month's partition and the next
three are made. The unique keys a partitioned table cannot hold move to side tables kept by triggers
(parking/sessions/global_keys.py), filled here from the existing rows. The SQL is written out here, not imported,
so this revision stays what it was when later code changes.

The conversion reads the tables' indexes and foreign keys from the catalogue instead of listing them, so it
keeps whatever earlier revisions made. SQLite is left as it is: no partitions, the plain unique indexes.

Revision ID: 0136p
Revises: 0135g
Create Date: 2026-12-07 10:00:00
"""

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0136p"
down_revision: str | None = "0135g"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("parking_sessions", "lane_events")
EPOCH_YEAR = 2000
ID_SHIFT = 36
MONTHS_AHEAD = 3

MONTH_ID_FUNCTION = f"""
CREATE OR REPLACE FUNCTION pc_month_id(seq_value bigint) RETURNS bigint LANGUAGE sql STABLE AS $$
    SELECT (((extract(year FROM now() AT TIME ZONE 'UTC')::bigint - {EPOCH_YEAR}) * 12
             + extract(month FROM now() AT TIME ZONE 'UTC')::bigint - 1) << {ID_SHIFT}) + seq_value
$$
"""
OPEN_SESSION_KEY_FUNCTION = """
CREATE OR REPLACE FUNCTION pc_open_session_key(
    state text, lot_id bigint, plate text, driver_key text, parent_id bigint, area_id bigint
) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE
        WHEN state <> 'in_lot' THEN NULL
        WHEN parent_id IS NULL AND driver_key IS NULL THEN 'plate:' || lot_id || ':' || plate
        WHEN parent_id IS NULL THEN 'driver:' || lot_id || ':' || driver_key
        WHEN area_id IS NOT NULL THEN 'inner:' || parent_id || ':' || area_id
    END
$$
"""
KEEP_OPEN_SESSION_KEY = """
CREATE OR REPLACE FUNCTION pc_keep_open_session_key() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    old_key text;
    new_key text;
BEGIN
    IF TG_OP <> 'INSERT' THEN
        old_key := pc_open_session_key(OLD.state, OLD.lot_id, OLD.plate, OLD.driver_key, OLD.parent_id, OLD.area_id);
    END IF;
    IF TG_OP <> 'DELETE' THEN
        new_key := pc_open_session_key(NEW.state, NEW.lot_id, NEW.plate, NEW.driver_key, NEW.parent_id, NEW.area_id);
    END IF;
    IF TG_OP = 'UPDATE' AND old_key IS NOT DISTINCT FROM new_key THEN
        RETURN NULL;
    END IF;
    IF old_key IS NOT NULL THEN
        DELETE FROM open_session_keys WHERE key = old_key AND session_id = OLD.id;
    END IF;
    IF new_key IS NOT NULL THEN
        INSERT INTO open_session_keys (key, session_id) VALUES (new_key, NEW.id);
    END IF;
    RETURN NULL;
END
$$
"""
CLAIM_LANE_EVENT_KEY = """
CREATE OR REPLACE FUNCTION pc_claim_lane_event_key() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO lane_event_keys (dedup_key, event_id) VALUES (NEW.dedup_key, NEW.id) ON CONFLICT DO NOTHING;
    IF NOT FOUND THEN
        RETURN NULL;
    END IF;
    RETURN NEW;
END
$$
"""
DROP_LANE_EVENT_KEY = """
CREATE OR REPLACE FUNCTION pc_drop_lane_event_key() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM lane_event_keys WHERE dedup_key = OLD.dedup_key AND event_id = OLD.id;
    RETURN NULL;
END
$$
"""
TRIGGERS = (
    "CREATE TRIGGER keep_open_session_key AFTER INSERT OR DELETE OR UPDATE OF state, lot_id, plate, driver_key, "
    "parent_id, area_id ON parking_sessions FOR EACH ROW EXECUTE FUNCTION pc_keep_open_session_key()",
    "CREATE TRIGGER claim_lane_event_key BEFORE INSERT ON lane_events "
    "FOR EACH ROW EXECUTE FUNCTION pc_claim_lane_event_key()",
    "CREATE TRIGGER drop_lane_event_key AFTER DELETE ON lane_events "
    "FOR EACH ROW EXECUTE FUNCTION pc_drop_lane_event_key()",
)
FUNCTIONS = ("pc_keep_open_session_key", "pc_claim_lane_event_key", "pc_drop_lane_event_key", "pc_open_session_key")

# The partial unique indexes (SQLite's, and PostgreSQL's before this revision).
OPEN_INDEXES = (
    ("uq_open_session_plate", ["lot_id", "plate"], "state = 'in_lot' AND parent_id IS NULL AND driver_key IS NULL"),
    (
        "uq_open_session_driver",
        ["lot_id", "driver_key"],
        "state = 'in_lot' AND parent_id IS NULL AND driver_key IS NOT NULL",
    ),
    ("uq_open_inner_session", ["parent_id", "area_id"], "state = 'in_lot' AND parent_id IS NOT NULL"),
)


def _first_id(year: int, month: int) -> int:
    return ((year - EPOCH_YEAR) * 12 + month - 1) << ID_SHIFT


def _months(now: datetime) -> list[tuple[int, int]]:
    index = (now.year - EPOCH_YEAR) * 12 + now.month - 1
    return [(EPOCH_YEAR + i // 12, i % 12 + 1) for i in range(index, index + MONTHS_AHEAD + 2)]


def _rows(sql: str, **params: object) -> list[Any]:
    return list(op.get_bind().execute(sa.text(sql), params).all())


def _inbound_foreign_keys(table: str) -> list[Any]:
    """(table, name, definition) of every foreign key that points at ``table``, its own included."""
    return _rows(
        "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE contype = 'f' AND confrelid = CAST(:t AS regclass) AND conparentid = 0",
        t=table,
    )


def _drop_foreign_keys(keys: list[Any]) -> None:
    for owner, name, _ in keys:
        op.execute(f'ALTER TABLE {owner} DROP CONSTRAINT "{name}"')


def _add_foreign_keys(keys: list[Any]) -> None:
    for owner, name, definition in keys:
        op.execute(f'ALTER TABLE {owner} ADD CONSTRAINT "{name}" {definition}')


@dataclass(frozen=True)
class _Table:
    """What the conversion keeps of a table, read from the catalogue before it is renamed."""

    name: str
    primary_key: str
    inbound: list[Any]  # (table, name, definition) of the foreign keys that point at it, its own included
    outbound: list[Any]  # (name, definition) of its foreign keys to other tables
    indexes: list[Any]  # (name, definition) of its indexes but the primary key's

    def rename(self, to: str) -> None:
        """Drop the keys that point at it, and rename it with its primary key and indexes (``<name>_<to>``)."""
        _drop_foreign_keys(self.inbound)
        op.execute(f'ALTER TABLE "{self.name}" RENAME TO "{self.name}_{to}"')
        op.execute(f'ALTER TABLE "{self.name}_{to}" RENAME CONSTRAINT "{self.primary_key}" TO "{self.name}_{to}_pkey"')
        for name, _ in self.indexes:
            op.execute(f'ALTER INDEX "{name}" RENAME TO "{name}_{to}"')

    def restore_keys(self, id_default: str) -> None:
        """On the new table of this name: the primary key, indexes, foreign keys both ways and the id default."""
        op.execute(f'ALTER TABLE "{self.name}" ADD CONSTRAINT "{self.primary_key}" PRIMARY KEY (id)')
        for _, definition in self.indexes:  # read before the rename, so they name this table
            op.execute(definition.replace(" ON ONLY ", " ON "))
        for name, definition in self.outbound:  # its own (parent_id) is an inbound key, restored with those
            op.execute(f'ALTER TABLE "{self.name}" ADD CONSTRAINT "{name}" {definition}')
        op.execute(f'ALTER SEQUENCE {self.name}_id_seq OWNED BY "{self.name}".id')
        op.execute(f'ALTER TABLE "{self.name}" ALTER COLUMN id SET DEFAULT {id_default}')


def _read(table: str) -> _Table:
    return _Table(
        name=table,
        primary_key=_rows(
            "SELECT conname FROM pg_constraint WHERE contype = 'p' AND conrelid = CAST(:t AS regclass)", t=table
        )[0][0],
        inbound=_inbound_foreign_keys(table),
        outbound=_rows(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE contype = 'f' "
            "AND conrelid = CAST(:t AS regclass) AND conparentid = 0 AND confrelid <> CAST(:t AS regclass)",
            t=table,
        ),
        indexes=_rows(
            "SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid "
            "WHERE x.indrelid = CAST(:t AS regclass) AND NOT x.indisprimary",
            t=table,
        ),
    )


def _partition(table: str, months: list[tuple[int, int]]) -> None:
    """The table becomes ``<table>_legacy``, attached whole to a new partitioned table of its name."""
    old = _read(table)
    legacy = f"{table}_legacy"
    old.rename("legacy")
    for name, _ in old.outbound:  # the parent's, cloned onto it by the attach, take their place
        op.execute(f'ALTER TABLE "{legacy}" DROP CONSTRAINT "{name}"')
    op.execute(f'CREATE TABLE "{table}" (LIKE "{legacy}" INCLUDING DEFAULTS) PARTITION BY RANGE (id)')
    old.restore_keys(f"pc_month_id(nextval('{table}_id_seq'))")
    op.execute(f'ALTER TABLE "{legacy}" ALTER COLUMN id DROP DEFAULT')
    op.execute(
        f'ALTER TABLE "{table}" ATTACH PARTITION "{legacy}" FOR VALUES FROM (MINVALUE) TO ({_first_id(*months[0])})'
    )
    for (year, month), (next_year, next_month) in itertools.pairwise(months):
        op.execute(
            f'CREATE TABLE "{table}_m{year:04d}_{month:02d}" PARTITION OF "{table}" '
            f"FOR VALUES FROM ({_first_id(year, month)}) TO ({_first_id(next_year, next_month)})"
        )
    _add_foreign_keys(old.inbound)


def _unpartition(table: str) -> None:
    """The partitioned table's rows go into a plain table of its name; the partitions are dropped."""
    old = _read(table)
    partitioned = f"{table}_partitioned"
    old.rename("partitioned")
    op.execute(f'CREATE TABLE "{table}" (LIKE "{partitioned}" INCLUDING DEFAULTS)')
    op.execute(f'INSERT INTO "{table}" SELECT * FROM "{partitioned}"')
    op.execute(f'ALTER SEQUENCE {table}_id_seq OWNED BY "{table}".id')
    op.execute(f'DROP TABLE "{partitioned}" CASCADE')
    old.restore_keys(f"nextval('{table}_id_seq')")
    _add_foreign_keys(old.inbound)


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        # The side tables exist on SQLite too (the models have them), empty: its unique indexes stay.
        _create_side_tables()
        return
    months = _months(datetime.now(UTC))
    op.execute(MONTH_ID_FUNCTION)
    for name, _, _ in OPEN_INDEXES:
        op.drop_index(name, table_name="parking_sessions")
    op.drop_constraint("uq_lane_events_dedup_key", "lane_events", type_="unique")
    for table in TABLES:
        _partition(table, months)
    op.create_index("ix_lane_events_dedup_key", "lane_events", ["dedup_key"])
    _create_side_tables()
    for statement in (OPEN_SESSION_KEY_FUNCTION, KEEP_OPEN_SESSION_KEY, CLAIM_LANE_EVENT_KEY, DROP_LANE_EVENT_KEY):
        op.execute(statement)
    op.execute(
        "INSERT INTO open_session_keys (key, session_id) SELECT k, id FROM (SELECT id, pc_open_session_key("
        "state, lot_id, plate, driver_key, parent_id, area_id) AS k FROM parking_sessions) s WHERE k IS NOT NULL"
    )
    op.execute("INSERT INTO lane_event_keys (dedup_key, event_id) SELECT dedup_key, id FROM lane_events")
    for statement in TRIGGERS:
        op.execute(statement)


def _create_side_tables() -> None:
    big_id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
    op.create_table(
        "open_session_keys",
        sa.Column("key", sa.String(length=160), nullable=False),
        sa.Column("session_id", big_id, nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_open_session_keys")),
    )
    op.create_table(
        "lane_event_keys",
        sa.Column("dedup_key", sa.String(length=128), nullable=False),
        sa.Column("event_id", big_id, nullable=False),
        sa.PrimaryKeyConstraint("dedup_key", name=op.f("pk_lane_event_keys")),
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        op.drop_table("lane_event_keys")
        op.drop_table("open_session_keys")
        return
    op.execute("DROP TRIGGER keep_open_session_key ON parking_sessions")
    op.execute("DROP TRIGGER claim_lane_event_key ON lane_events")
    op.execute("DROP TRIGGER drop_lane_event_key ON lane_events")
    for function in FUNCTIONS:
        op.execute(f"DROP FUNCTION {function}")
    op.drop_table("lane_event_keys")
    op.drop_table("open_session_keys")
    op.drop_index("ix_lane_events_dedup_key", table_name="lane_events")
    for table in TABLES:
        _unpartition(table)
    op.execute("DROP FUNCTION pc_month_id")
    op.create_unique_constraint("uq_lane_events_dedup_key", "lane_events", ["dedup_key"])
    for name, columns, where in OPEN_INDEXES:
        op.create_index(name, "parking_sessions", columns, unique=True, postgresql_where=sa.text(where))
