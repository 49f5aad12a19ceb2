"""SNMP health poller (pysnmp 7): sysUpTime, ifOperStatus and configured OIDs; reports online/offline."""

from __future__ import annotations

import asyncio
import inspect
import logging
from typing import Annotated, Any, Literal

from pyasn1.type import univ
from pydantic import BaseModel, ConfigDict, Field, StringConstraints
from pysnmp.error import PySnmpError
from pysnmp.hlapi.v3arch.asyncio import (
    CommunityData,
    ContextData,
    ObjectIdentity,
    ObjectType,
    SnmpEngine,
    UdpTransportTarget,
    get_cmd,
)
from pysnmp.proto import rfc1902, rfc1905

from hardware.base import DeviceIdentity, DeviceValue, Health, HealthTransition, TransitionCallback
from hardware.errors import DeviceProtocolError, DeviceTimeout, DeviceUnavailable

logger = logging.getLogger(__name__)

# Numeric OIDs: the interface MIB is not bundled with pysnmp 7, and numbers need no MIB compilation anyway.
SYS_DESCR = "1.3.6.1.2.1.1.1.0"
SYS_UPTIME = "1.3.6.1.2.1.1.3.0"
SYS_NAME = "1.3.6.1.2.1.1.5.0"
IF_OPER_STATUS = "1.3.6.1.2.1.2.2.1.8"  # .ifIndex; 1 up, 2 down, ... 7 lowerLayerDown
IF_PHYS_ADDRESS = "1.3.6.1.2.1.2.2.1.6"  # .ifIndex; the MAC

NumericOid = Annotated[str, StringConstraints(pattern=r"^[0-2](\.(0|[1-9][0-9]{0,9})){1,127}$")]
ValueName = Annotated[str, StringConstraints(pattern=r"^[a-zA-Z_][a-zA-Z0-9_]{0,63}$")]

_MISSING = (rfc1905.NoSuchObject, rfc1905.NoSuchInstance, rfc1905.EndOfMibView)


class SnmpConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    type: Literal["snmp"] = "snmp"
    host: str = Field(min_length=1, max_length=253)
    port: int = Field(default=161, ge=1, le=65535)
    community: str = Field(default="public", min_length=1, max_length=64)
    version: Literal["v1", "v2c"] = "v2c"
    if_index: int = Field(default=1, ge=1)
    oids: dict[ValueName, NumericOid] = Field(default_factory=dict, max_length=32)
    timeout_s: float = Field(default=1.0, gt=0, le=30)
    retries: int = Field(default=0, ge=0, le=5)
    offline_after_failures: int = Field(default=1, ge=1, le=20)


def to_value(value: Any) -> DeviceValue:
    """pysnmp/pyasn1 value -> plain Python; 'no such object/instance' -> None."""
    if isinstance(value, _MISSING):
        return None
    if isinstance(value, rfc1902.IpAddress):
        return ".".join(str(octet) for octet in bytes(value))
    if isinstance(value, univ.OctetString):
        raw = bytes(value)
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            return raw
    if isinstance(value, univ.ObjectIdentifier):
        return str(value)
    if isinstance(value, univ.Integer):
        return int(value)
    return str(value)


def format_mac(value: DeviceValue) -> str | None:
    raw = value.encode("latin-1") if isinstance(value, str) else value
    if not isinstance(raw, bytes) or len(raw) != 6:
        return None
    return ":".join(f"{octet:02x}" for octet in raw)


class SnmpHealthPoller:
    """``probe()`` never raises for an unreachable device: it reports offline and fires ``on_transition``."""

    def __init__(
        self,
        config: SnmpConfig,
        *,
        name: str | None = None,
        on_transition: TransitionCallback | None = None,
        engine: SnmpEngine | None = None,
    ) -> None:
        """Pass one shared ``engine`` when polling many devices: building one blocks the loop for ~60 ms."""
        self.config = config
        self.name = name or f"snmp://{config.host}:{config.port}"
        self._on_transition = on_transition
        self._owns_engine = engine is None
        self._engine: SnmpEngine | None = engine
        self._target: UdpTransportTarget | None = None
        self._online: bool | None = None
        self._failures = 0

    @property
    def online(self) -> bool | None:
        return self._online

    async def probe(self) -> Health:
        if_oid = f"{IF_OPER_STATUS}.{self.config.if_index}"
        wanted = {"sys_uptime": SYS_UPTIME, "if_oper_status": if_oid, **self.config.oids}
        try:
            got = await self.get(list(wanted.values()))
        except DeviceUnavailable as err:
            health = Health(online=False, error=str(err))
        except DeviceProtocolError as err:
            health = Health(online=True, error=str(err))  # it answered, so it is alive
        else:
            by_name = {name: got.get(oid) for name, oid in wanted.items()}
            uptime = by_name.pop("sys_uptime")
            oper = by_name.pop("if_oper_status")
            health = Health(
                online=True,
                uptime_s=uptime / 100 if isinstance(uptime, int) else None,
                if_oper_status=oper if isinstance(oper, int) else None,
                values=by_name,
            )
        await self._record(health)
        return health

    async def identity(self) -> DeviceIdentity:
        """Raises DeviceUnavailable (or DeviceTimeout) when the device does not answer."""
        mac_oid = f"{IF_PHYS_ADDRESS}.{self.config.if_index}"
        got = await self.get([SYS_NAME, SYS_DESCR, mac_oid])
        name, descr = got.get(SYS_NAME), got.get(SYS_DESCR)
        return DeviceIdentity(
            kind="snmp",
            sys_name=name if isinstance(name, str) else None,
            description=descr if isinstance(descr, str) else None,
            mac=format_mac(got.get(mac_oid)),
        )

    async def get(self, oids: list[str]) -> dict[str, DeviceValue]:
        """One GET for all ``oids``; missing ones map to None."""
        engine, target = await self._transport()
        cfg = self.config
        auth = CommunityData(cfg.community, mpModel=0 if cfg.version == "v1" else 1)
        objects = [ObjectType(ObjectIdentity(oid)) for oid in oids]
        # pysnmp has its own timeout per try; this outer bound also covers its retries and our own slowness.
        limit = cfg.timeout_s * (cfg.retries + 1) + 0.5
        try:
            async with asyncio.timeout(limit):
                indication, status, index, var_binds = await get_cmd(
                    engine, auth, target, ContextData(), *objects, lookupMib=False
                )
        except TimeoutError as err:
            raise DeviceTimeout(f"{self.name}: no SNMP answer within {limit:g} s") from err
        except OSError as err:
            raise DeviceUnavailable(f"{self.name}: {err}") from err
        if indication:
            text = str(indication)
            if "timeout" in text.lower():
                raise DeviceTimeout(f"{self.name}: {text}")
            raise DeviceUnavailable(f"{self.name}: {text}")
        if int(status):
            culprit = oids[int(index) - 1] if 0 < int(index) <= len(oids) else "?"
            raise DeviceProtocolError(f"{self.name}: SNMP error {status.prettyPrint()} at {culprit}")
        return {str(oid): to_value(value) for oid, value in var_binds}

    async def run(self, interval_s: float) -> None:
        """Poll until cancelled."""
        while True:
            await self.probe()
            await asyncio.sleep(interval_s)

    async def aclose(self) -> None:
        if self._engine is not None and self._owns_engine:
            self._engine.close_dispatcher()
            self._engine = None
        self._target = None

    async def _transport(self) -> tuple[SnmpEngine, UdpTransportTarget]:
        if self._target is None:
            cfg = self.config
            try:
                async with asyncio.timeout(cfg.timeout_s):
                    # create() resolves the host name, so it gets a timeout too.
                    self._target = await UdpTransportTarget.create(
                        (cfg.host, cfg.port), timeout=cfg.timeout_s, retries=cfg.retries
                    )
            except TimeoutError as err:
                raise DeviceTimeout(f"{self.name}: resolving {cfg.host} timed out") from err
            except PySnmpError as err:  # how pysnmp reports a name that does not resolve
                raise DeviceUnavailable(f"{self.name}: cannot resolve {cfg.host}: {err}") from err
        if self._engine is None:
            self._engine = SnmpEngine()
        return self._engine, self._target

    async def _record(self, health: Health) -> None:
        self._failures = 0 if health.online else self._failures + 1
        if not health.online and self._failures < self.config.offline_after_failures and self._online:
            logger.info("%s: missed a poll (%s), not offline yet", self.name, health.error)
            return
        if health.online == self._online:
            return
        previous, self._online = self._online, health.online
        logger.info("%s: %s -> %s", self.name, previous, "online" if health.online else "offline")
        if self._on_transition is not None:
            result = self._on_transition(HealthTransition(self.name, previous, health.online, health))
            if inspect.isawaitable(result):
                await result
