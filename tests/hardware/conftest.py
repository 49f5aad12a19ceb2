"""Real loopback peers for the hardware tests: a pymodbus barrier server and an SNMP agent on 127.0.0.1."""

from collections.abc import AsyncIterator

import pytest

from hardware.base import ManualClock
from hardware.gates.modbus_relay import ModbusRelayBarrier, ModbusRelayConfig
from hardware.simulators.modbus_barrier import ModbusBarrierSimulator
from hardware.simulators.snmp_agent import SnmpAgentSimulator


@pytest.fixture
async def barrier_sim() -> AsyncIterator[ModbusBarrierSimulator]:
    async with ModbusBarrierSimulator(clock=ManualClock()) as sim:
        yield sim


@pytest.fixture
def barrier_config(barrier_sim: ModbusBarrierSimulator) -> ModbusRelayConfig:
    return ModbusRelayConfig(host="127.0.0.1", port=barrier_sim.port, pulse_ms=0, timeout_s=0.3)


@pytest.fixture
async def barrier(barrier_config: ModbusRelayConfig) -> AsyncIterator[ModbusRelayBarrier]:
    adapter = ModbusRelayBarrier(barrier_config)
    yield adapter
    await adapter.aclose()


@pytest.fixture
async def snmp_agent() -> AsyncIterator[SnmpAgentSimulator]:
    async with SnmpAgentSimulator(sys_name="lane-1-camera", clock=ManualClock(100.0)) as agent:
        yield agent
