"""Every mutation of the API is reachable from a page of the web client, or docs/web.md says why it is API-only.

A mutation counts as used when one of the client's operations (template literals) (clients/web/src, the generated
src/gql left out) selects it. The API-only list is the bullet list under docs/web.md's "API-only mutations"
heading: "- `name`: reason", the reason not empty.
"""

import re
from pathlib import Path

from graphql import OperationDefinitionNode, OperationType, build_schema, parse

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "clients" / "web" / "src"
# A template literal holding an operation; `${...}` fragments of field lists are read as one field.
OPERATION = re.compile(r"`(\s*(?:query|mutation|subscription)\b[^`]*)`")
INTERPOLATION = re.compile(r"\$\{[^}]*\}")
API_ONLY_ITEM = re.compile(r"^- `(\w+)`:\s*(.*)$")


def schema_mutations() -> set[str]:
    schema = build_schema((ROOT / "schema" / "schema.graphql").read_text(encoding="utf-8"))
    assert schema.mutation_type is not None
    return set(schema.mutation_type.fields)


def client_mutations() -> set[str]:
    used: set[str] = set()
    for path in sorted(SRC.rglob("*")):
        if path.suffix not in {".ts", ".vue"} or "gql" in path.relative_to(SRC).parts[:1]:
            continue
        for text in OPERATION.findall(path.read_text(encoding="utf-8")):
            for definition in parse(INTERPOLATION.sub("__typename", text)).definitions:
                if isinstance(definition, OperationDefinitionNode) and definition.operation is OperationType.MUTATION:
                    used.update(selection.name.value for selection in definition.selection_set.selections)  # type: ignore[attr-defined]
    return used


def api_only() -> dict[str, str]:
    """The names and reasons of docs/web.md's API-only list."""
    lines = (ROOT / "docs" / "web.md").read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("## API-only mutations"))
    listed: dict[str, str] = {}
    for line in lines[start + 1 :]:
        if line.startswith("## "):
            break
        if match := API_ONLY_ITEM.match(line):
            listed[match.group(1)] = match.group(2).strip()
    return listed


def test_every_mutation_is_on_a_page_or_listed_as_api_only() -> None:
    missing = schema_mutations() - client_mutations() - set(api_only())
    assert not missing, f"neither sent by clients/web nor API-only in docs/web.md: {sorted(missing)}"


def test_the_api_only_list_is_honest() -> None:
    listed = api_only()
    assert all(listed.values()), f"API-only mutations without a reason: {[n for n, r in listed.items() if not r]}"
    assert not set(listed) - schema_mutations(), f"not in the schema: {sorted(set(listed) - schema_mutations())}"
    assert not set(listed) & client_mutations(), f"used by a page after all: {sorted(set(listed) & client_mutations())}"
