"""The unique keys that a month-partitioned table cannot hold itself, kept in side tables by triggers.

PostgreSQL only allows a unique index on a partitioned table when it contains the partition key (the id,
parking/common/partitions.py), which would make "one open stay per plate per lot" and "one lane event per dedup
key" per month instead of global. So on PostgreSQL:

- ``open_session_keys`` holds one row per open stay, keyed as the three partial unique indexes of SQLite key it
  (plate per lot, driver per lot for no-plate cars, area per outer stay for an inner lot). A trigger on
  ``parking_sessions`` inserts and deletes them in the same statement, so two lanes opening a stay for one plate
  at once still end in a unique violation for the second, which the lane flow retries as before.
- ``lane_event_keys`` holds every lane event's dedup key. A BEFORE INSERT trigger claims the key and skips the
  row when the key is taken, which is what ``INSERT ... ON CONFLICT (dedup_key) DO NOTHING`` did: the insert
  returns no id and the lane flow replays the recorded decision.

Both are deleted with their rows. On SQLite (one process, no partitions) the tables exist and stay empty: the
plain unique indexes of the models do the same there.
"""

from __future__ import annotations

from sqlalchemy import String, Table
from sqlalchemy.orm import Mapped, mapped_column

from parking.common.db import Base, BigId
from parking.common.partitions import on_postgresql


class OpenSessionKey(Base):
    """The key of an open stay (PostgreSQL): unique across every month's partition."""

    __tablename__ = "open_session_keys"

    key: Mapped[str] = mapped_column(String(160), primary_key=True)
    session_id: Mapped[int] = mapped_column(BigId)


class LaneEventKey(Base):
    """A lane event's dedup key (PostgreSQL): unique across every month's partition."""

    __tablename__ = "lane_event_keys"

    dedup_key: Mapped[str] = mapped_column(String(128), primary_key=True)
    event_id: Mapped[int] = mapped_column(BigId)


# The conditions of the models' SQLite unique indexes (parking/sessions/models.py), as one key.
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
OPEN_SESSION_TRIGGER = """
CREATE TRIGGER keep_open_session_key
AFTER INSERT OR DELETE OR UPDATE OF state, lot_id, plate, driver_key, parent_id, area_id ON parking_sessions
FOR EACH ROW EXECUTE FUNCTION pc_keep_open_session_key()
"""

CLAIM_LANE_EVENT_KEY = """
CREATE OR REPLACE FUNCTION pc_claim_lane_event_key() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO lane_event_keys (dedup_key, event_id) VALUES (NEW.dedup_key, NEW.id) ON CONFLICT DO NOTHING;
    IF NOT FOUND THEN
        RETURN NULL;  -- a known key: the row is skipped, as ON CONFLICT DO NOTHING would
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
LANE_EVENT_TRIGGERS = (
    "CREATE TRIGGER claim_lane_event_key BEFORE INSERT ON lane_events "
    "FOR EACH ROW EXECUTE FUNCTION pc_claim_lane_event_key()",
    "CREATE TRIGGER drop_lane_event_key AFTER DELETE ON lane_events "
    "FOR EACH ROW EXECUTE FUNCTION pc_drop_lane_event_key()",
)


def keep_open_session_keys(table: Table) -> None:
    on_postgresql(table, "after_create", [OPEN_SESSION_KEY_FUNCTION, KEEP_OPEN_SESSION_KEY, OPEN_SESSION_TRIGGER])


def keep_lane_event_keys(table: Table) -> None:
    on_postgresql(table, "after_create", [CLAIM_LANE_EVENT_KEY, DROP_LANE_EVENT_KEY, *LANE_EVENT_TRIGGERS])
