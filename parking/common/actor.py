"""Who is acting: an operator or a partner API key, with its permissions, scope and request origin."""

from __future__ import annotations

from dataclasses import dataclass, field

from parking.common.errors import PermissionDenied
from parking.common.scope import Scope


@dataclass(frozen=True)
class Actor:
    name: str
    scope: Scope
    permissions: frozenset[str] = field(default_factory=frozenset)
    operator_id: int | None = None
    api_key_id: int | None = None
    ip: str = ""
    request_id: str = ""

    def can(self, permission: str) -> bool:
        return self.scope.system or permission in self.permissions

    def require(self, permission: str) -> None:
        if not self.can(permission):
            raise PermissionDenied(permission)

    @classmethod
    def system(cls, name: str = "system") -> Actor:
        return cls(name=name, scope=Scope.internal())
