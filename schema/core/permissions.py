"""Permissions declared on fields by name; the rule is appended to the field's description for clients."""

from __future__ import annotations

from typing import Any

from strawberry.exceptions import StrawberryGraphQLError
from strawberry.extensions.field_extension import FieldExtension
from strawberry.permission import BasePermission, PermissionExtension
from strawberry.types import Info

from parking.common.actor import Actor

UNAUTHENTICATED = "authentication required"


def signed_in(info: Info[Any, Any]) -> Actor | None:
    """The operator or partner calling, or None for a signed-in driver (refused as PERMISSION_DENIED).

    Nobody signed in at all (no token, or one that is forged, signed with another key, expired or revoked) is
    refused as UNAUTHENTICATED, so clients ask for a new sign-in instead of reporting a missing permission.
    """
    context = info.context
    if context.actor is None and context.driver_openid is None:
        raise StrawberryGraphQLError(UNAUTHENTICATED, extensions={"code": "UNAUTHENTICATED"})
    return context.actor


class HasPermission(BasePermission):
    error_extensions = {"code": "PERMISSION_DENIED"}

    def __init__(self, permission: str) -> None:
        # str() so a Perm member reads as its code, not as the enum's repr.
        self.permission = str(permission)
        self.message = f"permission {self.permission!r} required"

    def has_permission(self, source: Any, info: Info[Any, Any], **kwargs: Any) -> bool:
        actor = signed_in(info)
        return actor is not None and actor.can(self.permission)


class IsAuthenticated(BasePermission):
    message = UNAUTHENTICATED
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
        actor = signed_in(info)
        return actor is not None and any(actor.can(p) for p in self.permissions)


def requires_any(*permissions: str) -> list[FieldExtension]:
    return [PermissionExtension(permissions=[HasAnyPermission(*permissions)], fail_silently=False)]


def describe_any(description: str, *permissions: str) -> str:
    names = ", ".join(f"`{p}`" for p in permissions)
    return f"{description}\n\nRequires one of the permissions {names}."
