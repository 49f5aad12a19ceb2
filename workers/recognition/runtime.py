"""What the recognition actors work with: the database, the image store and the models, built once."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from sqlalchemy.pool import NullPool

from parking.common.database import Database
from parking.images import ImageStore
from workers.recognition.pipeline import Recogniser
from workers.recognition.vote import VotePolicy


def _default_policy() -> VotePolicy:
    from workers.recognition.review import DEFAULT_POLICY

    return DEFAULT_POLICY


@dataclass
class Runtime:
    db: Database
    images: ImageStore
    policy: VotePolicy = field(default_factory=_default_policy)

    @cached_property
    def recogniser(self) -> Recogniser:
        # Loaded on the first job, not at import: opening three ONNX models takes a second.
        return Recogniser()


_current: Runtime | None = None


def configure(runtime: Runtime | None) -> None:
    global _current
    _current = runtime


def current() -> Runtime:
    """The configured runtime, or one from ``PARKCLOUD_*`` settings (a worker process started by dramatiq)."""
    global _current
    if _current is None:
        from config.images import image_store
        from config.settings import Settings

        settings = Settings.from_env()
        # NullPool: each job runs its own event loop, and pooled connections belong to the loop that made them.
        db = Database.from_url(settings.database_url, poolclass=NullPool)
        _current = Runtime(db, image_store(settings))
    return _current
