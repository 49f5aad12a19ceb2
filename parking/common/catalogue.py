"""Message catalogues: a domain's user-facing texts, keyed, one TOML file per locale, zh-CN first.

A domain declares its keys as a ``StrEnum`` (so a misspelt key fails mypy) and keeps its texts beside its code
in ``texts.zh_CN.toml`` (every key) and, where an English rendering exists, ``texts.en.toml`` (a subset: a
key it lacks falls back to zh-CN). A text names its parameters as ``{placeholders}``; loading checks that the
files and the enum agree and that every locale names the same placeholders, so a broken catalogue fails at
import, not on a lane display.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from enum import StrEnum
from importlib import resources
from string import Formatter
from types import MappingProxyType
from typing import Final, Generic, Literal, TypeVar

Locale = Literal["zh_CN", "en"]
DEFAULT_LOCALE: Final[Locale] = "zh_CN"
LOCALES: Final[tuple[Locale, ...]] = ("zh_CN", "en")

K = TypeVar("K", bound=StrEnum)


class CatalogueError(ValueError):
    """A catalogue file disagrees with its keys, or a text was asked for with the wrong parameters."""


def placeholders(template: str) -> frozenset[str]:
    """The named ``{placeholders}`` of ``template``; positional, indexed or formatted fields are refused."""
    names: set[str] = set()
    for _, field, spec, conversion in Formatter().parse(template):
        if field is None:
            continue
        if not field.isidentifier() or spec or conversion:
            raise CatalogueError(f"placeholder {{{field}}} in {template!r}: only plain {{name}} is allowed")
        names.add(field)
    return frozenset(names)


class Catalogue(Generic[K]):
    """One domain's texts in every locale it has, checked against its key enum."""

    def __init__(self, keys: type[K], templates: Mapping[Locale, Mapping[str, str]], origin: str = "") -> None:
        self.keys = keys
        self.origin = origin or keys.__name__
        wanted = {str(k) for k in keys}
        base = templates.get(DEFAULT_LOCALE)
        if base is None:
            raise CatalogueError(f"{self.origin}: no {DEFAULT_LOCALE} texts")
        self._check_keys(DEFAULT_LOCALE, base, wanted, complete=True)
        self._placeholders = {key: placeholders(base[key]) for key in wanted}
        for locale, texts in templates.items():
            if locale != DEFAULT_LOCALE:
                self._check_keys(locale, texts, wanted, complete=False)
            for key, text in texts.items():
                if placeholders(text) != self._placeholders[key]:
                    raise CatalogueError(
                        f"{self.origin}: {locale}.{key} names {sorted(placeholders(text))}, "
                        f"{DEFAULT_LOCALE} names {sorted(self._placeholders[key])}"
                    )
        self._templates: Mapping[Locale, Mapping[str, str]] = MappingProxyType(
            {locale: MappingProxyType(dict(texts)) for locale, texts in templates.items()}
        )
        # zh-CN renders on the lane and tariff hot paths: a plain dict, looked up by the key itself (a StrEnum
        # hashes as its value).
        self._base: dict[str, str] = dict(base)

    def _check_keys(self, locale: Locale, texts: Mapping[str, str], wanted: set[str], *, complete: bool) -> None:
        extra = texts.keys() - wanted
        missing = wanted - texts.keys() if complete else set()
        if extra or missing:
            raise CatalogueError(f"{self.origin}: {locale} lacks {sorted(missing)}, has unknown {sorted(extra)}")
        for key, text in texts.items():
            if not isinstance(text, str):
                raise CatalogueError(f"{self.origin}: {locale}.{key} is not a string")

    @classmethod
    def load(cls, keys: type[K], package: str, stem: str = "texts") -> Catalogue[K]:
        """The catalogue in ``package``'s ``<stem>.<locale>.toml`` files (zh-CN required, others optional)."""
        folder = resources.files(package)
        templates: dict[Locale, Mapping[str, str]] = {}
        for locale in LOCALES:
            file = folder.joinpath(f"{stem}.{locale}.toml")
            if file.is_file():
                templates[locale] = tomllib.loads(file.read_text(encoding="utf-8"))
        return cls(keys, templates, origin=f"{package}/{stem}")

    @property
    def locales(self) -> tuple[Locale, ...]:
        return tuple(self._templates)

    def placeholders(self, key: K) -> frozenset[str]:
        return self._placeholders[str(key)]

    def template(self, key: K, locale: Locale = DEFAULT_LOCALE) -> str | None:
        """The raw text of ``key`` in ``locale`` itself (no fallback); None where that locale lacks it."""
        return self._templates.get(locale, {}).get(str(key))

    def text(self, key: K, /, **params: object) -> str:
        """``key`` rendered in zh-CN with exactly its named parameters."""
        return self._render(self._base[key], key, params)

    def text_in(self, locale: Locale, key: K, /, **params: object) -> str:
        """``key`` rendered in ``locale`` (falling back to zh-CN) with exactly its named parameters."""
        return self._render(self.template(key, locale) or self._base[key], key, params)

    def _render(self, template: str, key: K, params: dict[str, object]) -> str:
        wanted = self._placeholders[key]
        if params.keys() != wanted:
            raise CatalogueError(f"{self.origin}: {key} takes {sorted(wanted)}, given {sorted(params)}")
        return template.format_map(params)
