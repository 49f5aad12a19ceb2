"""Hypothesis strategies for GraphQL variables, read from the schema: for any mutation, variables of its
argument types, mostly well-formed and often hostile (wrong ids, huge numbers, odd text, missing values).

A scalar added later gets the generic mix of text and numbers until it has strategies of its own here.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from graphql import (
    GraphQLEnumType,
    GraphQLField,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLScalarType,
    get_named_type,
    is_leaf_type,
)
from hypothesis import strategies as st

HOSTILE_TEXT = st.sampled_from(
    [
        "",
        " ",
        "'; DROP TABLE operators; --",
        "<script>alert(1)</script>",
        "\x00",
        "\u202e粤B12345",
        "𝕬" * 60,
        "9" * 40,
        "-1",
        "NaN",
        "../../etc/passwd",
        "{}",
        "null",
    ]
)
TEXT = st.one_of(st.text(max_size=40), HOSTILE_TEXT, st.text(min_size=200, max_size=400))
INTS = st.one_of(st.integers(-5, 5000), st.sampled_from([-(2**31), 2**31 - 1, 0, -1]), st.integers(-(2**40), 2**40))
FLOATS = st.floats(allow_nan=False, allow_infinity=False, min_value=-1e12, max_value=1e12)
DATETIMES = st.one_of(
    st.datetimes(timezones=st.timezones()).map(lambda d: d.isoformat()),
    st.datetimes().map(lambda d: d.isoformat()),  # naive: the server must refuse, not fail
    TEXT,
)
SCALARS: dict[str, st.SearchStrategy[Any]] = {
    "String": TEXT,
    "Int": INTS,
    "Float": FLOATS,
    "Boolean": st.booleans(),
    "DateTime": DATETIMES,
    "Date": st.one_of(st.dates().map(lambda d: d.isoformat()), TEXT),
    "Time": st.one_of(st.times().map(lambda t: t.isoformat()), TEXT),
    "JSON": st.one_of(st.none(), st.dictionaries(st.text(max_size=8), st.integers() | st.text(max_size=8), max_size=3)),
}
GENERIC = st.one_of(INTS, TEXT, FLOATS)


def ids(known: Sequence[int]) -> st.SearchStrategy[str]:
    """Ids of rows that exist (of any table), and ids that are not ids at all."""
    hostile = st.sampled_from(["0", "-1", "abc", "1.5", "99999999999999999999", " 1", "１", "", "1e3"])
    return st.one_of(st.sampled_from([str(i) for i in known]), st.integers(1, 10**6).map(str), hostile)


def value(type_: GraphQLInputType, known: Sequence[int], depth: int = 0) -> st.SearchStrategy[Any]:
    if isinstance(type_, GraphQLNonNull):
        return value(type_.of_type, known, depth)
    if isinstance(type_, GraphQLList):
        return st.lists(value(type_.of_type, known, depth + 1), max_size=4)
    if isinstance(type_, GraphQLEnumType):
        return st.one_of(st.sampled_from(list(type_.values)), HOSTILE_TEXT)
    if isinstance(type_, GraphQLInputObjectType):
        if depth > 3:
            return st.just({})
        required = {
            k: value(f.type, known, depth + 1) for k, f in type_.fields.items() if isinstance(f.type, GraphQLNonNull)
        }
        optional = {
            k: st.one_of(st.none(), value(f.type, known, depth + 1))
            for k, f in type_.fields.items()
            if not isinstance(f.type, GraphQLNonNull)
        }
        return st.fixed_dictionaries(required, optional=optional)
    assert isinstance(type_, GraphQLScalarType), type_
    if type_.name == "ID":
        return ids(known)
    return SCALARS.get(type_.name, GENERIC)


def variables(field: GraphQLField, known: Sequence[int]) -> st.SearchStrategy[dict[str, Any]]:
    """Variables for every argument; a required one is sometimes missing or null (the request is refused)."""
    required = {
        name: value(arg.type, known) for name, arg in field.args.items() if isinstance(arg.type, GraphQLNonNull)
    }
    optional = {
        name: value(arg.type, known) for name, arg in field.args.items() if not isinstance(arg.type, GraphQLNonNull)
    }
    whole = st.fixed_dictionaries(required, optional=optional)
    broken = st.fixed_dictionaries({}, optional={**required, **optional})
    return st.one_of(whole, whole, whole, broken)


def document(name: str, field: GraphQLField) -> str:
    """``mutation($a: T!, ...) { name(a: $a, ...) { __typename } }``."""
    declared = ", ".join(f"${arg}: {_type_name(spec.type)}" for arg, spec in field.args.items())
    passed = ", ".join(f"{arg}: ${arg}" for arg in field.args)
    selection = "" if is_leaf_type(get_named_type(field.type)) else " { __typename }"
    head = f"mutation({declared})" if declared else "mutation"
    return f"{head} {{ {name}{f'({passed})' if passed else ''}{selection} }}"


def _type_name(type_: GraphQLInputType) -> str:
    if isinstance(type_, GraphQLNonNull):
        return _type_name(type_.of_type) + "!"
    if isinstance(type_, GraphQLList):
        return f"[{_type_name(type_.of_type)}]"
    return str(type_.name)
