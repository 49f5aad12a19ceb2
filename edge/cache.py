"""The edge agent's local SQLite: the lot snapshot, passes and lists, open stays, and the outbox.

Plain sqlite3 in a worker thread: one small file next to the cameras, written by one process.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")

_UPSERT_KV = "INSERT INTO kv (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value"
_SCHEMA = """
CREATE TABLE IF NOT EXISTS kv (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS passes (id INTEGER PRIMARY KEY, plate TEXT NOT NULL, doc TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS passes_plate ON passes (plate);
CREATE TABLE IF NOT EXISTS listings (id INTEGER PRIMARY KEY, plate TEXT NOT NULL, doc TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS listings_plate ON listings (plate);
CREATE TABLE IF NOT EXISTS stays (who TEXT PRIMARY KEY, doc TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS outbox (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    key TEXT NOT NULL UNIQUE,
    doc TEXT NOT NULL,
    sent INTEGER NOT NULL DEFAULT 0
);
"""


def stay_key(plate: str, driver_key: str | None) -> str:
    return f"driver:{driver_key}" if driver_key else f"plate:{plate}"


def new_stay(
    plate: str, driver_key: str | None, entry_at: Any, category: str, vehicle_class: str, color: str
) -> dict[str, Any]:
    return {
        "plate": plate,
        "driver_key": driver_key,
        "entry_at": entry_at.isoformat(),
        "category": category,
        "vehicle_class": vehicle_class,
        "plate_color": color,
        "paid_fen": 0,
        "discount_fen": 0,
        "last_paid_at": None,
    }


class EdgeCache:
    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._conn = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.executescript(_SCHEMA)
        self._lock = asyncio.Lock()

    async def _run(self, fn: Callable[[sqlite3.Connection], T]) -> T:
        async with self._lock:
            return await asyncio.to_thread(fn, self._conn)

    def close(self) -> None:
        self._conn.close()

    # -- snapshot ---------------------------------------------------------------------------------------------

    async def get(self, key: str) -> Any:
        def go(c: sqlite3.Connection) -> Any:
            row = c.execute("SELECT value FROM kv WHERE key = ?", (key,)).fetchone()
            return json.loads(row[0]) if row else None

        return await self._run(go)

    async def put(self, key: str, value: Any) -> None:
        await self._run(lambda c: c.execute(_UPSERT_KV, (key, json.dumps(value))))

    async def apply_snapshot(self, snapshot: dict[str, Any]) -> None:
        """Store a snapshot; a full one replaces passes, lists and stays, an incremental one upserts."""

        def go(c: sqlite3.Connection) -> None:
            c.execute("BEGIN")
            try:
                for key in ("lot", "lanes", "cameras", "tariffs"):
                    c.execute(_UPSERT_KV, (key, json.dumps(snapshot[key])))
                if snapshot.get("full"):
                    c.execute("DELETE FROM passes")
                    c.execute("DELETE FROM listings")
                    c.execute("DELETE FROM stays")
                    for stay in snapshot.get("stays", []):
                        c.execute(
                            "INSERT OR REPLACE INTO stays (who, doc) VALUES (?, ?)",
                            (stay_key(stay["plate"], stay.get("driver_key")), json.dumps(stay)),
                        )
                for table, rows in (("passes", snapshot.get("passes", [])), ("listings", snapshot.get("listings", []))):
                    c.executemany(
                        f"INSERT OR REPLACE INTO {table} (id, plate, doc) VALUES (?, ?, ?)",
                        [(row["id"], row["plate"], json.dumps(row)) for row in rows],
                    )
                c.execute("COMMIT")
            except BaseException:
                c.execute("ROLLBACK")
                raise

        await self._run(go)

    async def plate_rows(self, plate: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        def go(c: sqlite3.Connection) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
            passes = [json.loads(r[0]) for r in c.execute("SELECT doc FROM passes WHERE plate = ?", (plate,))]
            listings = [json.loads(r[0]) for r in c.execute("SELECT doc FROM listings WHERE plate = ?", (plate,))]
            return passes, listings

        return await self._run(go)

    # -- stays the edge knows are inside ------------------------------------------------------------------

    async def stay(self, who: str) -> dict[str, Any] | None:
        def go(c: sqlite3.Connection) -> dict[str, Any] | None:
            row = c.execute("SELECT doc FROM stays WHERE who = ?", (who,)).fetchone()
            return json.loads(row[0]) if row else None

        return await self._run(go)

    async def set_stay(self, who: str, doc: dict[str, Any] | None) -> None:
        if doc is None:
            await self._run(lambda c: c.execute("DELETE FROM stays WHERE who = ?", (who,)))
        else:
            await self._run(
                lambda c: c.execute("INSERT OR REPLACE INTO stays (who, doc) VALUES (?, ?)", (who, json.dumps(doc)))
            )

    async def count_stays(self) -> int:
        return int(await self._run(lambda c: c.execute("SELECT count(*) FROM stays").fetchone()[0]))

    # -- outbox -----------------------------------------------------------------------------------------------

    async def enqueue(self, key: str, record: dict[str, Any]) -> bool:
        """Add a record once (a key already there is a replayed push: nothing new)."""

        def go(c: sqlite3.Connection) -> bool:
            cursor = c.execute("INSERT OR IGNORE INTO outbox (key, doc) VALUES (?, ?)", (key, json.dumps(record)))
            return cursor.rowcount == 1

        return await self._run(go)

    async def pending(self, limit: int = 100) -> list[tuple[int, dict[str, Any]]]:
        def go(c: sqlite3.Connection) -> list[tuple[int, dict[str, Any]]]:
            rows = c.execute("SELECT seq, doc FROM outbox WHERE sent = 0 ORDER BY seq LIMIT ?", (limit,))
            return [(int(seq), json.loads(doc)) for seq, doc in rows]

        return await self._run(go)

    async def mark_sent(self, seqs: list[int]) -> None:
        await self._run(lambda c: c.executemany("UPDATE outbox SET sent = 1 WHERE seq = ?", [(s,) for s in seqs]))
