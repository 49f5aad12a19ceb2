"""Barrier on a Modbus TCP relay board: pulse a coil to open/close, read limit switches and loop detector."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field
from pymodbus import ModbusException
from pymodbus.client import AsyncModbusTcpClient
from pymodbus.pdu import ModbusPDU

from hardware.base import DeviceIdentity, GateCommand, GatePosition, GateState
from hardware.errors import (
    DeviceProtocolError,
    DeviceRefused,
    DeviceTimeout,
    DeviceUnavailable,
    GateFailedToOpen,
)

logger = logging.getLogger(__name__)

_T = TypeVar("_T")
_ILLEGAL_FUNCTION = 1


class ModbusRelayConfig(BaseModel):
    """Addresses are 0-based protocol addresses (what goes on the wire), not 1-based 00001/10001 labels."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    type: Literal["modbus_relay"] = "modbus_relay"
    host: str = Field(min_length=1, max_length=253)
    port: int = Field(default=502, ge=1, le=65535)
    device_id: int = Field(default=1, ge=0, le=247)
    open_coil: int = Field(default=0, ge=0, le=65535)
    close_coil: int | None = Field(default=1, ge=0, le=65535)
    pulse_ms: int = Field(default=300, ge=0, le=10_000)
    open_input: int = Field(default=0, ge=0, le=65535)
    closed_input: int = Field(default=1, ge=0, le=65535)
    loop_input: int | None = Field(default=2, ge=0, le=65535)
    timeout_s: float = Field(default=1.0, gt=0, le=30)
    poll_interval_s: float = Field(default=0.1, gt=0, le=5)
    # A relay wired (normally closed) into the barrier controller's power line: held on, it cuts the power.
    # None: no such relay, the barrier cannot be rebooted from here.
    power_coil: int | None = Field(default=None, ge=0, le=65535)
    power_off_s: float = Field(default=3.0, ge=0, le=60)


class _ConnectionDropped(Exception):
    """The TCP connection went away while a request was outstanding."""


def infer_position(
    open_limit: bool, closed_limit: bool, last_command: GateCommand | None, last_limit: GatePosition | None
) -> GatePosition:
    """Limit switches only say open/closed; between them the direction comes from what happened last."""
    if open_limit and closed_limit:
        return GatePosition.UNKNOWN  # both switches made: a wiring or sensor fault
    if open_limit:
        return GatePosition.OPEN
    if closed_limit:
        return GatePosition.CLOSED
    if last_command is GateCommand.OPEN and last_limit is not GatePosition.OPEN:
        return GatePosition.OPENING
    if last_command is GateCommand.CLOSE or last_limit is GatePosition.OPEN:
        return GatePosition.CLOSING
    if last_limit is GatePosition.CLOSED:
        return GatePosition.OPENING
    return GatePosition.UNKNOWN


class ModbusRelayBarrier:
    """One TCP connection per barrier, opened lazily; a dropped connection is reopened and retried once."""

    def __init__(self, config: ModbusRelayConfig) -> None:
        self.config = config
        self._client: AsyncModbusTcpClient | None = None
        self._lost: asyncio.Future[None] | None = None
        self._lock = asyncio.Lock()
        self._last_command: GateCommand | None = None
        self._last_limit: GatePosition | None = None

    @property
    def _where(self) -> str:
        return f"modbus://{self.config.host}:{self.config.port}/{self.config.device_id}"

    async def open(self) -> GateState:
        async with self._lock:
            self._last_command = GateCommand.OPEN
            self._last_limit = None
            await self._pulse(self.config.open_coil)
            return await self._read_state()

    async def close(self) -> GateState:
        if self.config.close_coil is None:
            raise DeviceRefused(f"{self._where}: no close relay configured; the barrier closes by itself")
        async with self._lock:
            self._last_command = GateCommand.CLOSE
            await self._pulse(self.config.close_coil)
            state = await self._read_state()
        if state.loop_occupied and state.position in (GatePosition.OPEN, GatePosition.OPENING):
            raise DeviceRefused(f"{self._where}: barrier will not close, vehicle on the loop")
        return state

    async def state(self) -> GateState:
        async with self._lock:
            return await self._read_state()

    async def reboot(self) -> GateState:
        """Power-cycle the barrier controller through its power relay; the relay board itself stays up."""
        coil = self.config.power_coil
        if coil is None:
            raise DeviceRefused(f"{self._where}: no power relay configured; the barrier cannot be rebooted")
        device_id = self.config.device_id
        async with self._lock:
            off = await self._request(lambda c: c.write_coil(coil, True, device_id=device_id))
            self._check(off, f"write power coil {coil} on (power off)")
            try:
                await asyncio.sleep(self.config.power_off_s)
            finally:
                # Whatever happens meanwhile, never leave the barrier without power.
                on = await self._request(lambda c: c.write_coil(coil, False, device_id=device_id))
            self._check(on, f"write power coil {coil} off (power on)")
            self._last_command, self._last_limit = None, None
            return await self._read_state()

    async def wait_until_open(self, timeout_s: float) -> GateState:
        last: GateState | None = None
        try:
            async with asyncio.timeout(timeout_s):
                while True:
                    last = await self.state()
                    if last.position is GatePosition.OPEN:
                        return last
                    await asyncio.sleep(self.config.poll_interval_s)
        except TimeoutError:
            pass
        position = last.position if last is not None else GatePosition.UNKNOWN
        raise GateFailedToOpen(f"{self._where}: not open after {timeout_s:g} s (last {position})", last)

    async def identity(self) -> DeviceIdentity:
        """Device identification (0x2B/0x0E) when supported; a board without it still proves alive."""
        async with self._lock:
            device_id = self.config.device_id
            response = await self._request(lambda c: c.read_device_information(device_id=device_id))
            if response.isError() and getattr(response, "exception_code", None) == _ILLEGAL_FUNCTION:
                await self._read_state()
                return DeviceIdentity(kind="modbus_relay")
            self._check(response, "read device information")
        info: dict[int, bytes] = getattr(response, "information", {})

        def text(key: int) -> str | None:
            raw = info.get(key)
            return raw.decode("ascii", "replace") if isinstance(raw, bytes) else None

        return DeviceIdentity(kind="modbus_relay", vendor=text(0), model=text(1), firmware=text(2))

    async def aclose(self) -> None:
        self._disconnect()

    async def _pulse(self, coil: int) -> None:
        device_id = self.config.device_id
        on = await self._request(lambda c: c.write_coil(coil, True, device_id=device_id))
        self._check(on, f"write coil {coil} on")
        if self.config.pulse_ms:
            await asyncio.sleep(self.config.pulse_ms / 1000)
        off = await self._request(lambda c: c.write_coil(coil, False, device_id=device_id))
        self._check(off, f"write coil {coil} off")

    async def _read_state(self) -> GateState:
        cfg = self.config
        wanted = [cfg.open_input, cfg.closed_input] + ([cfg.loop_input] if cfg.loop_input is not None else [])
        first = min(wanted)
        count = max(wanted) - first + 1
        response = await self._request(lambda c: c.read_discrete_inputs(first, count=count, device_id=cfg.device_id))
        self._check(response, "read discrete inputs")
        bits = list(response.bits)
        if len(bits) < count:
            raise DeviceProtocolError(f"{self._where}: asked for {count} inputs, got {len(bits)}")
        open_limit, closed_limit = bits[cfg.open_input - first], bits[cfg.closed_input - first]
        loop = bits[cfg.loop_input - first] if cfg.loop_input is not None else None
        position = infer_position(open_limit, closed_limit, self._last_command, self._last_limit)
        if position in (GatePosition.OPEN, GatePosition.CLOSED):
            self._last_limit = position
            self._last_command = None
        return GateState(position=position, loop_occupied=loop)

    def _check(self, response: ModbusPDU, what: str) -> None:
        if response.isError():
            code = getattr(response, "exception_code", None)
            raise DeviceProtocolError(f"{self._where}: {what} answered with Modbus exception {code}")

    async def _request(self, call: Callable[[AsyncModbusTcpClient], Awaitable[_T]]) -> _T:
        try:
            return await self._attempt(call)
        except _ConnectionDropped as err:
            logger.warning("%s: connection dropped (%s), reconnecting once", self._where, err)
        try:
            return await self._attempt(call)
        except _ConnectionDropped as err:
            raise DeviceUnavailable(f"{self._where}: connection dropped again after reconnecting") from err

    async def _attempt(self, call: Callable[[AsyncModbusTcpClient], Awaitable[_T]]) -> _T:
        client, lost = await self._connected()
        request = asyncio.ensure_future(call(client))
        try:
            async with asyncio.timeout(self.config.timeout_s):
                await asyncio.wait((request, lost), return_when=asyncio.FIRST_COMPLETED)
        except TimeoutError as err:
            request.cancel()
            self._disconnect()  # a late answer would confuse the next transaction
            raise DeviceTimeout(f"{self._where}: no answer within {self.config.timeout_s:g} s") from err
        if not request.done():
            request.cancel()
            self._disconnect()
            raise _ConnectionDropped("peer closed the connection")
        try:
            return request.result()
        except (ModbusException, OSError) as err:
            self._disconnect()
            raise _ConnectionDropped(str(err)) from err

    async def _connected(self) -> tuple[AsyncModbusTcpClient, asyncio.Future[None]]:
        lost = self._lost
        if self._client is not None and self._client.connected and lost is not None and not lost.done():
            return self._client, lost
        self._disconnect()
        lost = asyncio.get_running_loop().create_future()

        def on_connect(up: bool) -> None:
            if not up and not lost.done():
                lost.set_result(None)

        # pymodbus' own retry and reconnect are off: this adapter decides when to retry and says so.
        client = AsyncModbusTcpClient(
            self.config.host,
            port=self.config.port,
            timeout=self.config.timeout_s * 2,
            retries=0,
            reconnect_delay=0,
            trace_connect=on_connect,
        )
        try:
            async with asyncio.timeout(self.config.timeout_s):
                connected = await client.connect()
        except TimeoutError as err:
            client.close()
            raise DeviceTimeout(f"{self._where}: connect timed out after {self.config.timeout_s:g} s") from err
        except OSError as err:
            client.close()
            raise DeviceUnavailable(f"{self._where}: cannot connect: {err}") from err
        if not connected:
            client.close()
            raise DeviceUnavailable(f"{self._where}: connection refused")
        self._client, self._lost = client, lost
        return client, lost

    def _disconnect(self) -> None:
        if self._client is not None:
            self._client.close()
        self._client, self._lost = None, None
