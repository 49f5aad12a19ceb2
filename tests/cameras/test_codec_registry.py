"""The codec registry: every push protocol has its codec, found by the name in the push URL."""

from __future__ import annotations

import json

import pytest

from hardware.cameras import CODECS, CameraProtocol, CameraReply, codec_for


def test_every_protocol_has_the_codec_that_speaks_it() -> None:
    # when
    spoken = {protocol: CODECS[protocol].protocol for protocol in CameraProtocol}

    # then
    assert spoken == {protocol: protocol for protocol in CameraProtocol}


def test_a_codec_is_found_by_the_name_in_the_push_url() -> None:
    # when
    codec = codec_for("generic")

    # then
    assert codec is CODECS[CameraProtocol.GENERIC]


def test_an_unknown_protocol_has_no_codec() -> None:
    # when / then
    with pytest.raises(ValueError, match="'dahua' is not a valid CameraProtocol"):
        codec_for("dahua")


def test_only_vzenith_cameras_poll_for_their_commands() -> None:
    # when
    polling = {protocol for protocol, codec in CODECS.items() if codec.polls}

    # then
    assert polling == {CameraProtocol.VZENITH}


def test_an_unreadable_vzenith_offline_record_is_still_acknowledged_by_its_plate_id() -> None:
    # given a record whose plate text is no string (it does not decode) but whose offline flag and id read
    body = json.dumps({"AlarmInfoPlate": {"result": {"PlateResult": {"license": 7, "isoffline": 1, "plateid": 42}}}})

    # when
    peeked = {protocol: codec.peek_offline_plate_id(body.encode()) for protocol, codec in CODECS.items()}

    # then only Vzenith acknowledges records by id
    assert peeked == {
        CameraProtocol.VZENITH: (True, 42),
        CameraProtocol.HIKVISION: (False, None),
        CameraProtocol.GENERIC: (False, None),
    }


def test_the_edge_reads_the_decision_back_from_vzenith_replies_only() -> None:
    # given
    reply = CameraReply(open=True)

    # when
    opens = {protocol: codec.reply_opens(codec.encode_reply(reply).body) for protocol, codec in CODECS.items()}

    # then
    assert opens == {CameraProtocol.VZENITH: True, CameraProtocol.HIKVISION: None, CameraProtocol.GENERIC: None}
