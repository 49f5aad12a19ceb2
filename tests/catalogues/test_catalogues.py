"""The message catalogues: every domain's keys have a zh-CN text, locales agree, code uses only existing keys."""

import ast
import tomllib
from enum import StrEnum
from fnmatch import fnmatch
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from parking.accounts import texts as account_texts
from parking.codes import texts as code_texts
from parking.common import texts as common_texts
from parking.common.catalogue import DEFAULT_LOCALE, LOCALES, Catalogue, CatalogueError, placeholders
from parking.devices import texts as device_texts
from parking.devices.auth import Refusal
from parking.drivers import texts as driver_texts
from parking.faults import texts as fault_texts
from parking.invoices import texts as invoice_texts
from parking.lanes import texts as lane_texts
from parking.merchants import texts as merchant_texts
from parking.payments import texts as payment_texts
from parking.reports import texts as report_texts
from parking.retention import texts as retention_texts
from parking.tariffs import texts as tariff_texts
from parking.vehicles.enums import ExemptKind

ROOT = Path(__file__).resolve().parents[2]
CATALOGUES: dict[str, Catalogue[Any]] = {
    "lanes": lane_texts.CATALOGUE,
    "devices": device_texts.CATALOGUE,
    "tariffs": tariff_texts.CATALOGUE,
    "payments": payment_texts.CATALOGUE,
    "codes": code_texts.CATALOGUE,
    "merchants": merchant_texts.CATALOGUE,
    "drivers": driver_texts.CATALOGUE,
    "faults": fault_texts.CATALOGUE,
    "common": common_texts.CATALOGUE,
    "retention": retention_texts.CATALOGUE,
    "invoices": invoice_texts.CATALOGUE,
    "reports": report_texts.CATALOGUE,
    "accounts": account_texts.CATALOGUE,
}
KEY_ENUMS = {c.keys.__name__: c.keys for c in CATALOGUES.values()}
# Keys the code builds from data rather than names: the exemption reasons, one per ExemptKind.
BUILT_KEYS = {str(k) for k in tariff_texts.TariffText if k.startswith("exempt_")} | {
    str(k) for k in device_texts.DeviceText if k.startswith("refusal_")
}
CODE_FOLDERS = ("parking", "schema", "api", "workers", "hardware", "edge")


def all_keys() -> list[tuple[str, StrEnum]]:
    return [(name, key) for name, cat in CATALOGUES.items() for key in cat.keys]


@pytest.mark.parametrize(("domain", "key"), all_keys(), ids=lambda v: str(v))
def test_every_key_has_a_zh_cn_text(domain: str, key: StrEnum) -> None:
    template = CATALOGUES[domain].template(key, DEFAULT_LOCALE)
    assert template is not None
    assert template.strip() != ""


@pytest.mark.parametrize(("domain", "key"), all_keys(), ids=lambda v: str(v))
def test_every_locale_names_the_same_placeholders(domain: str, key: StrEnum) -> None:
    catalogue = CATALOGUES[domain]
    for locale in catalogue.locales:
        template = catalogue.template(key, locale)
        if template is not None:
            assert placeholders(template) == catalogue.placeholders(key), (locale, template)


def test_every_catalogue_file_is_a_locale_of_a_known_catalogue() -> None:
    files = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "parking").rglob("texts.*.toml"))
    expected = sorted(
        f"parking/{domain}/texts.{locale}.toml" for domain, cat in CATALOGUES.items() for locale in cat.locales
    )
    assert files == expected


def test_the_wheel_carries_the_catalogue_files() -> None:
    patterns = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]["*"]
    assert any(fnmatch("texts.zh_CN.toml", pattern) for pattern in patterns)


def used_keys() -> set[tuple[str, str]]:
    """Every ``<KeyEnum>.<MEMBER>`` written in code, as (enum name, member name)."""
    used: set[tuple[str, str]] = set()
    for folder in CODE_FOLDERS:
        for path in (ROOT / folder).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text())):
                if not isinstance(node, ast.Attribute):
                    continue
                owner = node.value
                name = owner.id if isinstance(owner, ast.Name) else getattr(owner, "attr", None)
                if name in KEY_ENUMS:
                    used.add((name, node.attr))
    return used


def test_every_key_used_in_code_exists_and_every_key_is_used() -> None:
    used = used_keys()
    unknown = {(enum, member) for enum, member in used if member not in KEY_ENUMS[enum].__members__}
    assert unknown == set()
    unused = {
        (name, member)
        for name, enum in KEY_ENUMS.items()
        for member, key in enum.__members__.items()
        if (name, member) not in used and str(key) not in BUILT_KEYS
    }
    assert unused == set()


values = st.one_of(st.text(max_size=30), st.integers(min_value=-(10**9), max_value=10**9))


@given(data=st.data())
def test_rendering_never_raises_for_its_own_parameters(data: st.DataObject) -> None:
    domain, key = data.draw(st.sampled_from(all_keys()))
    catalogue = CATALOGUES[domain]
    params = {name: data.draw(values) for name in sorted(catalogue.placeholders(key))}
    for locale in LOCALES:
        rendered = catalogue.text_in(locale, key, **params)
        for value in params.values():
            assert str(value) in rendered


@pytest.mark.parametrize(("domain", "key"), all_keys(), ids=lambda v: str(v))
def test_a_missing_or_unknown_parameter_is_refused(domain: str, key: StrEnum) -> None:
    catalogue = CATALOGUES[domain]
    with pytest.raises(CatalogueError):
        catalogue.text(key, not_a_placeholder="x")
    if catalogue.placeholders(key):
        with pytest.raises(CatalogueError):
            catalogue.text(key)


class Demo(StrEnum):
    HELLO = "hello"
    FEE = "fee"


def test_a_catalogue_lacking_a_zh_cn_key_fails_to_load() -> None:
    with pytest.raises(CatalogueError, match=r"lacks \['fee'\]"):
        Catalogue(Demo, {"zh_CN": {"hello": "你好"}})


def test_a_catalogue_with_an_unknown_key_fails_to_load() -> None:
    with pytest.raises(CatalogueError, match=r"unknown \['helo'\]"):
        Catalogue(Demo, {"zh_CN": {"hello": "你好", "fee": "{amount}元"}, "en": {"helo": "hi"}})


def test_locales_naming_different_placeholders_fail_to_load() -> None:
    with pytest.raises(CatalogueError, match="names"):
        Catalogue(Demo, {"zh_CN": {"hello": "你好", "fee": "{amount}元"}, "en": {"fee": "{fen} fen"}})


@pytest.mark.parametrize("template", ["{0}元", "{}元", "{amount:.2f}元", "{amount!r}元", "{a.b}元"])
def test_only_plain_named_placeholders_are_allowed(template: str) -> None:
    with pytest.raises(CatalogueError, match="placeholder"):
        placeholders(template)


def test_english_falls_back_to_zh_cn_key_by_key() -> None:
    catalogue = Catalogue(Demo, {"zh_CN": {"hello": "你好", "fee": "{amount}元"}, "en": {"fee": "{amount} yuan"}})
    assert catalogue.text_in("en", Demo.HELLO) == "你好"
    assert catalogue.text_in("en", Demo.FEE, amount="3.00") == "3.00 yuan"
    assert catalogue.text(Demo.FEE, amount="3.00") == "3.00元"


def test_every_exemption_kind_and_refusal_code_has_a_text() -> None:
    assert [tariff_texts.exempt_reason(kind) for kind in ExemptKind][:3] == [
        "月租车",
        "免费车辆",
        "执行任务的应急救援车辆",
    ]
    assert [device_texts.refusal(code) for code in Refusal][:2] == ["未登记的设备", "密钥错误"]
