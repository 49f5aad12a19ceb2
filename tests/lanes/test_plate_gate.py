"""parking.plates.read_plate, the one gate for plate text from outside: properties over any text."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from parking.plates import NO_PLATE, PROVINCES, is_valid_plate, normalize_plate, printable, read_plate

_plate_like = st.builds(lambda p, rest: p + rest, st.sampled_from(PROVINCES), st.text(max_size=10))


@given(st.one_of(st.text(), _plate_like, st.none()))
def test_any_text_is_a_valid_plate_or_no_plate_and_never_raises(raw: str | None) -> None:
    read = read_plate(raw)
    assert read.plate == NO_PLATE or is_valid_plate(read.plate)
    if read.unreadable is not None:
        # unreadable text is kept only as its safe rendering, for the alarm
        assert read.plate == NO_PLATE
        assert read.unreadable == printable(raw or "")
        assert read.unreadable.isprintable() or "\\u" in read.unreadable
        assert len(read.unreadable) <= 64 * 6


@given(_plate_like)
def test_a_valid_plate_reads_as_its_normal_form(raw: str) -> None:
    read = read_plate(raw)
    if read.unreadable is None and read.plate != NO_PLATE:
        assert read.plate == normalize_plate(raw)


def test_examples() -> None:
    assert read_plate("京a·12345").plate == "京A12345"
    assert read_plate("_无_").plate == NO_PLATE  # what a Vzenith camera says for no plate: not an alarm
    assert read_plate("_无_").unreadable is None
    assert read_plate("京A1\x0023").unreadable == "京A1\\u000023"
    assert read_plate("停车场入口").unreadable == "停车场入口"
    assert read_plate("京" + "1" * 10_000).unreadable == "京" + "1" * 63
