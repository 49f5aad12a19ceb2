"""Adapter registry: typed configs, the ``DeviceConfig`` union built from them, build and probe helpers."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import (
    TYPE_CHECKING,
    Annotated,
    Any,
    Generic,
    Literal,
    Protocol,
    TypeAlias,
    TypeVar,
    Union,
    runtime_checkable,
)

from pydantic import BaseModel, Field, SecretStr, TypeAdapter, ValidationError
from pysnmp.hlapi.v3arch.asyncio import SnmpEngine

from hardware.base import Barrier, DeviceIdentity, HealthProbe, Identifiable, TransitionCallback
from hardware.cameras.configs import (
    CameraDisplayConfig,
    ConfiguredIdentity,
    GenericPushCameraConfig,
    HikvisionPushCameraConfig,
    VzenithCameraConfig,
)
from hardware.errors import InvalidDeviceConfig
from hardware.gates.camera_io import CameraIoBarrier, CameraIoConfig, CommandMailbox
from hardware.gates.hikvision_isapi import HikvisionIsapiBarrier, HikvisionIsapiConfig
from hardware.gates.modbus_relay import ModbusRelayBarrier, ModbusRelayConfig
from hardware.health.heartbeat import HeartbeatConfig, HeartbeatProbe, HeartbeatTracker
from hardware.health.snmp import SnmpConfig, SnmpHealthPoller

logger = logging.getLogger(__name__)

_C = TypeVar("_C", bound=BaseModel)


@runtime_checkable
class RegisteredBarrier(Barrier, Identifiable, Protocol):
    """A barrier adapter built from a config."""


@runtime_checkable
class RegisteredProbe(HealthProbe, Identifiable, Protocol):
    """A health adapter built from a config."""


Adapter: TypeAlias = RegisteredBarrier | RegisteredProbe

_shared_mailbox = CommandMailbox()
_shared_heartbeats = HeartbeatTracker()


@dataclass(frozen=True, slots=True)
class AdapterDeps:
    """Shared collaborators; process-wide defaults, so the camera reply builder sees the same mailbox."""

    mailbox: CommandMailbox = field(default_factory=lambda: _shared_mailbox)
    heartbeats: HeartbeatTracker = field(default_factory=lambda: _shared_heartbeats)
    on_transition: TransitionCallback | None = None
    name: str | None = None
    snmp_engine: SnmpEngine | None = None  # share one across pollers; the caller closes it


@dataclass(frozen=True, slots=True)
class AdapterSpec(Generic[_C]):
    config: type[_C]
    role: Literal["barrier", "health"]
    build: Callable[[_C, AdapterDeps], Adapter]

    @property
    def type(self) -> str:
        return str(self.config.model_fields["type"].default)


def _snmp(config: SnmpConfig, deps: AdapterDeps) -> Adapter:
    return SnmpHealthPoller(config, name=deps.name, on_transition=deps.on_transition, engine=deps.snmp_engine)


def _heartbeat(config: HeartbeatConfig, deps: AdapterDeps) -> Adapter:
    probe: HeartbeatProbe = deps.heartbeats.probe_for(config)
    return probe


SPECS: tuple[AdapterSpec[Any], ...] = (
    AdapterSpec(ModbusRelayConfig, "barrier", lambda config, _deps: ModbusRelayBarrier(config)),
    AdapterSpec(CameraIoConfig, "barrier", lambda config, deps: CameraIoBarrier(config, deps.mailbox)),
    AdapterSpec(HikvisionIsapiConfig, "barrier", lambda config, _deps: HikvisionIsapiBarrier(config)),
    AdapterSpec(SnmpConfig, "health", _snmp),
    AdapterSpec(HeartbeatConfig, "health", _heartbeat),
    AdapterSpec(VzenithCameraConfig, "health", lambda config, _deps: ConfiguredIdentity(config)),
    AdapterSpec(GenericPushCameraConfig, "health", lambda config, _deps: ConfiguredIdentity(config)),
    AdapterSpec(HikvisionPushCameraConfig, "health", lambda config, _deps: ConfiguredIdentity(config)),
    AdapterSpec(CameraDisplayConfig, "health", lambda config, _deps: ConfiguredIdentity(config)),
)
REGISTRY: Mapping[str, AdapterSpec[Any]] = {spec.type: spec for spec in SPECS}

if TYPE_CHECKING:
    DeviceConfig: TypeAlias = BaseModel
else:
    # Built from the registry so a new adapter only has to be listed in SPECS.
    DeviceConfig = Annotated[Union[tuple(spec.config for spec in SPECS)], Field(discriminator="type")]  # noqa: UP007

_DEVICE_CONFIG: TypeAdapter[DeviceConfig] = TypeAdapter(DeviceConfig)


def parse_device_config(data: Mapping[str, object] | str | bytes) -> DeviceConfig:
    """A dict or JSON document -> the typed config for its ``type``; raises InvalidDeviceConfig."""
    try:
        if isinstance(data, str | bytes):
            return _DEVICE_CONFIG.validate_json(data)
        return _DEVICE_CONFIG.validate_python(data)
    except ValidationError as err:
        problems = tuple(f"{_location(error['loc'])}: {error['msg']}" for error in err.errors())
        raise InvalidDeviceConfig(
            f"invalid device config ({len(problems)} problem(s)): " + "; ".join(problems), problems
        ) from err


def config_document(config: DeviceConfig) -> dict[str, Any]:
    """The config as stored on the device row: JSON, with its secrets (a camera's password) in clear, since the
    executor has to log in with them. ``model_dump`` alone writes a SecretStr as asterisks."""
    document = config.model_dump(mode="json")
    for name, value in config:
        if isinstance(value, SecretStr):
            document[name] = value.get_secret_value()
    return document


def secret_fields(config: DeviceConfig) -> frozenset[str]:
    """The names of the config's secrets (a camera's password): never read back, kept when an edit leaves them out."""
    return frozenset(name for name, value in config if isinstance(value, SecretStr))


def public_config(document: Mapping[str, Any]) -> dict[str, Any]:
    """A stored config without its secrets, for an operator to read and edit; {} for one that no longer parses."""
    try:
        secrets = secret_fields(parse_device_config(dict(document)))
    except InvalidDeviceConfig:
        return {}
    return {name: value for name, value in document.items() if name not in secrets}


def _location(loc: tuple[int | str, ...]) -> str:
    return ".".join(str(part) for part in loc) or "(root)"


def _spec(config: DeviceConfig) -> AdapterSpec[Any]:
    spec = REGISTRY.get(str(getattr(config, "type", "")))
    if spec is None or not isinstance(config, spec.config):
        known = ", ".join(REGISTRY)
        raise InvalidDeviceConfig(f"no adapter for {type(config).__name__}; known types: {known}")
    return spec


def build_adapter(config: DeviceConfig, deps: AdapterDeps | None = None) -> Adapter:
    return _spec(config).build(config, deps or AdapterDeps())


def build_barrier(config: DeviceConfig, deps: AdapterDeps | None = None) -> RegisteredBarrier:
    spec = _spec(config)
    adapter = spec.build(config, deps or AdapterDeps()) if spec.role == "barrier" else None
    if not isinstance(adapter, RegisteredBarrier):
        raise InvalidDeviceConfig(f"a {spec.type} device is not a barrier")
    return adapter


def build_health_probe(config: DeviceConfig, deps: AdapterDeps | None = None) -> RegisteredProbe:
    spec = _spec(config)
    adapter = spec.build(config, deps or AdapterDeps()) if spec.role == "health" else None
    if not isinstance(adapter, RegisteredProbe):
        raise InvalidDeviceConfig(f"a {spec.type} device is not a health probe")
    return adapter


async def probe_identity(config: DeviceConfig, deps: AdapterDeps | None = None) -> DeviceIdentity:
    """Ask the device who it is before it is registered; DeviceUnavailable means store it as "retrying"."""
    adapter = build_adapter(config, deps)
    try:
        return await adapter.identity()
    finally:
        await adapter.aclose()


def config_json_schema() -> dict[str, Any]:
    """JSON schema of DeviceConfig, for forms in the operator UI."""
    return _DEVICE_CONFIG.json_schema()
