"""The Hikvision ISAPI barrier against a loopback ISAPI camera with digest auth."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from hardware.base import GatePosition
from hardware.cameras import isapi_xml
from hardware.errors import DeviceRefused, DeviceUnavailable
from hardware.gates.hikvision_isapi import HikvisionIsapiBarrier, HikvisionIsapiConfig
from hardware.registry import parse_device_config, probe_identity
from hardware.simulators.hikvision_isapi import IsapiCameraSimulator, IsapiRefusal
from tests.devices.conftest import free_port


@pytest.fixture
async def camera() -> AsyncIterator[IsapiCameraSimulator]:
    async with IsapiCameraSimulator() as sim:
        yield sim


def config(port: int, password: str = "hik12345") -> HikvisionIsapiConfig:
    parsed = parse_device_config({"type": "hikvision_isapi", "host": "127.0.0.1", "port": port, "password": password})
    assert isinstance(parsed, HikvisionIsapiConfig)
    return parsed


async def test_open_and_close_are_sent_with_digest_auth(camera: IsapiCameraSimulator) -> None:
    barrier = HikvisionIsapiBarrier(config(camera.port))
    try:
        state = await barrier.open()
        await barrier.close()
    finally:
        await barrier.aclose()
    assert camera.commands == ["open", "close"]
    assert state.position is GatePosition.UNKNOWN  # the relay reports nothing back


async def test_the_probe_reads_the_cameras_serial_and_mac(camera: IsapiCameraSimulator) -> None:
    identity = await probe_identity(config(camera.port))
    assert (identity.serial, identity.mac, identity.vendor) == (camera.serial, "44:19:b6:aa:bb:cc", "Hikvision")


async def test_wrong_credentials_are_refused_and_nothing_moves(camera: IsapiCameraSimulator) -> None:
    barrier = HikvisionIsapiBarrier(config(camera.port, password="nope"))
    try:
        with pytest.raises(DeviceRefused, match="credentials"):
            await barrier.open()
    finally:
        await barrier.aclose()
    assert camera.commands == []


async def test_a_camera_that_answers_a_failure_status_is_a_refusal(camera: IsapiCameraSimulator) -> None:
    camera.refuse = True
    barrier = HikvisionIsapiBarrier(config(camera.port))
    try:
        with pytest.raises(DeviceRefused, match="status 4"):
            await barrier.open()
    finally:
        await barrier.aclose()


async def test_an_unreachable_camera_is_unavailable() -> None:
    barrier = HikvisionIsapiBarrier(config(free_port()))
    try:
        with pytest.raises(DeviceUnavailable):
            await barrier.open()
        with pytest.raises(DeviceUnavailable):
            await barrier.state()  # the health poll's look at it
    finally:
        await barrier.aclose()


@pytest.mark.parametrize("namespace", [isapi_xml.HIKVISION_NS, isapi_xml.ISAPI_NS, ""])
async def test_every_firmware_namespace_identifies_opens_and_refuses(namespace: str) -> None:
    async with IsapiCameraSimulator(namespace=namespace) as camera:
        barrier = HikvisionIsapiBarrier(config(camera.port))
        try:
            identity = await barrier.identity()
            opened = await barrier.open()
            camera.refusal = IsapiRefusal()  # HTTP 403 with a ResponseStatus, as most firmware refuses
            with pytest.raises(DeviceRefused) as refused:
                await barrier.close()
        finally:
            await barrier.aclose()
    assert (identity.serial, identity.mac, identity.firmware) == (
        camera.serial,
        "44:19:b6:aa:bb:cc",
        "V5.5.800 build 210628",
    )
    assert opened.answer == "1 OK (ok)"
    assert str(refused.value).endswith("HTTP 403: 4 Invalid Operation (notSupport)")
    assert camera.commands == ["open"]
