"""Per-process caches learn at commit which of their rows this process changed through the ORM.

A cache registers what it watches (a function from a flushed object to the key it is cached under, or None)
and what to do with the keys a commit changed. Keys gathered by flushes are dropped on rollback: an aborted
change leaves the cache alone.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session

_names = itertools.count()


def on_committed_changes(
    key_of: Callable[[object], int | None], forget: Callable[[set[int]], None], *, new_too: bool = True
) -> None:
    """After each commit, call ``forget`` with the keys of the objects the transaction added (if ``new_too``),
    changed or deleted."""
    slot = f"committed_changes_{next(_names)}"

    @event.listens_for(Session, "after_flush")
    def note(session: Session, _context: Any) -> None:
        objects = (*session.new, *session.dirty, *session.deleted) if new_too else (*session.dirty, *session.deleted)
        for obj in objects:
            key = key_of(obj)
            if key is not None:
                session.info.setdefault(slot, set()).add(key)

    @event.listens_for(Session, "after_commit")
    def tell(session: Session) -> None:
        changed: set[int] | None = session.info.pop(slot, None)
        if changed:
            forget(changed)

    @event.listens_for(Session, "after_rollback")
    def discard(session: Session) -> None:
        session.info.pop(slot, None)
