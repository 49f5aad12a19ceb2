"""A Modbus TCP barrier on 127.0.0.1 with physics on an injectable clock and switchable faults."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import Self, cast

from pymodbus.constants import ExcCodes
from pymodbus.pdu import ModbusPDU
from pymodbus.pdu.device import ModbusDeviceIdentification
from pymodbus.server import ModbusTcpServer
from pymodbus.simulator import DataType, SimData, SimDevice

from hardware.base import Clock, GatePosition, ManualClock

logger = logging.getLogger(__name__)

_COIL_WRITES = frozenset({5, 15})
_READ_DISCRETE_INPUTS = 2
_BLOCK_BITS = 32  # coils and discrete inputs 0..31: enough for any relay board we drive


@dataclass(frozen=True, slots=True)
class BarrierLayout:
    """Where the simulated controller wires its relays and inputs (must match the adapter's config)."""

    open_coil: int = 0
    close_coil: int = 1
    open_input: int = 0
    closed_input: int = 1
    loop_input: int = 2
    power_coil: int = 3  # normally closed relay in the controller's power line: on = power cut


@dataclass(slots=True)
class BarrierFaults:
    """Faults a test switches on; ``drop_commands`` counts down once per dropped coil write."""

    drop_commands: int = 0
    never_open: bool = False
    silent: bool = False


class BarrierPhysics:
    """Arm movement: travel takes ``travel_s``; closes after the loop clears; never closes onto a vehicle."""

    def __init__(self, clock: Clock, travel_s: float = 0.9) -> None:
        self._clock = clock
        self.travel_s = travel_s
        self.never_open = False
        self._position = GatePosition.CLOSED
        self._moving_since = 0.0
        self._loop = False
        self.open_commands = 0
        self.powered = True
        self.power_cycles = 0  # times the power came back after a cut: reboots

    @property
    def loop_occupied(self) -> bool:
        return self._loop

    def position(self) -> GatePosition:
        self._advance()
        return self._position

    def set_power(self, powered: bool) -> None:
        if powered and not self.powered:
            self.power_cycles += 1
        self.powered = powered

    def command_open(self) -> None:
        self._advance()
        if not self.powered:
            return  # a controller without power hears nothing
        self.open_commands += 1
        if self._position in (GatePosition.CLOSED, GatePosition.CLOSING):
            self._start(GatePosition.OPENING)

    def command_close(self) -> None:
        self._advance()
        # A real controller ignores a close while its loop sees a vehicle: the arm would hit the car.
        if self._loop or self._position is not GatePosition.OPEN:
            return
        self._start(GatePosition.CLOSING)

    def set_loop(self, occupied: bool) -> None:
        self._advance()
        was = self._loop
        self._loop = occupied
        if occupied and self._position is GatePosition.CLOSING:
            self._start(GatePosition.OPENING)  # safety reversal
        elif was and not occupied and self._position is GatePosition.OPEN:
            self._start(GatePosition.CLOSING)

    def _start(self, position: GatePosition) -> None:
        self._position = position
        self._moving_since = self._clock()

    def _advance(self) -> None:
        if self._position not in (GatePosition.OPENING, GatePosition.CLOSING):
            return
        if self._clock() - self._moving_since < self.travel_s:
            return
        if self._position is GatePosition.OPENING and not self.never_open:
            self._position = GatePosition.OPEN
        elif self._position is GatePosition.CLOSING:
            self._position = GatePosition.CLOSED


class ModbusBarrierSimulator:
    """``async with ModbusBarrierSimulator() as sim:`` serves on 127.0.0.1:``sim.port`` inside the block."""

    def __init__(
        self,
        *,
        port: int = 0,
        device_id: int = 1,
        clock: Clock | None = None,
        layout: BarrierLayout | None = None,
        travel_s: float = 0.9,
        vendor: str = "ParkCloud",
        product: str = "SIM-BARRIER",
        revision: str = "1.0",
    ) -> None:
        self.clock = clock if clock is not None else ManualClock()
        self.layout = layout if layout is not None else BarrierLayout()
        self.physics = BarrierPhysics(self.clock, travel_s)
        self.faults = BarrierFaults()
        self.device_id = device_id
        self._requested_port = port
        self._coils = [False] * _BLOCK_BITS
        self._identity = ModbusDeviceIdentification(  # type: ignore[no-untyped-call]
            info_name={"VendorName": vendor, "ProductCode": product, "MajorMinorRevision": revision}
        )
        self._server: ModbusTcpServer | None = None
        self.port = 0

    async def start(self) -> None:
        bits = [SimData(0, count=_BLOCK_BITS, values=False, datatype=DataType.BITS)]
        regs = [SimData(0, count=4, values=0, datatype=DataType.REGISTERS)]
        device = SimDevice(id=self.device_id, simdata=(bits, list(bits), regs, list(regs)), action=self._action)
        trace = cast("object", self._trace_pdu)
        self._server = ModbusTcpServer(
            device,
            address=("127.0.0.1", self._requested_port),
            identity=self._identity,
            trace_pdu=trace,  # type: ignore[arg-type]  # returning None swallows a request, which we need
        )
        await self._server.serve_forever(background=True)
        listener = cast("asyncio.Server", self._server.transport)  # a TCP listener's transport is a Server
        self.port = int(listener.sockets[0].getsockname()[1])
        logger.info("modbus barrier simulator listening on 127.0.0.1:%s", self.port)

    async def stop(self) -> None:
        if self._server is not None:
            await self._server.shutdown()  # type: ignore[no-untyped-call]
            self._server = None

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(self, *_exc: object) -> None:
        await self.stop()

    def set_loop(self, occupied: bool) -> None:
        """A vehicle drives onto (True) or off (False) the loop detector."""
        self.physics.set_loop(occupied)

    def drop_connections(self) -> None:
        if self._server is None:
            return
        for connection in list(self._server.active_connections.values()):
            connection.close()

    def _trace_pdu(self, sending: bool, pdu: ModbusPDU) -> ModbusPDU | None:
        if sending:
            return pdu
        if self.faults.silent:
            return None
        if pdu.function_code in _COIL_WRITES and self.faults.drop_commands > 0:
            self.faults.drop_commands -= 1
            logger.info("simulated fault: dropping the connection on a command")
            self.drop_connections()
            return None
        return pdu

    async def _action(
        self,
        function_code: int,
        start_address: int,
        address: int,
        _count: int,
        registers: list[int],
        set_values: list[int] | list[bool] | None,
    ) -> ExcCodes | None:
        self.physics.never_open = self.faults.never_open
        if function_code in _COIL_WRITES and set_values is not None:
            for offset, value in enumerate(set_values):
                self._write_coil(address + offset, bool(value))
        elif function_code == _READ_DISCRETE_INPUTS:
            self._publish_inputs(start_address, registers)
        return None

    def _write_coil(self, address: int, value: bool) -> None:
        rising = value and not self._coils[address]
        self._coils[address] = value
        if address == self.layout.power_coil:
            self.physics.set_power(not value)
            return
        if rising and address == self.layout.open_coil:
            self.physics.command_open()
        elif rising and address == self.layout.close_coil:
            self.physics.command_close()

    def _publish_inputs(self, start_register: int, registers: list[int]) -> None:
        position = self.physics.position()
        inputs = {
            self.layout.open_input: position is GatePosition.OPEN,
            self.layout.closed_input: position is GatePosition.CLOSED,
            self.layout.loop_input: self.physics.loop_occupied,
        }
        # Bit-addressed blocks pack 16 inputs per register, bit 0 first.
        for bit, on in inputs.items():
            index, mask = bit // 16 - start_register, 1 << (bit % 16)
            registers[index] = registers[index] | mask if on else registers[index] & ~mask
