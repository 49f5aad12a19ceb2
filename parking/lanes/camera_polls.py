"""Answering a camera's heartbeat the way its heartbeat mode needs: a comet poll is held until a command is due.

Vzenith cameras poll in one of two ways (HTTP推送协议 2.5): a normal heartbeat every 5-30 s whose reply the
camera ignores, or comet polling, where the camera acts on each reply and polls again at once. Answering a comet
poll at once makes an idle camera loop (about 100 polls a second, each a transaction), so it is held until a
command for its lane or for it is queued (``parking.devices.wakeup``) or ``comet_hold_s`` passes. An idle held
poll costs one statement at its end: the camera's row is touched (it is alive) and read back with whether work
is due, which also refreshes the device cache so the next poll authenticates from memory. A normal heartbeat is
answered at once and takes nothing: the camera would not act on it.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from datetime import datetime

from sqlalchemy import exists, select, update

from hardware.cameras import CameraCodec, CameraReply
from hardware.cameras.vzenith import HeartbeatMode, VzenithConfig
from parking.common.database import Database
from parking.common.db import utcnow
from parking.common.scope import Scope
from parking.devices import gates, whitelist
from parking.devices.auth import DeviceIdentity
from parking.devices.cache import DeviceCache, KnownDevice
from parking.devices.models import (
    Device,
    DeviceCommand,
    DeviceCommandKind,
    DeviceCommandStatus,
    DeviceStatus,
    GateCommand,
    GateCommandStatus,
)
from parking.devices.wakeup import Wakeups, device_key, lane_key

logger = logging.getLogger(__name__)

# A poll this soon after our answer is a comet camera's (a normal heartbeat comes every 5 s at the quickest).
COMET_GAP_S = 2.0
# A camera's config (IO output, speaker, heartbeat mode) as read from its row is used this long.
CONFIG_TTL_S = 60.0


class CameraPolls:
    def __init__(
        self,
        db: Database,
        wakeups: Wakeups,
        devices: DeviceCache | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.db = db
        self.wakeups = wakeups
        self.devices = devices
        self._clock = clock
        self._configs: dict[int, tuple[float, VzenithConfig]] = {}
        self._answered: dict[int, float] = {}
        self.statements = 0  # idle end-of-hold looks, for the bench

    async def config(self, device_id: int) -> VzenithConfig:
        """The camera's config, from memory when read in the last minute."""
        hit = self._configs.get(device_id)
        if hit is not None and hit[0] > self._clock():
            return hit[1]
        async with self.db.session(Scope.internal()) as s:
            stored = await s.scalar(select(Device.config).where(Device.id == device_id))
        config = VzenithConfig.of(stored)
        self._configs[device_id] = (self._clock() + CONFIG_TTL_S, config)
        return config

    def mode(self, device_id: int, config: VzenithConfig) -> HeartbeatMode:
        """COMET or NORMAL: as configured, or for ``auto`` as the camera behaves."""
        if config.heartbeat is HeartbeatMode.COMET:
            return HeartbeatMode.COMET
        if config.heartbeat is not HeartbeatMode.AUTO:
            return HeartbeatMode.NORMAL
        last = self._answered.get(device_id)
        quick = last is not None and self._clock() - last < COMET_GAP_S
        return HeartbeatMode.COMET if quick else HeartbeatMode.NORMAL

    async def answer(
        self,
        codec: CameraCodec,
        identity: DeviceIdentity,
        now: datetime,
        *,
        looked_up: bool,
        gone: Callable[[], Awaitable[bool]],
    ) -> CameraReply:
        """The reply to a heartbeat. ``looked_up``: authentication read the database for this poll (so it looks
        for work before holding); ``gone``: whether the camera hung up while its poll was held."""
        if not codec.polls:
            # Other protocols' keep-alives are answered at once with whatever is due.
            return await self._take(identity, now, None)
        config = await self.config(identity.device_id)
        try:
            if self.mode(identity.device_id, config) is not HeartbeatMode.COMET:
                return CameraReply()
            return await self._comet(identity, config, now, looked_up=looked_up, gone=gone)
        finally:
            self._answered[identity.device_id] = self._clock()

    async def _comet(
        self,
        identity: DeviceIdentity,
        config: VzenithConfig,
        now: datetime,
        *,
        looked_up: bool,
        gone: Callable[[], Awaitable[bool]],
    ) -> CameraReply:
        assert identity.lane_id is not None
        keys = [lane_key(identity.lane_id), device_key(identity.device_id)]
        # A poll that authenticated from the database (first contact, or memory expired) looks for work at once.
        if self.wakeups.take_hint(keys) or (looked_up and await self._look(identity, now)):
            return await self._take(identity, now, config)
        if await self.wakeups.wait(keys, config.comet_hold_s):
            # A command taken for a camera that hung up would be recorded as delivered and never act.
            return CameraReply() if await gone() else await self._take(identity, utcnow(), config)
        if await self._look(identity, utcnow()) and not await gone():
            return await self._take(identity, utcnow(), config)
        return CameraReply()

    async def _look(self, identity: DeviceIdentity, now: datetime) -> bool:
        """The one statement of an idle held poll: touch the camera's row (it is alive), read it back for the
        device cache, and see whether a command for its lane or for it is due (one queued in a process that
        could not wake this one)."""
        gate_due = exists().where(
            GateCommand.lane_id == identity.lane_id,
            GateCommand.status == GateCommandStatus.PENDING,
            GateCommand.expires_at > now,
        )
        whitelist_due = exists().where(
            DeviceCommand.device_id == identity.device_id,
            DeviceCommand.kind == DeviceCommandKind.PUSH_WHITELIST,
            DeviceCommand.status == DeviceCommandStatus.PENDING,
        )
        self.statements += 1
        # A bare connection, not a session: this runs once per camera every ``comet_hold_s``, and one internal
        # statement by primary key needs no tenant scope nor unit of work.
        async with self.db.engine.begin() as conn:
            row = (
                await conn.execute(
                    update(Device)
                    .where(Device.id == identity.device_id, Device.status == DeviceStatus.ONLINE)
                    .values(last_seen_at=now)
                    .returning(
                        Device.id,
                        Device.serial,
                        Device.mac,
                        Device.lane_id,
                        Device.lot_id,
                        Device.secret_hash,
                        Device.allowed_ips,
                        Device.config,
                        gate_due.label("gate_due"),
                        whitelist_due.label("whitelist_due"),
                    )
                )
            ).one_or_none()
        if row is None:
            # Offline, deleted or moved: the next poll authenticates from the database again.
            if self.devices is not None:
                self.devices.forget({identity.device_id})
            return False
        self._configs[identity.device_id] = (self._clock() + CONFIG_TTL_S, VzenithConfig.of(row.config))
        if self.devices is not None:
            self.devices.remember(KnownDevice.of(row, now))
        return bool(row.gate_due) or bool(row.whitelist_due)

    async def _take(self, identity: DeviceIdentity, now: datetime, config: VzenithConfig | None) -> CameraReply:
        """A pending remote open and a pending whitelist push go out in the answer, each taken exactly once."""
        assert identity.lane_id is not None
        async with self.db.transaction(Scope.internal()) as tx:
            command = await gates.take_pending(tx, identity.lane_id, now)
            plates = await whitelist.take_for_camera(tx, identity.device_id, now)
        return CameraReply(
            open=command is not None,
            whitelist=plates,
            io_output=config.io_output if config is not None else None,
            io_pulse_ms=config.io_pulse_ms if config is not None else 500,
        )
