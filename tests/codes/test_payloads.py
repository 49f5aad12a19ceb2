"""The signed payload of a code: compact, and nothing but our own signature reads back."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st

from parking.codes import payloads

SECRET = "test-secret-key"
EXPIRES = datetime(2036, 1, 1, tzinfo=UTC)


def test_a_payload_reads_back_what_it_names() -> None:
    nonce = payloads.new_nonce()
    signed = payloads.sign(SECRET, 123456789, nonce, EXPIRES)
    assert payloads.verify(SECRET, signed) == payloads.Payload(123456789, nonce, int(EXPIRES.timestamp()))
    # Small enough for a small QR code: id, nonce, expiry and 128 bits of signature.
    assert len(signed) <= 56, signed


def test_another_secret_or_any_changed_character_reads_as_nothing() -> None:
    signed = payloads.sign(SECRET, 42, payloads.new_nonce(), EXPIRES)
    assert payloads.verify("another-secret", signed) is None
    for i, char in enumerate(signed):
        for other in {"a", "Z", "0", ".", "-"} - {char}:
            assert payloads.verify(SECRET, signed[:i] + other + signed[i + 1 :]) is None, (i, other)
    assert payloads.verify(SECRET, signed + "a") is None
    assert payloads.verify(SECRET, signed[:-1]) is None


@given(st.text(max_size=200))
def test_random_strings_never_verify(raw: str) -> None:
    assert payloads.verify(SECRET, raw) is None
