"""How commands reach a device, as its registration tells it: for a Vzenith camera, by its heartbeat mode."""

from __future__ import annotations

import pytest

from parking.devices.delivery import CommandDelivery, command_delivery


@pytest.mark.parametrize(
    ("config", "protocol", "delivery"),
    [
        ({"type": "vzenith", "heartbeat": "comet"}, "vzenith", CommandDelivery.POLL_REPLY),
        ({"heartbeat": "normal"}, "vzenith", CommandDelivery.PUSH_REPLY),
        ({"heartbeat": "off"}, "vzenith", CommandDelivery.PUSH_REPLY),
        ({}, "vzenith", CommandDelivery.DETECTED),
        ({"heartbeat": "sometimes"}, "vzenith", CommandDelivery.DETECTED),  # a bad value is the default
        ({"type": "modbus_relay", "host": "10.0.0.2"}, "", CommandDelivery.ADAPTER),
        ({"type": "snmp"}, "", CommandDelivery.NONE),
    ],
)
def test_command_delivery(config: dict[str, object], protocol: str, delivery: CommandDelivery) -> None:
    assert command_delivery(config, protocol) is delivery
