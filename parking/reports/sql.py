"""Seconds between two stored UTC timestamps, in SQL on both backends (PostgreSQL's epoch, SQLite's julianday)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Float
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement


class SecondsBetween(FunctionElement[float]):
    """``seconds_between(start, end)``: ``end - start`` in seconds."""

    type = Float()
    inherit_cache = True
    name = "seconds_between"


@compiles(SecondsBetween, "postgresql")
def _postgresql(element: SecondsBetween, compiler: SQLCompiler, **kw: Any) -> str:
    start, end = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"EXTRACT(EPOCH FROM (({end}) - ({start})))"


@compiles(SecondsBetween, "sqlite")
def _sqlite(element: SecondsBetween, compiler: SQLCompiler, **kw: Any) -> str:
    start, end = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"((julianday({end}) - julianday({start})) * 86400.0)"
