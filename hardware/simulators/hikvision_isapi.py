"""A Hikvision ANPR camera's ISAPI side on 127.0.0.1: digest auth, device info and the barrier relay."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import re
import secrets
import socket
from dataclasses import dataclass, field
from types import TracebackType

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from hardware.cameras import isapi_xml

REALM = "IP Camera(E2841)"
_PARAM = re.compile(r'(\w+)=(?:"([^"]*)"|([^,\s]+))')


@dataclass(frozen=True, slots=True)
class IsapiRefusal:
    """How the camera turns a request down: firmware differs on the HTTP status (200 or 403 both occur), the
    body is always a ResponseStatus (Hikvision ISAPI developer guide, "ResponseStatus")."""

    http_status: int = 403
    status_code: int = 4
    status_string: str = "Invalid Operation"
    sub_status_code: str = "notSupport"


def response_status(namespace: str, url: str, code: int = 1, string: str = "OK", sub: str = "ok") -> bytes:
    xmlns = f' xmlns="{namespace}"' if namespace else ""
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<ResponseStatus version="2.0"{xmlns}>\n'
        f"<requestURL>{url}</requestURL>\n<statusCode>{code}</statusCode>\n<statusString>{string}</statusString>\n"
        f"<subStatusCode>{sub}</subStatusCode>\n</ResponseStatus>\n"
    ).encode()


def _md5(text: str) -> str:
    return hashlib.md5(text.encode(), usedforsecurity=False).hexdigest()


@dataclass
class IsapiCameraSimulator:
    """``async with IsapiCameraSimulator() as cam``: ``cam.port`` serves ISAPI; ``cam.commands`` lists what it
    was told (``"open"``/``"close"``, ``"reboot"``) in order; ``refuse`` makes it answer a failure (HTTP 200
    with statusCode 4, as some firmware does) and ``refusal`` a given one. ``namespace`` is the XML namespace its
    documents are written in: ``isapi_xml.HIKVISION_NS``, ``isapi_xml.ISAPI_NS`` or ``""`` (none)."""

    username: str = "admin"
    password: str = "hik12345"
    serial: str = "DS-TCG227-A20231120CCWR123456789"
    commands: list[str] = field(default_factory=list)
    refuse: bool = False
    refusal: IsapiRefusal | None = None
    namespace: str = isapi_xml.ISAPI_NS
    mac: str = "44:19:B6:AA:BB:CC"
    firmware: str = "V5.5.800"
    firmware_date: str = "build 210628"
    model: str = "iDS-TCM203-A"
    # Captured answers served verbatim instead of the built ones: a deviceInfo document, and the barrier's
    # (HTTP status, ResponseStatus body).
    device_info_body: bytes | None = None
    barrier_reply: tuple[int, bytes] | None = None
    port: int = 0
    _nonces: set[str] = field(default_factory=set)
    _server: uvicorn.Server | None = None
    _task: asyncio.Task[None] | None = None

    def _challenge(self) -> Response:
        nonce = secrets.token_hex(16)
        self._nonces.add(nonce)
        header = f'Digest realm="{REALM}", qop="auth", nonce="{nonce}", opaque="", algorithm="MD5"'
        return Response(status_code=401, headers={"WWW-Authenticate": header})

    def _authorised(self, request: Request) -> bool:
        header = request.headers.get("authorization", "")
        if not header.startswith("Digest "):
            return False
        params = {m.group(1): m.group(2) if m.group(2) is not None else m.group(3) for m in _PARAM.finditer(header)}
        if params.get("username") != self.username or params.get("nonce") not in self._nonces:
            return False
        ha1 = _md5(f"{self.username}:{REALM}:{self.password}")
        ha2 = _md5(f"{request.method}:{params.get('uri', '')}")
        expected = _md5(f"{ha1}:{params['nonce']}:{params.get('nc')}:{params.get('cnonce')}:auth:{ha2}")
        return secrets.compare_digest(expected, params.get("response", ""))

    def _xml(self, body: bytes, status: int = 200) -> Response:
        return Response(body, status_code=status, media_type="application/xml; charset=UTF-8")

    async def _barrier(self, request: Request) -> Response:
        if not self._authorised(request):
            return self._challenge()
        url = request.url.path
        try:
            root = isapi_xml.parse(await request.body(), "BarrierGate")
        except isapi_xml.IsapiXmlError:
            return self._xml(response_status(self.namespace, url, 5, "Invalid XML Format", "badXmlFormat"), 400)
        mode = isapi_xml.text(root, "ctrlMode") or ""
        if mode not in ("open", "close"):
            return self._xml(response_status(self.namespace, url, 6, "Invalid XML Content", "badXmlContent"), 400)
        if self.barrier_reply is not None:
            status, body = self.barrier_reply
            if status == 200 and isapi_xml.response_status(body).ok:
                self.commands.append(mode)
            return self._xml(body, status)
        refusal = self.refusal or (IsapiRefusal(http_status=200) if self.refuse else None)
        if refusal is not None:
            body = response_status(
                self.namespace, url, refusal.status_code, refusal.status_string, refusal.sub_status_code
            )
            return self._xml(body, refusal.http_status)
        self.commands.append(mode)
        return self._xml(response_status(self.namespace, url))

    async def _reboot(self, request: Request) -> Response:
        if not self._authorised(request):
            return self._challenge()
        self.commands.append("reboot")
        return self._xml(response_status(self.namespace, request.url.path))

    async def _device_info(self, request: Request) -> Response:
        if not self._authorised(request):
            return self._challenge()
        if self.device_info_body is not None:
            return self._xml(self.device_info_body)
        xmlns = f' xmlns="{self.namespace}"' if self.namespace else ""
        # Shaped like a DS-TCG / iDS-TCM entrance camera's answer (Hikvision ISAPI developer guide, DeviceInfo).
        body = (
            f'<?xml version="1.0" encoding="UTF-8"?>\n<DeviceInfo version="2.0"{xmlns}>\n'
            "<deviceName>ANPR Camera</deviceName>\n<deviceID>88</deviceID>\n<model>"
            f"{self.model}</model>\n<serialNumber>{self.serial}</serialNumber>\n<macAddress>{self.mac}</macAddress>\n"
            f"<firmwareVersion>{self.firmware}</firmwareVersion>\n<firmwareReleasedDate>{self.firmware_date}"
            "</firmwareReleasedDate>\n<deviceType>IPCamera</deviceType>\n</DeviceInfo>\n"
        )
        return self._xml(body.encode())

    async def __aenter__(self) -> IsapiCameraSimulator:
        app = Starlette(
            routes=[
                Route("/ISAPI/Parking/channels/{channel:int}/barrierGate", self._barrier, methods=["PUT"]),
                Route("/ISAPI/System/deviceInfo", self._device_info, methods=["GET"]),
                Route("/ISAPI/System/reboot", self._reboot, methods=["PUT"]),
            ]
        )
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.bind(("127.0.0.1", 0))
        self.port = int(sock.getsockname()[1])
        self._server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
        self._task = asyncio.create_task(self._server.serve(sockets=[sock]))
        while not self._server.started:
            if self._task.done():
                self._task.result()
            await asyncio.sleep(0.01)
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._server is not None:
            self._server.should_exit = True
        if self._task is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
