"""Permissions declared on fields by name; the rule is appended to the field's description for clients."""

from __future__ import annotations

from typing import Any

from strawberry.extensions.field_extension import FieldExtension
from strawberry.permission import BasePermission, PermissionExtension
from strawberry.types import Info


class HasPermission(BasePermission):
    error_extensions = {"code": "PERMISSION_DENIED"}

    def __init__(self, permission: str) -> None:
        # str() so a Perm member reads as its code, not as the enum's repr.
        self.permission = str(permission)
        self.message = f"permission {self.permission!r} required"

    def has_permission(self, source: Any, info: Info[Any, Any], **kwargs: Any) -> bool:
        actor = info.context.actor
        return actor is not None and actor.can(self.permission)


class IsAuthenticated(BasePermission):
    message = "authentication required"
    error_extensions = {"code": "UNAUTHENTICATED"}

    def has_permission(self, source: Any, info: Info[Any, Any], **kwargs: Any) -> bool:
        return info.context.actor is not None


def requires(permission: str) -> list[FieldExtension]:
    return [PermissionExtension(permissions=[HasPermission(permission)], fail_silently=False)]


def describe(description: str, permission: str) -> str:
    return f"{description}\n\nRequires the `{permission}` permission."


class HasAnyPermission(BasePermission):
    """One of several permissions: a use-case open to the lot side and to a merchant's operators."""

    error_extensions = {"code": "PERMISSION_DENIED"}

    def __init__(self, *permissions: str) -> None:
        self.permissions = tuple(str(p) for p in permissions)
        self.message = "one of the permissions " + ", ".join(repr(p) for p in self.permissions) + " required"

    def has_permission(self, source: Any, info: Info[Any, Any], **kwargs: Any) -> bool:
        actor = info.context.actor
        return actor is not None and any(actor.can(p) for p in self.permissions)


def requires_any(*permissions: str) -> list[FieldExtension]:
    return [PermissionExtension(permissions=[HasAnyPermission(*permissions)], fail_silently=False)]


def describe_any(description: str, *permissions: str) -> str:
    names = ", ".join(f"`{p}`" for p in permissions)
    return f"{description}\n\nRequires one of the permissions {names}."
