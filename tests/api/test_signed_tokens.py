"""Signed tokens (parking.common.signed_tokens): a token reads back only under its own secret and purpose, before
it expires, and any change to it makes it unreadable."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from parking.common import signed_tokens
from parking.drivers import issue_driver_token, read_driver_token
from parking.payments.anonymous import issue_stay_token, read_stay_token

NOW = datetime(2026, 12, 6, 4, 0, tzinfo=UTC)
SECRET = "a-secret-of-the-platform-for-tests-only"


@given(value=st.one_of(st.integers(min_value=-(2**53), max_value=2**53), st.text(max_size=40)))
def test_a_token_reads_back_its_claim_until_it_expires(value: object) -> None:
    token = signed_tokens.issue(SECRET, b"purpose", "v", value, NOW, 60)
    assert signed_tokens.read(SECRET, b"purpose", "v", token, NOW + timedelta(seconds=59)) == value
    assert signed_tokens.read(SECRET, b"purpose", "v", token, NOW + timedelta(seconds=60)) is None


@given(position=st.integers(min_value=0), replacement=st.sampled_from("AZaz09-_."))
def test_any_change_to_a_token_makes_it_unreadable(position: int, replacement: str) -> None:
    token = signed_tokens.issue(SECRET, b"purpose", "v", 42, NOW, 60)
    at = position % len(token)
    changed = token[:at] + replacement + token[at + 1 :]
    if changed != token:
        assert signed_tokens.read(SECRET, b"purpose", "v", changed, NOW) is None


def test_a_token_of_one_purpose_or_secret_never_passes_as_another() -> None:
    stay = issue_stay_token(SECRET, 7, NOW)
    driver = issue_driver_token(SECRET, "openid-7", NOW, 60)
    assert read_stay_token(SECRET, stay, NOW) == 7
    assert read_driver_token(SECRET, driver, NOW) == "openid-7"
    # a stay token is no driver login, a driver token no stay, and another platform's secret reads neither
    assert read_driver_token(SECRET, stay, NOW) is None
    assert read_stay_token(SECRET, driver, NOW) is None
    assert read_stay_token(SECRET + "x", stay, NOW) is None
    assert read_driver_token(SECRET + "x", driver, NOW) is None
