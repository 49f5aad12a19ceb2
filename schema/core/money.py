"""The `Fen` scalar: every amount of money in the schema, an integer number of fen beyond GraphQL's 32 bits.

GraphQL's `Int` is a signed 32-bit integer, so a total above 21 474 836.47 yuan cannot be sent as one. `Fen` is a
JSON integer on the wire, limited to ±(2^53 - 1): the largest integer a JavaScript number (our dashboard, the
mini-program) holds exactly. Input is strict: a JSON/GraphQL integer, never a bool, a float (`1.0`, `1e3`) or a
string, so no amount is ever rounded or guessed.
"""

from __future__ import annotations

from typing import Any, NewType

import strawberry
from graphql import IntValueNode, ValueNode
from strawberry.types.scalar import ScalarDefinition

Fen = NewType("Fen", int)

# Number.MAX_SAFE_INTEGER: beyond it a JavaScript client would silently read another amount.
MAX_SAFE_FEN = 2**53 - 1

_EXPECTED = "Fen is an integer number of fen between -(2^53-1) and 2^53-1"


def _checked(value: int) -> Fen:
    if not -MAX_SAFE_FEN <= value <= MAX_SAFE_FEN:
        raise ValueError(f"{_EXPECTED}; {value} is out of range")
    return Fen(value)


def serialize_fen(value: Any) -> int:
    """An amount as a JSON integer; anything else is a bug on our side (the error is masked and logged)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{_EXPECTED}; cannot send {type(value).__name__} {value!r}")
    return int(_checked(value))


def parse_fen(value: Any) -> Fen:
    """A variable's value: only a JSON integer (`true`, `12.0`, `"12"` are refused)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{_EXPECTED}; got {type(value).__name__} {value!r}")
    return _checked(value)


def parse_fen_literal(node: ValueNode, _variables: dict[str, Any] | None = None) -> Fen:
    """An inline literal: only an integer literal (`12`), never `12.0`, `"12"` or `true`."""
    if not isinstance(node, IntValueNode):
        raise ValueError(f"{_EXPECTED}; got a {node.kind.removesuffix('_value')} literal")
    return _checked(int(node.value))


FEN_SCALAR: ScalarDefinition = strawberry.scalar(
    name="Fen",
    description=(
        "An amount of money in fen (分, 1/100 yuan) as a JSON integer, exact up to ±(2^53-1): "
        "unlike Int it is not limited to 32 bits. Input must be an integer; floats, strings and booleans are refused."
    ),
    serialize=serialize_fen,
    parse_value=parse_fen,
    parse_literal=parse_fen_literal,
)

SCALAR_MAP: dict[object, ScalarDefinition] = {Fen: FEN_SCALAR}
