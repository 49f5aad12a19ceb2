"""Result types shared by every domain."""

from __future__ import annotations

import strawberry


@strawberry.type(description="A record was deleted.")
class DeleteSuccess:
    id: strawberry.ID


def deleted(obj_id: int) -> DeleteSuccess:
    """The success result of a delete use-case, which returns the deleted row's id."""
    return DeleteSuccess(id=strawberry.ID(str(obj_id)))
