"""Cloud gate command round trip: a committed open_gate command claimed, sent to the Modbus simulator, result recorded.

Adds to ``bench device`` (the adapter alone) the two transactions the executor pays for "result recorded once".
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
from datetime import timedelta

from bench.common import bench_lot, percentile, scratch_database
from hardware.simulators.modbus_barrier import ModbusBarrierSimulator
from parking.common.database import Database
from parking.common.db import utcnow
from parking.common.scope import Scope
from parking.devices.executor import execute_command
from parking.devices.models import (
    Device,
    DeviceCommand,
    DeviceCommandKind,
    DeviceCommandStatus,
    DeviceKind,
    DeviceStatus,
)


async def _device(db: Database, port: int) -> Device:
    async with db.transaction(Scope.internal()) as s:
        tenant = await bench_lot(s, "LBENCH", 10)
        config = {"type": "modbus_relay", "host": "127.0.0.1", "port": port, "pulse_ms": 0, "timeout_s": 1.0}
        device = Device(
            **tenant,
            kind=DeviceKind.CONTROLLER,
            name="gate",
            serial="bench-gate",
            config=config,
            status=DeviceStatus.ONLINE,
        )
        s.add(device)
        await s.flush()
        return device


async def _command(db: Database, device: Device) -> int:
    now = utcnow()
    async with db.transaction(Scope.internal()) as s:
        command = DeviceCommand(
            agent_id=device.agent_id,
            customer_id=device.customer_id,
            lot_id=device.lot_id,
            device_id=device.id,
            kind=DeviceCommandKind.OPEN_GATE,
            issued_at=now,
            expires_at=now + timedelta(seconds=30),
        )
        s.add(command)
        await s.flush()
        return command.id


async def _measure(commands: int, warmup: int) -> tuple[list[float], str]:
    db, url = await scratch_database("device_command")
    try:
        # travel_s=0: arm travel is physics, not latency; the adapter still reads the state back until open.
        async with ModbusBarrierSimulator(travel_s=0.0) as sim:
            device = await _device(db, sim.port)
            samples = []
            for i in range(warmup + commands):
                command_id = await _command(db, device)
                started = time.perf_counter()
                status = await execute_command(db, command_id)
                elapsed = (time.perf_counter() - started) * 1000
                if status is not DeviceCommandStatus.DONE:
                    raise SystemExit(f"command {command_id} ended {status}")
                if i >= warmup:
                    samples.append(elapsed)
    finally:
        await db.dispose()
    return samples, url.split("+", 1)[0]


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench device_command")
    parser.add_argument("--commands", type=int, default=500)
    parser.add_argument("--warmup", type=int, default=50)
    args = parser.parse_args(argv)
    samples, database = asyncio.run(_measure(args.commands, args.warmup))
    print(
        json.dumps(
            {
                "bench": "device_command",
                "p50_ms": round(percentile(samples, 50), 3),
                "p99_ms": round(percentile(samples, 99), 3),
                "commands": len(samples),
                "database": database,
            },
            separators=(",", ":"),
        )
    )
