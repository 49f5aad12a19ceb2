"""Result types shared by every domain."""

from __future__ import annotations

import strawberry


@strawberry.type(description="A record was deleted.")
class DeleteSuccess:
    id: strawberry.ID
