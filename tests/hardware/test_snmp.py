"""SNMP health poller against the pysnmp-codec agent simulator on 127.0.0.1."""

from collections.abc import AsyncIterator

import pytest
from pysnmp.hlapi.v3arch.asyncio import (
    CommunityData,
    ContextData,
    ObjectIdentity,
    ObjectType,
    SnmpEngine,
    UdpTransportTarget,
    walk_cmd,
)

from hardware.base import DeviceIdentity, Health, HealthTransition, ManualClock
from hardware.errors import DeviceTimeout, DeviceUnavailable
from hardware.health.snmp import SnmpConfig, SnmpHealthPoller, to_value
from hardware.simulators.snmp_agent import SnmpAgentSimulator


@pytest.fixture
def transitions() -> list[HealthTransition]:
    return []


@pytest.fixture
async def poller(
    snmp_agent: SnmpAgentSimulator, transitions: list[HealthTransition]
) -> AsyncIterator[SnmpHealthPoller]:
    config = SnmpConfig(
        host="127.0.0.1",
        port=snmp_agent.port,
        oids={"temperature_c": "1.3.6.1.4.1.99999.1.1.0"},
        timeout_s=0.2,
    )
    adapter = SnmpHealthPoller(config, name="cam-1", on_transition=transitions.append)
    yield adapter
    await adapter.aclose()


async def test_an_answering_device_is_online_with_uptime_interface_status_and_custom_values(
    snmp_agent: SnmpAgentSimulator, poller: SnmpHealthPoller, transitions: list[HealthTransition]
) -> None:
    # given an agent up for 123.45 s with a temperature OID
    assert isinstance(snmp_agent.clock, ManualClock)
    snmp_agent.clock.advance(123.45)
    snmp_agent.set_value("1.3.6.1.4.1.99999.1.1.0", 41)
    # when
    health = await poller.probe()
    # then
    assert health == Health(online=True, uptime_s=123.45, if_oper_status=1, values={"temperature_c": 41})
    assert transitions == [HealthTransition("cam-1", None, True, health)]


async def test_a_device_that_stops_answering_goes_offline_once_then_back_online(
    snmp_agent: SnmpAgentSimulator, poller: SnmpHealthPoller, transitions: list[HealthTransition]
) -> None:
    # given an online device
    await poller.probe()
    # when it falls silent for two polls, then answers again
    snmp_agent.silent = True
    offline = await poller.probe()
    await poller.probe()
    snmp_agent.silent = False
    back = await poller.probe()
    # then exactly two more transitions were reported
    assert offline.online is False
    assert offline.error == "cam-1: No SNMP response received before timeout"
    assert [(t.previous, t.online) for t in transitions] == [(None, True), (True, False), (False, True)]
    assert back.online is True


async def test_one_missed_poll_is_tolerated_when_configured(snmp_agent: SnmpAgentSimulator) -> None:
    # given a poller that needs two failures in a row
    seen: list[HealthTransition] = []
    config = SnmpConfig(host="127.0.0.1", port=snmp_agent.port, timeout_s=0.1, offline_after_failures=2)
    poller = SnmpHealthPoller(config, name="sw-1", on_transition=seen.append)
    await poller.probe()
    # when one poll is missed, then a second
    snmp_agent.silent = True
    await poller.probe()
    after_one = poller.online
    await poller.probe()
    # then
    assert after_one is True
    assert poller.online is False
    assert [(t.previous, t.online) for t in seen] == [(None, True), (True, False)]
    await poller.aclose()


async def test_an_interface_going_down_is_reported_while_the_device_stays_online(
    snmp_agent: SnmpAgentSimulator, poller: SnmpHealthPoller
) -> None:
    # given the uplink interface down (ifOperStatus 2)
    snmp_agent.set_if_oper_status(1, 2)
    # when
    health = await poller.probe()
    # then
    assert (health.online, health.if_oper_status) == (True, 2)


async def test_async_transition_callbacks_are_awaited(snmp_agent: SnmpAgentSimulator) -> None:
    # given an async alarm hook
    alarms: list[bool] = []

    async def alarm(transition: HealthTransition) -> None:
        alarms.append(transition.online)

    poller = SnmpHealthPoller(SnmpConfig(host="127.0.0.1", port=snmp_agent.port, timeout_s=0.1), on_transition=alarm)
    # when
    await poller.probe()
    snmp_agent.silent = True
    await poller.probe()
    # then
    assert alarms == [True, False]
    await poller.aclose()


async def test_snmp_v1_missing_oid_is_an_answer_not_an_outage(snmp_agent: SnmpAgentSimulator) -> None:
    # given a v1 poll of an OID the agent lacks
    config = SnmpConfig(
        host="127.0.0.1", port=snmp_agent.port, version="v1", oids={"x": "1.3.6.1.4.1.1.1.0"}, timeout_s=0.2
    )
    poller = SnmpHealthPoller(config, name="old-1")
    # when
    health = await poller.probe()
    # then
    assert health == Health(online=True, error="old-1: SNMP error noSuchName at 1.3.6.1.4.1.1.1.0")
    await poller.aclose()


async def test_identity_is_sys_name_description_and_mac(poller: SnmpHealthPoller) -> None:
    # given the simulator defaults / when
    identity = await poller.identity()
    # then
    assert identity == DeviceIdentity(
        kind="snmp",
        sys_name="lane-1-camera",
        description="ParkCloud simulated device",
        mac="02:00:00:00:00:01",
    )


async def test_identity_of_a_silent_device_is_a_timeout(
    snmp_agent: SnmpAgentSimulator, poller: SnmpHealthPoller
) -> None:
    # given a silent agent / when / then
    snmp_agent.silent = True
    with pytest.raises(DeviceTimeout):
        await poller.identity()


async def test_a_wrong_community_gets_no_answer(snmp_agent: SnmpAgentSimulator) -> None:
    # given the wrong community string
    poller = SnmpHealthPoller(SnmpConfig(host="127.0.0.1", port=snmp_agent.port, community="private", timeout_s=0.1))
    # when / then
    with pytest.raises(DeviceUnavailable):
        await poller.identity()
    assert snmp_agent.requests == 1
    await poller.aclose()


async def test_the_simulator_can_be_walked_with_getnext(snmp_agent: SnmpAgentSimulator) -> None:
    # given an agent with the system and interface groups
    engine = SnmpEngine()
    target = await UdpTransportTarget.create(("127.0.0.1", snmp_agent.port), timeout=0.2, retries=0)
    # when the system group (1.3.6.1.2.1.1) is walked
    rows: list[tuple[str, object]] = []
    async for indication, status, _index, var_binds in walk_cmd(
        engine,
        CommunityData("public"),
        target,
        ContextData(),
        ObjectType(ObjectIdentity("1.3.6.1.2.1.1")),
        lexicographicMode=False,
        lookupMib=False,
    ):
        assert indication is None
        assert int(status) == 0
        rows.extend((str(oid), to_value(value)) for oid, value in var_binds)
    engine.close_dispatcher()
    # then
    assert rows == [
        ("1.3.6.1.2.1.1.1.0", "ParkCloud simulated device"),
        ("1.3.6.1.2.1.1.3.0", 0),
        ("1.3.6.1.2.1.1.5.0", "lane-1-camera"),
    ]


async def test_pollers_can_share_one_engine_that_they_leave_open(snmp_agent: SnmpAgentSimulator) -> None:
    # given two pollers on one engine, one of them closed
    engine = SnmpEngine()
    config = SnmpConfig(host="127.0.0.1", port=snmp_agent.port, timeout_s=0.3)
    first = SnmpHealthPoller(config, name="a", engine=engine)
    second = SnmpHealthPoller(config, name="b", engine=engine)
    await first.probe()
    await first.aclose()
    # when the other polls
    health = await second.probe()
    # then the shared engine still works
    assert (health.online, health.if_oper_status) == (True, 1)
    await second.aclose()
    engine.close_dispatcher()
