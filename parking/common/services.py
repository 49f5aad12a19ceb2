"""The collaborators the composition root hands to the domain, each under a typed key.

A package that needs one (the gate relay, a payment dispatcher, a rate limiter) declares its key next to the
Protocol it expects; the API, worker or test app puts an implementation under it at start-up, and the domain
looks it up through the database it was given or the session it works in. No key is a bare string, so a
lookup is typed and a typo does not compile.
"""

from __future__ import annotations

from typing import Generic, TypeVar, cast

from sqlalchemy.ext.asyncio import AsyncSession

T = TypeVar("T")

_SESSION_KEY = "parkcloud_services"


class ServiceKey(Generic[T]):
    """Names one collaborator and the type it must have."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return f"ServiceKey({self.name!r})"


class Services:
    """One database's collaborators, filled by the composition root (missing ones read as None)."""

    def __init__(self) -> None:
        self._by_key: dict[ServiceKey[object], object] = {}

    def get(self, key: ServiceKey[T]) -> T | None:
        return cast("T | None", self._by_key.get(cast(ServiceKey[object], key)))

    def __getitem__(self, key: ServiceKey[T]) -> T:
        return cast(T, self._by_key[cast(ServiceKey[object], key)])

    def __setitem__(self, key: ServiceKey[T], value: T) -> None:
        self._by_key[cast(ServiceKey[object], key)] = value

    def setdefault(self, key: ServiceKey[T], value: T) -> T:
        return cast(T, self._by_key.setdefault(cast(ServiceKey[object], key), value))

    def pop(self, key: ServiceKey[T], default: T | None = None) -> T | None:
        return cast("T | None", self._by_key.pop(cast(ServiceKey[object], key), default))

    def clear(self) -> None:
        self._by_key.clear()


def attach_services(session: AsyncSession, services: Services) -> None:
    session.info[_SESSION_KEY] = services


def services_of(session: AsyncSession) -> Services:
    """The collaborators of the database ``session`` came from (none for a session made elsewhere)."""
    services: Services | None = session.info.get(_SESSION_KEY)
    return services if services is not None else Services()
