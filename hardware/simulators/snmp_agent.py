"""An SNMP v1/v2c agent on 127.0.0.1 answering GET/GETNEXT from a table of numeric OIDs; can fall silent."""

from __future__ import annotations

import asyncio
import logging
from typing import Any, Self, cast

from pyasn1.codec.ber import decoder, encoder
from pyasn1.error import PyAsn1Error
from pysnmp.proto import api

from hardware.base import Clock, DeviceValue, ManualClock

logger = logging.getLogger(__name__)

SYS_DESCR = (1, 3, 6, 1, 2, 1, 1, 1, 0)
SYS_UPTIME = (1, 3, 6, 1, 2, 1, 1, 3, 0)
SYS_NAME = (1, 3, 6, 1, 2, 1, 1, 5, 0)
IF_PHYS_ADDRESS = (1, 3, 6, 1, 2, 1, 2, 2, 1, 6)
IF_OPER_STATUS = (1, 3, 6, 1, 2, 1, 2, 2, 1, 8)

Oid = tuple[int, ...]


def parse_oid(oid: str | Oid) -> Oid:
    return oid if isinstance(oid, tuple) else tuple(int(part) for part in oid.strip(".").split("."))


class SnmpAgentSimulator:
    """``async with SnmpAgentSimulator(sys_name="gate-1") as agent:`` answers on ``agent.port``."""

    def __init__(
        self,
        *,
        port: int = 0,
        community: str = "public",
        clock: Clock | None = None,
        sys_name: str = "parkcloud-sim",
        sys_descr: str = "ParkCloud simulated device",
        mac: bytes = b"\x02\x00\x00\x00\x00\x01",
        if_oper_status: dict[int, int] | None = None,
        values: dict[str, DeviceValue] | None = None,
    ) -> None:
        self.clock = clock if clock is not None else ManualClock()
        self.community = community
        self.silent = False
        self.requests = 0
        self._requested_port = port
        self._booted_at = self.clock()
        self._table: dict[Oid, DeviceValue] = {SYS_DESCR: sys_descr, SYS_NAME: sys_name}
        for if_index, status in (if_oper_status or {1: 1}).items():
            self._table[(*IF_OPER_STATUS, if_index)] = status
            self._table[(*IF_PHYS_ADDRESS, if_index)] = mac
        for oid, value in (values or {}).items():
            self.set_value(oid, value)
        self._transport: asyncio.DatagramTransport | None = None
        self.port = 0

    def set_value(self, oid: str | Oid, value: DeviceValue) -> None:
        """Answer ``value`` at ``oid`` from now on; None removes it (noSuchInstance)."""
        key = parse_oid(oid)
        if value is None:
            self._table.pop(key, None)
        else:
            self._table[key] = value

    def set_if_oper_status(self, if_index: int, status: int) -> None:
        self.set_value((*IF_OPER_STATUS, if_index), status)

    def reboot(self) -> None:
        self._booted_at = self.clock()

    async def start(self) -> None:
        loop = asyncio.get_running_loop()
        transport, _ = await loop.create_datagram_endpoint(
            lambda: _AgentProtocol(self), local_addr=("127.0.0.1", self._requested_port)
        )
        self._transport = transport
        self.port = int(transport.get_extra_info("sockname")[1])
        logger.info("snmp agent simulator listening on 127.0.0.1:%s", self.port)

    async def stop(self) -> None:
        if self._transport is not None:
            self._transport.close()
            self._transport = None

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(self, *_exc: object) -> None:
        await self.stop()

    def answer(self, request: bytes) -> bytes | None:
        """The encoded response to one request datagram, or None to stay quiet (as a real agent does)."""
        self.requests += 1
        if self.silent:
            return None
        try:
            version = int(api.decodeMessageVersion(request))
            module = api.PROTOCOL_MODULES[version]
            message, _ = decoder.decode(request, asn1Spec=module.Message())
        except (PyAsn1Error, KeyError):
            logger.info("snmp agent simulator: undecodable datagram ignored")
            return None
        if str(module.apiMessage.get_community(message)) != self.community:
            return None  # wrong community: agents drop the packet rather than say so
        request_pdu = module.apiMessage.get_pdu(message)
        response = module.apiMessage.get_response(message)
        response_pdu = module.apiMessage.get_pdu(response)
        is_next = request_pdu.isSameTypeWith(module.GetNextRequestPDU())
        if not (is_next or request_pdu.isSameTypeWith(module.GetRequestPDU())):
            module.apiPDU.set_error_status(response_pdu, 5)  # genErr: we only read
            return bytes(encoder.encode(response))
        var_binds = [
            self._next(module, tuple(oid)) if is_next else self._get(module, tuple(oid))
            for oid, _ in module.apiPDU.get_varbinds(request_pdu)
        ]
        if version == api.SNMP_VERSION_1 and any(value is None for _, value in var_binds):
            missing = next(i for i, (_, value) in enumerate(var_binds) if value is None)
            module.apiPDU.set_error_status(response_pdu, 2)  # v1 has noSuchName, not per-varbind markers
            module.apiPDU.set_error_index(response_pdu, missing + 1)
            var_binds = [(oid, module.Null("")) for oid, _ in var_binds]
        else:
            var_binds = [(oid, module.EndOfMibView() if v is None and is_next else v) for oid, v in var_binds]
            var_binds = [(oid, module.NoSuchInstance() if v is None else v) for oid, v in var_binds]
        module.apiPDU.set_varbinds(response_pdu, var_binds)
        return bytes(encoder.encode(response))

    def _value(self, module: Any, oid: Oid) -> Any:
        if oid == SYS_UPTIME:
            return module.TimeTicks(round((self.clock() - self._booted_at) * 100))
        value = self._table.get(oid)
        if value is None:
            return None
        if isinstance(value, int):
            return module.Integer(value)
        return module.OctetString(value)

    def _get(self, module: Any, oid: Oid) -> tuple[Any, Any]:
        return module.ObjectIdentifier(oid), self._value(module, oid)

    def _next(self, module: Any, oid: Oid) -> tuple[Any, Any]:
        later = sorted(key for key in (*self._table, SYS_UPTIME) if key > oid)
        if not later:
            return module.ObjectIdentifier(oid), None
        return module.ObjectIdentifier(later[0]), self._value(module, later[0])


class _AgentProtocol(asyncio.DatagramProtocol):
    def __init__(self, agent: SnmpAgentSimulator) -> None:
        self._agent = agent
        self._transport: asyncio.DatagramTransport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self._transport = cast("asyncio.DatagramTransport", transport)  # a datagram endpoint's transport

    def datagram_received(self, data: bytes, addr: tuple[str | Any, int]) -> None:
        reply = self._agent.answer(data)
        if reply is not None and self._transport is not None:
            self._transport.sendto(reply, addr)
