"""A lot, our app wired to the fake channels, and the steps of a payment: enter, order, pay, relay the notice."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from sqlalchemy import select

from fakes.recorder import NotificationRecorder, Recorded
from parking.common.database import Database
from parking.common.scope import Scope
from parking.devices.models import GateCommand
from parking.payments.gateway import Channels
from parking.payments.models import PaymentChannel, PaymentOrder
from parking.payments.service import PaymentStart, StayRef, start_payment
from parking.sessions.models import ParkingSession
from parking.tenancy.models import Lane
from tests.lanes.site import Site

OPENID = "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"
PLATE = "京A12345"
WECHAT_NOTIFY = "/payments/notify/wechatpay"
ALIPAY_NOTIFY = "/payments/notify/alipay"


def wall_now() -> datetime:
    # The fakes sign notifications with the wall clock and our endpoint verifies with it: the lot's times
    # in these tests are therefore placed relative to it.
    return datetime.now(UTC)


@dataclass
class Flow:
    site: Site
    db: Database
    channels: Channels
    http: httpx.AsyncClient
    recorder: NotificationRecorder
    wechat_control: httpx.AsyncClient
    alipay_control: httpx.AsyncClient

    async def enter(self, plate: str = PLATE, minutes_ago: int = 70) -> int:
        """A car inside since ``minutes_ago`` (61-89 min: three started half hours, 600 fen)."""
        outcome = await self.site.read("in", plate, wall_now() - timedelta(minutes=minutes_ago))
        assert outcome.session_id is not None
        return outcome.session_id

    async def start(
        self,
        session_id: int,
        channel: PaymentChannel = PaymentChannel.WECHAT_JSAPI,
        *,
        payer_id: str | None = OPENID,
        now: datetime | None = None,
    ) -> PaymentStart:
        return await start_payment(
            self.db,
            self.channels,
            Scope.internal(),
            StayRef(session_id=session_id),
            channel,
            now or wall_now(),
            payer_id=payer_id if channel in (PaymentChannel.WECHAT_JSAPI, PaymentChannel.ALIPAY_MINI) else None,
        )

    async def _deliveries(self, call: Any) -> list[Recorded]:
        before = len(self.recorder.received)
        response = await call
        assert response.status_code == 200, response.text
        return self.recorder.received[before:]

    async def wechat_pay(self, out_trade_no: str, **options: Any) -> list[Recorded]:
        """WeChat makes the payment happen (options: outcome, copies, forge, timestamp_offset_s, amount_fen, hold)."""
        return await self._deliveries(self.wechat_control.post(f"/transactions/{out_trade_no}/pay", json=options))

    async def wechat_request_payment(self, params: dict[str, str]) -> list[Recorded]:
        """The driver's WeChat client runs wx.requestPayment with the params we handed out."""
        return await self._deliveries(self.wechat_control.post("/request-payment", json=params))

    async def alipay_pay(self, out_trade_no: str, **options: Any) -> list[Recorded]:
        return await self._deliveries(self.alipay_control.post(f"/trades/{out_trade_no}/pay", json=options))

    async def relay(self, deliveries: list[Recorded], path: str = WECHAT_NOTIFY) -> list[httpx.Response]:
        """Post each notification to our notify URL byte for byte, headers included."""
        responses = []
        for d in deliveries:
            headers = {k: v for k, v in d.headers.items() if k.lower() not in ("host", "content-length")}
            responses.append(await self.http.post(path, content=d.body, headers=headers))
        return responses

    async def lane_code(self, lane: str = "out") -> str:
        """The token in a lane's printed QR code."""
        async with self.db.session(Scope.internal()) as s:
            code = await s.scalar(select(Lane.qr_token).where(Lane.id == self.site.ids[lane]))
            assert code is not None
            return code

    async def waiting(self, lane: str = "out") -> dict[str, Any] | None:
        """What a driver who scans the exit's code is told (no login): the car held there, if any."""
        response = await self.http.get(f"/api/driver/lanes/{await self.lane_code(lane)}/waiting")
        assert response.status_code == 200, response.text
        waiting: dict[str, Any] | None = response.json()["waiting"]
        return waiting

    async def order(self, out_trade_no: str) -> PaymentOrder:
        async with self.db.session(Scope.internal()) as s:
            row = await s.scalar(select(PaymentOrder).where(PaymentOrder.out_trade_no == out_trade_no))
            assert row is not None
            return row

    async def orders(self, session_id: int) -> list[PaymentOrder]:
        async with self.db.session(Scope.internal()) as s:
            stmt = select(PaymentOrder).where(PaymentOrder.session_id == session_id).order_by(PaymentOrder.id)
            return list(await s.scalars(stmt))

    async def stay(self, session_id: int) -> ParkingSession:
        return await self.site.session(session_id)

    async def queued_opens(self, session_id: int) -> list[GateCommand]:
        """Opens queued for the lane after the car's reading (not the ones carried by a camera reply)."""
        async with self.db.session(Scope.internal()) as s:
            stmt = (
                select(GateCommand)
                .where(GateCommand.session_id == session_id, GateCommand.result != "camera_reply")
                .order_by(GateCommand.id)
            )
            return list(await s.scalars(stmt))
