"""Each mutation's error enum lists the codes it can answer with, with ``ErrorCode``'s values.

The codes a mutation can reach are found by a static walk of the calls its resolver makes into ``parking/``
and ``schema/``: every ``ErrorCode.X`` named on the way, ``NotFound`` and ``PermissionDenied``. A call on an
object (``actor.require(...)``) is followed to every method of that name in ``parking/``, so the walk errs
on the side of more codes. A use-case that starts raising a new code fails here until its domain's
``parking/<domain>/errors.py`` lists it.
"""

from __future__ import annotations

import ast
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Any, get_type_hints

import pytest
from strawberry.types.base import get_object_definition
from strawberry.types.union import StrawberryUnion

from parking.common.errors import DomainError, ErrorCode, NotFound
from parking.merchants.errors import MerchantErrorCode
from schema.core.errors import error_from
from schema.root import Mutation

ROOT = Path(__file__).resolve().parents[1]
Key = tuple[str, str]  # (module, qualified name)
# What a call to these classes raises, besides the codes named in their bodies.
RAISING_CLASSES = {"NotFound": "NOT_FOUND", "PermissionDenied": "PERMISSION_DENIED"}


class _Index:
    def __init__(self) -> None:
        self.trees: dict[str, ast.Module] = {}
        for package in ("parking", "schema"):
            for path in (ROOT / package).rglob("*.py"):
                parts = path.relative_to(ROOT).with_suffix("").parts
                name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
                self.trees[name] = ast.parse(path.read_text(encoding="utf-8"))
        self.defs: dict[Key, ast.AST] = {}
        self.imports: dict[str, dict[str, str]] = {}
        for module, tree in self.trees.items():
            names: dict[str, str] = {}
            for node in ast.walk(tree):
                if isinstance(node, ast.ImportFrom) and node.module:
                    names.update({a.asname or a.name: f"{node.module}.{a.name}" for a in node.names})
                elif isinstance(node, ast.Import):
                    names.update({a.asname or a.name: a.name for a in node.names})
            self.imports[module] = names
            for node in tree.body:
                if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                    self.defs[(module, node.name)] = node
                if isinstance(node, ast.ClassDef):
                    for member in node.body:
                        if isinstance(member, ast.FunctionDef | ast.AsyncFunctionDef):
                            self.defs[(module, f"{node.name}.{member.name}")] = member
        self.methods: dict[str, list[Key]] = {}
        for module, qualname in self.defs:
            if module.startswith("parking") and "." in qualname:
                self.methods.setdefault(qualname.rsplit(".", 1)[1], []).append((module, qualname))

    def resolve(self, module: str, expr: ast.expr) -> list[Key]:
        parts: list[str] = []
        while isinstance(expr, ast.Attribute):
            parts.insert(0, expr.attr)
            expr = expr.value
        if not isinstance(expr, ast.Name):
            return []
        parts.insert(0, expr.id)
        local = ".".join(parts[:2])
        if (module, local) in self.defs:
            return [(module, local)]
        if (module, parts[0]) in self.defs and len(parts) == 1:
            return [(module, parts[0])]
        target = self.imports[module].get(parts[0])
        if target is None:
            return []
        dotted = [*target.split("."), *parts[1:]]
        for cut in range(len(dotted) - 1, 0, -1):
            owner = ".".join(dotted[:cut])
            if owner in self.trees:
                rest = dotted[cut:]
                if (owner, ".".join(rest[:2])) in self.defs:
                    return [(owner, ".".join(rest[:2]))]
                if (owner, rest[0]) in self.defs:
                    return [(owner, rest[0])]
                if rest[0] in self.imports[owner]:  # re-exported
                    return self.resolve(owner, ast.parse(".".join(rest), mode="eval").body)
                return []
        return []

    def callees(self, module: str, node: ast.AST) -> list[Key]:
        found: list[Key] = []
        for sub in ast.walk(node):
            if isinstance(sub, ast.Call):
                targets = self.resolve(module, sub.func)
                if not targets and isinstance(sub.func, ast.Attribute):
                    targets = self.methods.get(sub.func.attr, [])
                found += targets
            elif isinstance(sub, ast.Name | ast.Attribute) and isinstance(sub.ctx, ast.Load):
                # A function handed over as a value (a use-case in a lambda, a callback) runs too.
                found += [k for k in self.resolve(module, sub) if not isinstance(self.defs[k], ast.ClassDef)]
        return found


@cache
def _index() -> _Index:
    return _Index()


def _named_codes(node: ast.AST) -> set[str]:
    return {
        sub.attr
        for sub in ast.walk(node)
        if isinstance(sub, ast.Attribute) and isinstance(sub.value, ast.Name) and sub.value.id == "ErrorCode"
    }


def reachable_codes(start: Key) -> set[str]:
    index, seen, codes, todo = _index(), set[Key](), set[str](), [start]
    while todo:
        key = todo.pop()
        if key in seen:
            continue
        seen.add(key)
        node = index.defs[key]
        codes |= _named_codes(node)
        if isinstance(node, ast.ClassDef):
            if node.name in RAISING_CLASSES:
                codes.add(RAISING_CLASSES[node.name])
            continue  # a class body's codes are its own (a DomainError subclass); its methods are not all called
        todo += index.callees(key[0], node)
    return codes


def _mutations() -> list[tuple[str, Key, type[StrEnum]]]:
    found = []
    for field in get_object_definition(Mutation, strict=True).fields:
        if not isinstance(field.type, StrawberryUnion) or field.base_resolver is None:
            continue
        errors = [t for t in field.type.types if "code" in get_type_hints(t)]
        assert len(errors) == 1, field.python_name
        resolver = field.base_resolver.wrapped_func
        found.append(
            (field.python_name, (resolver.__module__, resolver.__qualname__), get_type_hints(errors[0])["code"])
        )
    return found


@pytest.mark.parametrize(("name", "resolver", "codes"), [pytest.param(*m, id=m[0]) for m in _mutations()])
def test_a_mutations_error_enum_lists_every_code_it_can_reach(name: str, resolver: Key, codes: type[StrEnum]) -> None:
    assert reachable_codes(resolver) <= {code.name for code in codes}, name


def test_every_mutation_with_a_result_union_is_checked() -> None:
    assert len(_mutations()) == 93


def _enums() -> list[type[StrEnum]]:
    return sorted({codes for _, _, codes in _mutations()}, key=lambda codes: codes.__name__)


@pytest.mark.parametrize("codes", _enums())
def test_a_domain_code_is_an_error_code_with_its_value(codes: type[StrEnum]) -> None:
    assert {code.name: code.value for code in codes} == {code.name: ErrorCode[code.name].value for code in codes}


def test_an_expected_error_answers_in_its_domains_enum() -> None:
    from schema.merchants.errors import MerchantError

    error: Any = error_from(NotFound("Merchant", "id"), MerchantError)
    assert (error.code, error.message, error.field) == (MerchantErrorCode.NOT_FOUND, "Merchant not found", "id")
    assert error.code == "not_found"  # the value a client compares, as before


def test_a_code_its_domain_does_not_list_is_a_bug() -> None:
    from schema.merchants.errors import MerchantError

    with pytest.raises(RuntimeError, match="LOCKED is not one of MerchantErrorCode"):
        error_from(DomainError(ErrorCode.LOCKED, "locked"), MerchantError)
