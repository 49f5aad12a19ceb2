"""Config union parsing, adapter building and probe-before-register."""

import pytest
from pydantic import BaseModel

from hardware.base import DeviceIdentity, ManualClock
from hardware.errors import DeviceUnavailable, InvalidDeviceConfig
from hardware.gates.camera_io import CameraIoBarrier, CameraIoConfig, CommandMailbox
from hardware.gates.modbus_relay import ModbusRelayBarrier, ModbusRelayConfig
from hardware.health.heartbeat import HeartbeatConfig, HeartbeatProbe, HeartbeatTracker
from hardware.health.snmp import SnmpConfig, SnmpHealthPoller
from hardware.registry import (
    REGISTRY,
    AdapterDeps,
    build_adapter,
    build_barrier,
    build_health_probe,
    config_json_schema,
    parse_device_config,
    probe_identity,
)
from hardware.simulators.modbus_barrier import ModbusBarrierSimulator
from hardware.simulators.snmp_agent import SnmpAgentSimulator


def test_the_union_is_built_from_every_registered_adapter() -> None:
    # given the registry / when the schema is generated / then every type is a branch of it
    assert sorted(REGISTRY) == [
        "camera_display",
        "camera_io",
        "generic_push",
        "hikvision_isapi",
        "hikvision_push",
        "http_heartbeat",
        "modbus_relay",
        "snmp",
        "vzenith",
    ]
    assert sorted(config_json_schema()["discriminator"]["mapping"]) == sorted(REGISTRY)


def test_each_type_parses_into_its_own_config() -> None:
    # given one document per type / when / then
    assert parse_device_config({"type": "modbus_relay", "host": "10.0.0.5", "pulse_ms": 500}) == ModbusRelayConfig(
        host="10.0.0.5", pulse_ms=500
    )
    assert parse_device_config('{"type": "camera_io", "lane_id": "in-1"}') == CameraIoConfig(lane_id="in-1")
    assert parse_device_config(
        {"type": "snmp", "host": "10.0.0.6", "oids": {"temp": "1.3.6.1.4.1.9.1.0"}}
    ) == SnmpConfig(host="10.0.0.6", oids={"temp": "1.3.6.1.4.1.9.1.0"})
    assert parse_device_config(b'{"type": "http_heartbeat", "serial": "VZ-1"}') == HeartbeatConfig(serial="VZ-1")


def test_an_unknown_type_is_refused_naming_the_known_ones() -> None:
    # given a type nobody registered / when / then
    with pytest.raises(InvalidDeviceConfig, match="does not match any of the expected tags") as caught:
        parse_device_config({"type": "telepathy", "host": "x"})
    assert "'modbus_relay'" in str(caught.value)


@pytest.mark.parametrize(
    ("document", "problem"),
    [
        (
            {"type": "modbus_relay", "host": "h", "port": 70000},
            "modbus_relay.port: Input should be less than or equal",
        ),
        (
            {"type": "modbus_relay", "host": "h", "slave": 1},
            "modbus_relay.slave: Extra inputs are not permitted",
        ),
        ({"type": "modbus_relay"}, "modbus_relay.host: Field required"),
        ({"type": "snmp", "host": "h", "oids": {"t": "iso.3.6"}}, "snmp.oids.t: String should match pattern"),
        (
            {"type": "camera_io", "lane_id": "in-1", "validity_s": 0},
            "camera_io.validity_s: Input should be greater",
        ),
        ({"host": "h"}, "(root): Unable to extract tag using discriminator 'type'"),
    ],
)
def test_bad_configs_are_refused_with_the_field_and_the_reason(document: dict[str, object], problem: str) -> None:
    # given a bad document / when / then
    with pytest.raises(InvalidDeviceConfig) as caught:
        parse_device_config(document)
    assert len(caught.value.errors) == 1
    assert caught.value.errors[0].startswith(problem)


def test_malformed_json_is_refused() -> None:
    # given broken JSON / when / then
    with pytest.raises(InvalidDeviceConfig, match="Invalid JSON"):
        parse_device_config("{not json")


def test_build_adapter_picks_the_adapter_for_the_type() -> None:
    # given shared collaborators
    deps = AdapterDeps(mailbox=CommandMailbox(ManualClock()), heartbeats=HeartbeatTracker())
    # when / then
    assert isinstance(build_adapter(ModbusRelayConfig(host="127.0.0.1"), deps), ModbusRelayBarrier)
    assert isinstance(build_adapter(CameraIoConfig(lane_id="in-1"), deps), CameraIoBarrier)
    assert isinstance(build_adapter(SnmpConfig(host="127.0.0.1"), deps), SnmpHealthPoller)
    assert isinstance(build_adapter(HeartbeatConfig(serial="VZ-1"), deps), HeartbeatProbe)


def test_build_barrier_refuses_a_health_config() -> None:
    # given an SNMP config / when / then
    with pytest.raises(InvalidDeviceConfig, match="a snmp device is not a barrier"):
        build_barrier(SnmpConfig(host="127.0.0.1"))


async def test_probe_identity_of_a_modbus_barrier(barrier_sim: ModbusBarrierSimulator) -> None:
    # given a reachable barrier / when
    identity = await probe_identity(ModbusRelayConfig(host="127.0.0.1", port=barrier_sim.port, timeout_s=0.3))
    # then
    assert identity == DeviceIdentity(kind="modbus_relay", vendor="ParkCloud", model="SIM-BARRIER", firmware="1.0")


async def test_probe_identity_of_an_snmp_device(snmp_agent: SnmpAgentSimulator) -> None:
    # given a reachable agent / when
    identity = await probe_identity(SnmpConfig(host="127.0.0.1", port=snmp_agent.port, timeout_s=0.2))
    # then
    assert (identity.sys_name, identity.mac) == ("lane-1-camera", "02:00:00:00:00:01")


async def test_probe_identity_of_an_unreachable_device_is_unavailable() -> None:
    # given a barrier address nobody listens on
    async with ModbusBarrierSimulator() as sim:
        port = sim.port
    # when / then
    with pytest.raises(DeviceUnavailable):
        await probe_identity(ModbusRelayConfig(host="127.0.0.1", port=port, timeout_s=0.3))


async def test_probe_identity_of_a_silent_snmp_device_is_unavailable(snmp_agent: SnmpAgentSimulator) -> None:
    # given an agent that stopped answering / when / then
    snmp_agent.silent = True
    with pytest.raises(DeviceUnavailable):
        await probe_identity(SnmpConfig(host="127.0.0.1", port=snmp_agent.port, timeout_s=0.1))


def test_build_health_probe_refuses_a_barrier_config() -> None:
    # given a barrier config / when / then
    with pytest.raises(InvalidDeviceConfig, match="a modbus_relay device is not a health probe"):
        build_health_probe(ModbusRelayConfig(host="127.0.0.1"))


def test_build_adapter_refuses_a_model_that_is_not_a_device_config() -> None:
    # given a pydantic model nobody registered / when / then
    with pytest.raises(
        InvalidDeviceConfig,
        match="no adapter for _Stranger; known types: modbus_relay, camera_io, hikvision_isapi, snmp, http_heartbeat",
    ):
        build_adapter(_Stranger(type="modbus_relay"))


class _Stranger(BaseModel):
    type: str
