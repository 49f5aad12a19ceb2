"""Gate command round trip on the Modbus barrier simulator: coil pulse written and state read back."""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import statistics
import time

from hardware.gates.modbus_relay import ModbusRelayBarrier, ModbusRelayConfig
from hardware.simulators.modbus_barrier import ModbusBarrierSimulator

logger = logging.getLogger(__name__)


async def _measure(commands: int, warmup: int) -> list[float]:
    async with ModbusBarrierSimulator() as sim:
        # pulse_ms=0: the relay hold time is a wiring choice, not protocol latency, so it is left out.
        config = ModbusRelayConfig(host="127.0.0.1", port=sim.port, pulse_ms=0, timeout_s=1.0)
        barrier = ModbusRelayBarrier(config)
        try:
            for _ in range(warmup):
                await barrier.open()
            samples = []
            for _ in range(commands):
                started = time.perf_counter()
                await barrier.open()
                samples.append((time.perf_counter() - started) * 1000)
        finally:
            await barrier.aclose()
    return samples


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench device")
    parser.add_argument("--commands", type=int, default=2000)
    parser.add_argument("--warmup", type=int, default=100)
    args = parser.parse_args(argv)
    samples = asyncio.run(_measure(args.commands, args.warmup))
    cuts = statistics.quantiles(samples, n=100, method="inclusive")
    print(
        json.dumps(
            {
                "bench": "device",
                "p50_ms": round(cuts[49], 3),
                "p99_ms": round(cuts[98], 3),
                "commands": len(samples),
                "pulse_ms": 0,
            },
            separators=(",", ":"),
        )
    )
