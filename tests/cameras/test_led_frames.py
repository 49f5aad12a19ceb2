"""LED display + voice frames match the protocol document byte for byte and round-trip through the decoder."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hardware.displays.led_frames import (
    GREEN,
    RED,
    DisplayLine,
    DisplayState,
    Font,
    LedFrameError,
    LedFrameErrorCode,
    Rgb,
    ScrollMode,
    StopVoiceFrame,
    TextFrame,
    VoiceFrame,
    VoiceMode,
    crc16,
    decode_display,
    decode_frame,
    encode_display,
    encode_frame,
    encode_stop_voice,
    encode_text,
    encode_voice,
)


def test_crc_matches_the_connect_example_of_the_document() -> None:
    # given the document's 0x00 (connect) example "00 64 FF FF 00 06 31 35 39 37 35 33 FB 06"
    # when / then
    assert crc16(bytes.fromhex("0064FFFF0006313539373533")) == bytes.fromhex("FB06")


def test_voice_frame_matches_the_document_example() -> None:
    # when
    frame = encode_voice("欢迎光临,请入场停车", mode=VoiceMode.QUEUE_AND_PLAY)

    # then
    assert frame == bytes.fromhex("00 64 FF FF 30 14 01 BB B6 D3 AD B9 E2 C1 D9 2C C7 EB C8 EB B3 A1 CD A3 B3 B5 A9 36")


def test_queued_voice_frame_matches_the_document_example() -> None:
    # when
    frame = encode_voice("请交费10元", mode=VoiceMode.QUEUE_AND_PLAY)

    # then
    assert frame == bytes.fromhex("00 64 FF FF 30 0B 01 C7 EB BD BB B7 D1 31 30 D4 AA 43 1E")


def test_static_text_frame_matches_the_document_example() -> None:
    # given "第一行显示欢迎光临" in red, immediate display, dwell 5 s
    line = DisplayLine("欢迎光临", color=RED)

    # when
    frame = encode_text(line, window=0)

    # then
    assert frame == bytes.fromhex(
        "00 64 FF FF 62 1B 00 00 01 00 05 00 01 03 00 FF 00 00 00 00 00 00 00 08 00 BB B6 D3 AD B9 E2 C1 D9 58 96"
    )


def test_scrolling_text_frame_matches_the_document_example() -> None:
    # given continuous-left scrolling, dwell 2 s, red, Song 16
    line = DisplayLine(
        "欢迎光临请入场停车", color=RED, scroll=ScrollMode.CONTINUOUS_LEFT, dwell_s=2,
        exit_mode=ScrollMode.CONTINUOUS_LEFT,
    )  # fmt: skip

    # when
    frame = encode_text(line, window=0)

    # then
    assert frame == bytes.fromhex(
        "00 64 FF FF 62 25 00 15 01 00 02 15 01 03 00 FF 00 00 00 00 00 00 00 12 00"
        " BB B6 D3 AD B9 E2 C1 D9 C7 EB C8 EB B3 A1 CD A3 B3 B5 F4 F5"
    )


def test_stop_voice_frame_matches_the_document_example() -> None:
    # when / then
    assert encode_stop_voice() == bytes.fromhex("00 64 FF FF 31 00 64 67")


def test_encode_display_gives_one_frame_per_line_then_the_voice() -> None:
    # when
    frames = encode_display(["京A12345", "欢迎光临"], "京A12345,欢迎光临", address=3)

    # then
    assert [decode_frame(f) for f in frames] == [
        TextFrame(address=3, window=0, line=DisplayLine("京A12345")),
        TextFrame(address=3, window=1, line=DisplayLine("欢迎光临")),
        VoiceFrame(address=3, text="京A12345,欢迎光临", mode=VoiceMode.REPLACE_AND_PLAY),
    ]


def test_decode_display_replays_frames_like_a_display() -> None:
    # given a line, a replaced line, queued voice, then a voice that replaces the queue
    frames = [
        encode_text(DisplayLine("一"), window=0),
        encode_text(DisplayLine("二"), window=1),
        encode_text(DisplayLine("三", color=RED), window=0),
        encode_voice("甲", mode=VoiceMode.QUEUE),
        encode_voice("乙", mode=VoiceMode.QUEUE_AND_PLAY),
        encode_frame(0x0C, b"\x32"),
    ]

    # when
    state = decode_display(frames)

    # then
    assert state == DisplayState(lines={0: DisplayLine("三", color=RED), 1: DisplayLine("二")}, voice=("甲", "乙"))


def test_stop_voice_clears_the_queue() -> None:
    # when
    state = decode_display([encode_voice("甲", mode=VoiceMode.QUEUE), encode_stop_voice()])

    # then
    assert state.voice == ()
    assert decode_frame(encode_stop_voice()) == StopVoiceFrame(address=0)


_GBK_TEXT = st.text(
    alphabet=st.sampled_from("京沪粤浙苏川ABCDEFGHJKLMNPQRSTUVWXYZ0123456789欢迎光临请交费元剩余车位,. :"),
    max_size=40,
)
_LINES = st.builds(
    DisplayLine,
    text=_GBK_TEXT,
    color=st.builds(Rgb, st.integers(0, 255), st.integers(0, 255), st.integers(0, 255)),
    scroll=st.sampled_from(ScrollMode),
    speed=st.integers(1, 32),
    dwell_s=st.integers(0, 255),
    exit_mode=st.sampled_from(ScrollMode),
    exit_speed=st.integers(1, 32),
    font=st.sampled_from(Font),
    repeat=st.integers(0, 255),
    background=st.builds(Rgb, st.integers(0, 255), st.integers(0, 255), st.integers(0, 255)),
)


@given(lines=st.lists(_LINES, max_size=4), voice=st.none() | _GBK_TEXT.filter(bool), address=st.integers(0, 255))
def test_display_frames_round_trip(lines: list[DisplayLine], voice: str | None, address: int) -> None:
    # when
    state = decode_display(encode_display(lines, voice, address=address))

    # then
    assert state == DisplayState(lines=dict(enumerate(lines)), voice=(voice,) if voice else ())


@given(
    frame=st.builds(encode_text, _LINES, window=st.integers(0, 3)),
    index=st.integers(0, 10_000),
    bit=st.integers(0, 7),
)
def test_any_single_bit_flip_is_caught(frame: bytes, index: int, bit: int) -> None:
    # given a frame with one bit flipped somewhere
    position = index % len(frame)
    damaged = bytearray(frame)
    damaged[position] ^= 1 << bit

    # when
    with pytest.raises(LedFrameError) as caught:
        decode_frame(bytes(damaged))

    # then
    assert caught.value.code in {
        LedFrameErrorCode.BAD_CRC,
        LedFrameErrorCode.BAD_LENGTH,
        LedFrameErrorCode.UNSUPPORTED_VERSION,
    }


@pytest.mark.parametrize(
    ("make", "code"),
    [
        (lambda: encode_text(DisplayLine("€uro")), LedFrameErrorCode.NOT_ENCODABLE),
        (lambda: encode_text(DisplayLine("车" * 119)), LedFrameErrorCode.TEXT_TOO_LONG),
        (lambda: encode_voice("a" * 255), LedFrameErrorCode.TEXT_TOO_LONG),
        (lambda: encode_display(["1", "2", "3", "4", "5"]), LedFrameErrorCode.BAD_FIELD),
        (lambda: DisplayLine("x", speed=0), LedFrameErrorCode.BAD_FIELD),
        (lambda: Rgb(256, 0, 0), LedFrameErrorCode.BAD_FIELD),
        (lambda: encode_text(DisplayLine("x"), window=256), LedFrameErrorCode.BAD_FIELD),
        (lambda: encode_frame(0x30, b"", version=0x65), LedFrameErrorCode.UNSUPPORTED_VERSION),
        (lambda: decode_frame(b"\x00\x64\xff"), LedFrameErrorCode.TOO_SHORT),
        (lambda: decode_frame(bytes.fromhex("00 64 FF FF 31 01 64 67")), LedFrameErrorCode.BAD_LENGTH),
        (lambda: decode_frame(bytes.fromhex("00 64 FF FF 31 00 64 68")), LedFrameErrorCode.BAD_CRC),
        (lambda: decode_frame(encode_frame(0x30, b"")), LedFrameErrorCode.BAD_LENGTH),
        (lambda: decode_frame(encode_frame(0x30, b"\x07abc")), LedFrameErrorCode.BAD_FIELD),
        (lambda: decode_frame(encode_frame(0x30, b"\x01\xff\xff")), LedFrameErrorCode.NOT_ENCODABLE),
        (lambda: decode_frame(encode_frame(0x62, b"\x00" * 5)), LedFrameErrorCode.BAD_LENGTH),
    ],
)
def test_bad_frames_and_fields_are_refused(make: object, code: LedFrameErrorCode) -> None:
    # when
    with pytest.raises(LedFrameError) as caught:
        make()  # type: ignore[operator]

    # then
    assert caught.value.code == code


def test_longest_text_fits_one_frame() -> None:
    # given 118 Chinese characters = 236 GBK bytes, the most one 0x62 frame carries
    line = DisplayLine("车" * 118, color=GREEN)

    # when
    frame = encode_text(line)

    # then
    assert len(frame) == 6 + 255 + 2
    assert decode_frame(frame) == TextFrame(address=0, window=0, line=line)


def test_version_200_uses_a_two_byte_length() -> None:
    # when
    frame = encode_frame(0x30, b"\x01" + "欢迎".encode("gbk"), version=0xC8)

    # then
    assert frame[:7] == bytes.fromhex("00 C8 FF FF 30 05 00")
    assert decode_frame(frame) == VoiceFrame(address=0, text="欢迎", mode=VoiceMode.QUEUE_AND_PLAY)
