"""Garbage-collector settings for a long-running API process, applied once the app is built."""

from __future__ import annotations

import gc


def settle_heap() -> None:
    """Move everything alive at start-up (modules, the schema, the mappers) out of the collector's sight.

    The app is built before serving and lives as long as the process; leaving its objects in the oldest
    generation makes every full collection walk them again, and a request that builds a few thousand
    short-lived objects (ORM rows, result dicts) triggers collections often. Frozen objects are never
    freed, which is what start-up objects need anyway.
    """
    gc.collect()
    gc.freeze()
