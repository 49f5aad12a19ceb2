"""A valid call for any root field, built from the schema: every required argument gets a sample value of its type.

Permission tests call every protected field this way, so a field added later is called without anyone writing
its query. The values only have to pass validation (the permission check runs before any resolver); ids point
at rows of the test world where the argument or field name says which table, so a refusal that went wrong
would hit a real row.
"""

from __future__ import annotations

import json
import re

from graphql import (
    GraphQLEnumType,
    GraphQLField,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLScalarType,
    GraphQLSchema,
    Undefined,
    get_named_type,
    is_leaf_type,
)

from tests.factories import World

# Sample literals for the schema's scalars. A new custom scalar fails loudly (KeyError) until it has one here.
SCALARS: dict[str, str] = {
    "String": json.dumps("Z"),
    "Int": "1",
    "Float": "1.5",
    "Boolean": "true",
    "DateTime": json.dumps("2026-11-01T08:00:00+00:00"),
    "Date": json.dumps("2026-11-01"),
    "Time": json.dumps("08:00:00"),
    "JSON": "{}",
    "Fen": "1",
}

# The world's row to use for an id, by the table the argument or field names (lotId, lotDelete(id) ...).
WORLD_IDS = {
    "agent": "agent:A",
    "customer": "customer:A1",
    "lot": "lot:A1a",
    "lane": "lane:A1a",
    "operator": "operator:agentA",
    "role": "role:all",
}


def _noun(name: str) -> str:
    """The leading word of a camelCase name: ``lotId`` and ``lotDelete`` both give ``lot``."""
    return re.split(r"(?=[A-Z])", name, maxsplit=1)[0]


def _id(argument: str, field: str, world: World) -> str:
    noun = _noun(field) if argument == "id" else _noun(argument)
    key = WORLD_IDS.get(noun)
    return json.dumps(str(world.ids[key]) if key else "1")


def _literal(type_: GraphQLInputType, name: str, field: str, world: World) -> str:
    if isinstance(type_, GraphQLNonNull):
        return _literal(type_.of_type, name, field, world)
    if isinstance(type_, GraphQLList):
        return f"[{_literal(type_.of_type, name, field, world)}]"
    if isinstance(type_, GraphQLEnumType):
        return str(next(iter(type_.values)))
    if isinstance(type_, GraphQLInputObjectType):
        parts = [
            f"{key}: {_literal(value.type, key, field, world)}"
            for key, value in type_.fields.items()
            if isinstance(value.type, GraphQLNonNull) and value.default_value is Undefined
        ]
        return "{" + ", ".join(parts) + "}"
    assert isinstance(type_, GraphQLScalarType), type_
    if type_.name == "ID":
        return _id(name, field, world)
    return SCALARS[type_.name]


def _selection(field: GraphQLField) -> str:
    named = get_named_type(field.type)
    return "" if is_leaf_type(named) else " { __typename }"


def call(schema: GraphQLSchema, name: str, world: World) -> str:
    """A document calling the query or mutation ``name`` with all its required arguments and the cheapest selection."""
    query, mutation = schema.query_type, schema.mutation_type
    if query is not None and name in query.fields:
        operation, field = "query", query.fields[name]
    else:
        assert mutation is not None
        operation, field = "mutation", mutation.fields[name]
    required = [
        f"{arg}: {_literal(spec.type, arg, name, world)}"
        for arg, spec in field.args.items()
        if isinstance(spec.type, GraphQLNonNull) and spec.default_value is Undefined
    ]
    arguments = f"({', '.join(required)})" if required else ""
    return f"{operation} {{ {name}{arguments}{_selection(field)} }}"
