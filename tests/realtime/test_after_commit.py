"""The one after-commit mechanism: domain events run their handlers after commit, in order, never on rollback."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from parking.common.database import Database
from parking.common.domain_events import DomainEvent, emit
from parking.common.scope import Scope
from parking.common.services import ServiceKey, Services

pytestmark = pytest.mark.anyio

HEARD = ServiceKey[list[str]]("heard")


@dataclass(frozen=True, slots=True)
class Happened(DomainEvent):
    what: str


@dataclass(frozen=True, slots=True)
class Other(DomainEvent):
    what: str


async def first(event: Happened, services: Services) -> None:
    services[HEARD].append(f"first:{event.what}")


async def second(event: Happened, services: Services) -> None:
    services[HEARD].append(f"second:{event.what}")


async def other(event: Other, services: Services) -> None:
    services[HEARD].append(f"other:{event.what}")


async def failing(_event: Happened, _services: Services) -> None:
    raise RuntimeError("a side effect failed")


@pytest.fixture
def heard(db: Database) -> list[str]:
    db.services[HEARD] = []
    return db.services[HEARD]


async def test_handlers_run_after_commit_in_emission_then_registration_order(db: Database, heard: list[str]) -> None:
    db.handlers.on(Happened, first)
    db.handlers.on(Happened, second)
    db.handlers.on(Happened, first)  # registering again changes nothing
    db.handlers.on(Other, other)
    async with db.transaction(Scope.internal()) as tx:
        assert emit(tx, Happened("a"))
        assert emit(tx, Other("b"))
        assert emit(tx, Happened("c"))
        assert heard == []  # nothing before the commit
    assert heard == ["first:a", "second:a", "other:b", "first:c", "second:c"]


async def test_a_rolled_back_transaction_runs_nothing(db: Database, heard: list[str]) -> None:
    db.handlers.on(Happened, first)

    async def rolled_back() -> None:
        async with db.transaction(Scope.internal()) as tx:
            emit(tx, Happened("lost"))
            raise RuntimeError("rolled back")

    with pytest.raises(RuntimeError):
        await rolled_back()
    async with db.transaction(Scope.internal()) as tx:
        emit(tx, Happened("kept"))
    assert heard == ["first:kept"]


async def test_a_failing_handler_is_logged_and_the_others_still_run(db: Database, heard: list[str]) -> None:
    db.handlers.on(Happened, failing)
    db.handlers.on(Happened, second)
    async with db.transaction(Scope.internal()) as tx:
        emit(tx, Happened("x"))
    assert heard == ["second:x"]


async def test_an_event_nobody_handles_is_not_kept(db: Database, heard: list[str]) -> None:
    async with db.transaction(Scope.internal()) as tx:
        assert not emit(tx, Happened("unheard"))
        db.handlers.on(Happened, first)  # the handlers at emission time are the ones that run
    db.handlers.off(Happened, first)
    assert heard == []
