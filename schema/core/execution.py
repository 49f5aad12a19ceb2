"""GraphQL execution with a short path for plain attribute fields, which are most fields of a list page.

graphql-core builds a resolve-info object, calls strawberry's resolver chain and walks the type wrappers for
every field of every row, even for a scalar that is just an attribute of the row (a lot's name, a lane's
direction). For those fields (no resolver, no field extension such as a permission, no arguments) the value
is read and coerced directly; anything else, and any field whose value is missing or fails to read, takes
graphql-core's full path, which then reports errors and nulls exactly as before.

Each event of a subscription also gets its own memo of collected subfields (see build_per_event_executor).
"""

from __future__ import annotations

from typing import Any

from graphql import GraphQLField, GraphQLLeafType, GraphQLNonNull, GraphQLObjectType, Undefined, is_leaf_type
from graphql.execution import Executor
from graphql.pyutils import Path, RefMap
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.types.field import StrawberryField

# strawberry's resolver for a field that only reads an attribute (schema_converter.from_resolver).
BASIC_RESOLVER_NAME = "_get_basic_result"

PlainLeaf = tuple[str, GraphQLLeafType]


def plain_leaf(field: GraphQLField) -> PlainLeaf | None:
    """The attribute name and leaf type of a field that only reads a scalar attribute; None for any other field."""
    definition = (field.extensions or {}).get("strawberry-definition")
    named = field.type.of_type if isinstance(field.type, GraphQLNonNull) else field.type
    plain = None
    if (
        isinstance(definition, StrawberryField)
        and definition.is_basic_field
        and getattr(field.resolve, "__name__", "") == BASIC_RESOLVER_NAME
        and not field.args
        and is_leaf_type(named)
        and definition.python_name
    ):
        plain = (definition.python_name, named)
    return plain


class PlainFieldsExecutionContext(StrawberryGraphQLCoreExecutionContext):
    # Filled once per (type, field) name; each schema gets its own subclass (see for_schema), so one schema's
    # fields never answer for another's.
    plain_fields: dict[tuple[str, str], PlainLeaf | None] = {}

    @classmethod
    def for_schema(cls) -> type[PlainFieldsExecutionContext]:
        return type(cls.__name__, (cls,), {"plain_fields": {}})

    def build_per_event_executor(self, payload: Any) -> Executor[Any]:
        """graphql-core's per-event copy, with a memo of collected subfields of its own.

        graphql-core memoises collected subfields by the identity of each field list and keeps the list alive
        beside the entry so that its id is not reused; its per-event copy shares the subscription's memo, and
        every event collects new lists. A subscription living for hours (a console's lane events: ~100 events
        a minute per lot) then kept every event's entries: ~1 MB a minute in each API process. The memo only
        pays within one execution (the rows of one list), so each event starts an empty one that goes with it.
        """
        executor = super().build_per_event_executor(payload)
        executor._relevant_sub_fields = {}
        executor._stream_usages = RefMap()  # the same identity-keyed memo, for @stream
        return executor

    def execute_field(
        self,
        parent_type: GraphQLObjectType,
        source: Any,
        field_details_list: Any,
        path: Path,
        position_context: Any,
    ) -> Any:
        node = field_details_list[0].node
        key = (parent_type.name, node.name.value)
        if key in self.plain_fields:
            plain = self.plain_fields[key]
        else:
            field = self.schema.get_field(parent_type, node.name.value)
            plain = self.plain_fields[key] = plain_leaf(field) if field is not None else None
        # A schema extension with a resolve hook (none here today) wraps every field: it gets the full path.
        middleware = self.middleware_manager
        if plain is not None and not node.arguments and not (middleware is not None and middleware.middlewares):
            attribute, leaf_type = plain
            try:
                value = getattr(source, attribute)
                if value is not None and not self.is_awaitable(value):
                    coerced = leaf_type.coerce_output_value(value)
                    if coerced is not None and coerced is not Undefined:
                        return coerced
            except Exception:  # the full path below meets it again and reports it
                pass
        return super().execute_field(parent_type, source, field_details_list, path, position_context)
