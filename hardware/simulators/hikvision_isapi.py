"""A Hikvision ANPR camera's ISAPI side on 127.0.0.1: digest auth, device info and the barrier relay."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import re
import secrets
import socket
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from types import TracebackType

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

REALM = "IP Camera(E2841)"
_OK = (
    b'<?xml version="1.0" encoding="UTF-8"?><ResponseStatus version="2.0" '
    b'xmlns="http://www.isapi.org/ver20/XMLSchema"><requestURL>{url}</requestURL><statusCode>1</statusCode>'
    b"<statusString>OK</statusString><subStatusCode>ok</subStatusCode></ResponseStatus>"
)
_PARAM = re.compile(r'(\w+)=(?:"([^"]*)"|([^,\s]+))')


def _md5(text: str) -> str:
    return hashlib.md5(text.encode(), usedforsecurity=False).hexdigest()


@dataclass
class IsapiCameraSimulator:
    """``async with IsapiCameraSimulator() as cam``: ``cam.port`` serves ISAPI; ``cam.commands`` lists the
    barrier modes it was told (``"open"``/``"close"``) in order; ``refuse`` makes it answer a failure."""

    username: str = "admin"
    password: str = "hik12345"
    serial: str = "DS-TCG227-A20231120CCWR123456789"
    commands: list[str] = field(default_factory=list)
    refuse: bool = False
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

    async def _barrier(self, request: Request) -> Response:
        if not self._authorised(request):
            return self._challenge()
        root = ET.fromstring(await request.body())
        node = root.find("ctrlMode")
        mode = node.text if node is not None and node.text else ""
        if self.refuse or mode not in ("open", "close"):
            body = _OK.replace(b"<statusCode>1</statusCode>", b"<statusCode>4</statusCode>")
            return Response(body.replace(b"{url}", request.url.path.encode()), media_type="application/xml")
        self.commands.append(mode)
        return Response(_OK.replace(b"{url}", request.url.path.encode()), media_type="application/xml")

    async def _device_info(self, request: Request) -> Response:
        if not self._authorised(request):
            return self._challenge()
        body = (
            '<?xml version="1.0" encoding="UTF-8"?><DeviceInfo version="2.0" '
            'xmlns="http://www.isapi.org/ver20/XMLSchema"><deviceName>ANPR Camera</deviceName>'
            f"<model>iDS-TCM203-A</model><serialNumber>{self.serial}</serialNumber>"
            "<macAddress>44:19:b6:aa:bb:cc</macAddress><firmwareVersion>V5.5.800</firmwareVersion></DeviceInfo>"
        )
        return Response(body, media_type="application/xml")

    async def __aenter__(self) -> IsapiCameraSimulator:
        app = Starlette(
            routes=[
                Route("/ISAPI/Parking/channels/{channel:int}/barrierGate", self._barrier, methods=["PUT"]),
                Route("/ISAPI/System/deviceInfo", self._device_info, methods=["GET"]),
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
