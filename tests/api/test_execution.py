"""The short path for plain attribute fields answers exactly what graphql-core's full path answers, errors included;
a long subscription keeps no memo of its past events."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from enum import Enum
from typing import Any

import strawberry
from graphql.execution import Executor

from schema.core.execution import PlainFieldsExecutionContext


@strawberry.enum
class Colour(Enum):
    BLUE = "blue"
    GREEN = "green"


class Row:
    """A source object like an ORM row: plain attributes, a property, one attribute that fails to read."""

    def __init__(self, n: int, name: str | None, colour: Colour) -> None:
        self.id = n
        self.name = name
        self.colour = colour
        self.count = n * 10

    @property
    def double(self) -> int:
        return self.count * 2

    @property
    def broken(self) -> int:
        raise RuntimeError(f"row {self.id} cannot say")


@strawberry.type
class Item:
    id: strawberry.ID
    name: str | None
    colour: Colour
    count: int
    double: int
    broken: int | None

    @strawberry.field
    def label(self, root: strawberry.Parent[Row], prefix: str = "#") -> str:
        return f"{prefix}{root.id}"

    @strawberry.field
    def required_name(self, root: strawberry.Parent[Row]) -> str:
        return root.name  # type: ignore[return-value]  # None on purpose: a non-null field that gets null


@strawberry.type
class NonNullName:
    name: str


@strawberry.type
class Query:
    @strawberry.field
    def items(self) -> list[Item]:
        rows = [Row(1, "one", Colour.BLUE), Row(2, None, Colour.GREEN)]
        return rows  # type: ignore[return-value]

    @strawberry.field
    def strict(self) -> list[NonNullName] | None:
        return [Row(3, None, Colour.BLUE)]  # type: ignore[list-item]


@strawberry.type
class Subscription:
    @strawberry.subscription
    async def items(self, count: int) -> AsyncGenerator[list[Item], None]:
        for n in range(count):
            yield [Row(n, f"car {n}", Colour.BLUE), Row(n + 1, None, Colour.GREEN)]  # type: ignore[list-item]


def _run(execution_context_class: Any, query: str) -> tuple[Any, list[tuple[str, Any]]]:
    schema = strawberry.Schema(query=Query, execution_context_class=execution_context_class)
    result = schema.execute_sync(query)
    return result.data, sorted((e.message, e.path) for e in result.errors or [])


QUERIES = [
    '{ items { id name colour count double label(prefix: "n") } }',
    "{ items { id broken } }",
    "{ items { id requiredName } }",
    "{ strict { name } }",
    "{ items { __typename id alias: name } }",
]


def test_plain_fields_answer_like_the_full_path() -> None:
    for query in QUERIES:
        assert _run(PlainFieldsExecutionContext.for_schema(), query) == _run(None, query), query


def test_plain_fields_give_values_and_errors() -> None:
    # The values themselves, not only the agreement with graphql-core.
    data, errors = _run(PlainFieldsExecutionContext.for_schema(), QUERIES[0])
    assert data == {
        "items": [
            {"id": "1", "name": "one", "colour": "BLUE", "count": 10, "double": 20, "label": "n1"},
            {"id": "2", "name": None, "colour": "GREEN", "count": 20, "double": 40, "label": "n2"},
        ]
    }
    assert errors == []
    data, errors = _run(PlainFieldsExecutionContext.for_schema(), QUERIES[1])
    assert data == {"items": [{"id": "1", "broken": None}, {"id": "2", "broken": None}]}
    assert errors == [("row 1 cannot say", ["items", 0, "broken"]), ("row 2 cannot say", ["items", 1, "broken"])]
    data, errors = _run(PlainFieldsExecutionContext.for_schema(), QUERIES[3])
    assert data == {"strict": None}
    assert errors == [("Cannot return null for non-nullable field NonNullName.name.", ["strict", 0, "name"])]


def test_each_schema_keeps_its_own_field_table() -> None:
    # Two schemas may name a type and field alike; the table of plain fields belongs to one schema's class.
    first, second = PlainFieldsExecutionContext.for_schema(), PlainFieldsExecutionContext.for_schema()
    _run(first, QUERIES[0])
    assert ("Item", "count") in first.plain_fields
    assert first.plain_fields[("Item", "count")] is not None
    assert first.plain_fields[("Item", "label")] is None  # a resolver: never the short path
    assert second.plain_fields == {}


async def test_a_subscription_keeps_no_memo_of_past_events() -> None:
    # graphql-core memoises collected subfields per field list and its per-event executors share the
    # subscription's memo; each event's lists are new, so a console's feed kept every event's entries.
    memos: list[dict[Any, Any]] = []  # the memo of the subscription's own executor, which lives as long as it

    class Recording(PlainFieldsExecutionContext):
        plain_fields = {}

        def build_per_event_executor(self, payload: Any) -> Executor[Any]:
            memos.append(self._relevant_sub_fields)
            return super().build_per_event_executor(payload)

    events = 200
    schema = strawberry.Schema(query=Query, subscription=Subscription, execution_context_class=Recording)
    source = await schema.subscribe("subscription($n: Int!) { items(count: $n) { id name colour } }", {"n": events})
    assert not isinstance(source, strawberry.types.ExecutionResult)
    received = [result async for result in source]

    assert len(received) == events
    assert received[-1].errors is None
    assert received[-1].data == {
        "items": [{"id": "199", "name": "car 199", "colour": "BLUE"}, {"id": "200", "name": None, "colour": "GREEN"}]
    }
    assert memos
    assert all(memo is memos[0] for memo in memos)  # one subscription, one executor
    # At most one event's entries (one: the items' subfields), not one per event.
    assert len(memos[0]) <= 1
