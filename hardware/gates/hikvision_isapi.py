"""Barrier wired to a Hikvision ANPR camera, driven over ISAPI (HTTP with digest auth).

A Hikvision camera ignores the body of the reply to its own push, so unlike the Vzenith camera-IO path the
open has to be a separate request to the camera: ``PUT /ISAPI/Parking/channels/{n}/barrierGate``.
"""

from __future__ import annotations

from typing import Literal

import httpx
from pydantic import BaseModel, ConfigDict, Field, SecretStr

from hardware.base import DeviceIdentity, GatePosition, GateState
from hardware.cameras import isapi_xml
from hardware.cameras.hikvision import barrier_request
from hardware.errors import DeviceProtocolError, DeviceRefused, DeviceTimeout, DeviceUnavailable

# The camera's relay reports nothing back: an acknowledged request is the only confirmation there is.
_NO_FEEDBACK = GateState(position=GatePosition.UNKNOWN, loop_occupied=None)


class HikvisionIsapiConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    type: Literal["hikvision_isapi"] = "hikvision_isapi"
    host: str = Field(min_length=1, max_length=253)
    port: int = Field(default=80, ge=1, le=65535)
    scheme: Literal["http", "https"] = "http"
    username: str = Field(default="admin", min_length=1, max_length=64)
    password: SecretStr = SecretStr("")
    channel: int = Field(default=1, ge=1, le=16)
    timeout_s: float = Field(default=3.0, gt=0, le=30)


def _status(body: bytes) -> isapi_xml.ResponseStatus | None:
    """The camera's ``ResponseStatus`` in ``body``, None when the body is not one (some errors come bare)."""
    try:
        return isapi_xml.response_status(body)
    except isapi_xml.IsapiXmlError:
        return None


class HikvisionIsapiBarrier:
    def __init__(self, config: HikvisionIsapiConfig) -> None:
        self.config = config
        self._client = httpx.AsyncClient(
            base_url=f"{config.scheme}://{config.host}:{config.port}",
            auth=httpx.DigestAuth(config.username, config.password.get_secret_value()),
            timeout=config.timeout_s,
        )

    async def _request(self, method: str, path: str, body: bytes | None = None) -> bytes:
        try:
            response = await self._client.request(
                method, path, content=body, headers={"content-type": "application/xml"} if body else None
            )
        except httpx.TimeoutException as err:
            raise DeviceTimeout(f"ISAPI {method} {path}: no answer in {self.config.timeout_s} s") from err
        except httpx.TransportError as err:
            raise DeviceUnavailable(f"ISAPI {method} {path}: {err}") from err
        if response.status_code == 401:
            raise DeviceRefused(f"ISAPI {method} {path}: the camera refused the credentials")
        if response.status_code >= 400:
            # A refusing camera says why in a ResponseStatus (e.g. 403 "4 Invalid Operation (notSupport)").
            status = _status(response.content)
            said = f": {status.describe()}" if status is not None else ""
            raise DeviceRefused(f"ISAPI {method} {path}: HTTP {response.status_code}{said}")
        return response.content

    async def _barrier(self, open_gate: bool) -> GateState:
        method, path, body = barrier_request(open_gate, self.config.channel)
        answer = await self._request(method, path, body)
        try:
            status = isapi_xml.response_status(answer)
        except isapi_xml.IsapiXmlError as err:
            raise DeviceProtocolError(f"ISAPI barrierGate: the answer is no ResponseStatus: {err}") from err
        if not status.ok:
            raise DeviceRefused(f"ISAPI barrierGate: status {status.describe()}")
        return GateState(position=GatePosition.UNKNOWN, loop_occupied=None, answer=status.describe())

    async def reboot(self) -> GateState:
        """``PUT /ISAPI/System/reboot``: the camera answers, then restarts (about a minute without pushes)."""
        answer = await self._request("PUT", "/ISAPI/System/reboot")
        try:
            status = isapi_xml.response_status(answer)
        except isapi_xml.IsapiXmlError as err:
            raise DeviceProtocolError(f"ISAPI reboot: the answer is no ResponseStatus: {err}") from err
        if not status.ok:
            raise DeviceRefused(f"ISAPI reboot: status {status.describe()}")
        return GateState(position=GatePosition.UNKNOWN, loop_occupied=None, answer=status.describe())

    async def open(self) -> GateState:
        return await self._barrier(True)

    async def close(self) -> GateState:
        return await self._barrier(False)

    async def state(self) -> GateState:
        # No position to read, but asking proves the camera is there: the health poll relies on it.
        await self._request("GET", "/ISAPI/System/deviceInfo")
        return _NO_FEEDBACK

    async def wait_until_open(self, timeout_s: float) -> GateState:
        del timeout_s  # the camera acknowledged the open in ``open()``; there is no position to wait for
        return _NO_FEEDBACK

    async def identity(self) -> DeviceIdentity:
        try:
            info = isapi_xml.device_info(await self._request("GET", "/ISAPI/System/deviceInfo"))
        except isapi_xml.IsapiXmlError as err:
            raise DeviceProtocolError(f"ISAPI deviceInfo: {err}") from err
        return DeviceIdentity(
            kind="hikvision_isapi",
            serial=info.serial_number,
            mac=info.mac,
            sys_name=info.device_name,
            vendor="Hikvision",
            model=info.model,
            firmware=info.firmware,
        )

    async def aclose(self) -> None:
        await self._client.aclose()
