"""Alipay channel (python-alipay-sdk): QR precreate, mini-program create, query, close, refund, notify."""

from __future__ import annotations

import asyncio
import io
import logging
import zipfile
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl
from zoneinfo import ZoneInfo

import httpx
from alipay import AliPay
from alipay import AliPayConfig as SdkConfig
from alipay.exceptions import AliPayException, AliPayValidationError

from parking.payments.amounts import check_fen, fen_to_yuan, yuan_to_fen
from parking.payments.callbacks import NonceStore, load_rsa_public_key, verify_alipay_notification
from parking.payments.channels.base import (
    Ack,
    ChannelNotification,
    CreatedPayment,
    NotificationKind,
    PaymentRequest,
    PayScene,
    RefundRequest,
    RefundResult,
    RefundState,
    TradeState,
    TradeStatus,
)
from parking.payments.config import AlipayConfig
from parking.payments.errors import ChannelError, InvalidAmount, MalformedNotification
from parking.payments.state import Event, OrderClosed, PaymentSucceeded

logger = logging.getLogger(__name__)

CHANNEL = "alipay"
_TRADE_STATES = {
    "WAIT_BUYER_PAY": TradeState.NOT_PAID,
    "TRADE_SUCCESS": TradeState.PAID,
    "TRADE_FINISHED": TradeState.PAID,
    "TRADE_CLOSED": TradeState.CLOSED,
}


def _parse_time(value: str, tz: ZoneInfo) -> datetime:
    return datetime.strptime(value, "%Y-%m-%d %H:%M:%S").replace(tzinfo=tz)


class AlipayChannel:
    """PaymentChannel for Alipay openapi (RSA2)."""

    def __init__(
        self,
        config: AlipayConfig,
        nonces: NonceStore,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._config = config
        self._nonces = nonces
        self._clock = clock
        self._tz = ZoneInfo(config.tz)
        self._client = AliPay(
            appid=config.app_id,
            app_notify_url=config.notify_url,
            app_private_key_string=config.app_private_key_pem,
            alipay_public_key_string=config.alipay_public_key_pem,
            sign_type="RSA2",
            config=SdkConfig(timeout=config.timeout_s),
        )
        # python-alipay-sdk only knows the production and sandbox hosts.
        self._client._gateway = config.gateway_url

    @property
    def name(self) -> str:
        return CHANNEL

    async def _call(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> dict[str, Any]:
        """Run a blocking SDK call in a thread; anything but code 10000 becomes a ChannelError."""
        try:
            result = await asyncio.to_thread(fn, *args, **kwargs)
        except AliPayValidationError as exc:
            raise ChannelError(CHANNEL, None, "response signature does not verify") from exc
        except (AliPayException, OSError, ValueError) as exc:
            raise ChannelError(CHANNEL, None, str(exc)) from exc
        if not isinstance(result, dict) or result.get("code") != "10000":
            detail = f"{result.get('sub_code', '')} {result.get('sub_msg', '')}" if isinstance(result, dict) else ""
            logger.warning("alipay %s failed: %s", getattr(fn, "__name__", fn), detail)
            raise ChannelError(CHANNEL, int(result.get("code", 0)) if isinstance(result, dict) else None, detail)
        return result

    async def create_payment(self, request: PaymentRequest) -> CreatedPayment:
        if check_fen(request.amount_fen) == 0:
            raise InvalidAmount("Alipay trades must be at least 0.01 yuan")
        extra: dict[str, Any] = {}
        if request.expires_at is not None:
            extra["time_expire"] = request.expires_at.astimezone(self._tz).strftime("%Y-%m-%d %H:%M:%S")
        if request.attach:
            extra["body"] = request.attach
        amount = fen_to_yuan(request.amount_fen)
        if request.scene is PayScene.ALIPAY_QR:
            data = await self._call(
                self._client.api_alipay_trade_precreate,
                request.description,
                request.out_trade_no,
                amount,
                **extra,
            )
            return CreatedPayment(request.out_trade_no, request.scene, qr_code=str(data["qr_code"]))
        if request.scene is PayScene.ALIPAY_MINI:
            if not request.payer_id:
                raise ValueError("Alipay mini-program trades need the payer's buyer_id")
            data = await self._call(
                self._client.api_alipay_trade_create,
                request.description,
                request.out_trade_no,
                amount,
                buyer_id=request.payer_id,
                **extra,
            )
            # my.tradePay({tradeNO}) in the mini-program.
            return CreatedPayment(request.out_trade_no, request.scene, {"tradeNO": str(data["trade_no"])})
        raise ValueError(f"Alipay cannot create a {request.scene} payment")

    async def query(self, out_trade_no: str) -> TradeStatus:
        try:
            data = await self._call(self._client.api_alipay_trade_query, out_trade_no=out_trade_no)
        except ChannelError as exc:
            # A QR trade nobody scanned yet does not exist at Alipay.
            if "ACQ.TRADE_NOT_EXIST" in exc.detail:
                return TradeStatus(out_trade_no, TradeState.NOT_PAID, 0)
            raise
        paid = data.get("send_pay_date")
        return TradeStatus(
            out_trade_no=out_trade_no,
            state=_TRADE_STATES.get(str(data["trade_status"]), TradeState.PAYING),
            amount_fen=yuan_to_fen(str(data["total_amount"])),
            transaction_id=str(data["trade_no"]),
            paid_at=_parse_time(paid, self._tz) if paid else None,
        )

    async def close(self, out_trade_no: str) -> None:
        await self._call(self._client.api_alipay_trade_close, out_trade_no=out_trade_no)

    async def refund(self, request: RefundRequest) -> RefundResult:
        if request.amount_fen <= 0 or request.amount_fen > request.total_fen:
            raise ValueError("refund must be between 1 fen and the order total")
        data = await self._call(
            self._client.api_alipay_trade_refund,
            fen_to_yuan(request.amount_fen),
            out_trade_no=request.out_trade_no,
            out_request_no=request.out_refund_no,
            refund_reason=request.reason or "refund",
        )
        # Alipay refunds synchronously: code 10000 means the money moved (fund_change N: already moved).
        return RefundResult(request.out_refund_no, str(data["trade_no"]), RefundState.SUCCEEDED, request.amount_fen)

    async def download_trade_bill(self, bill_date: str) -> str:
        """The day's 业务明细 CSV text (GBK inside a zip at the download URL)."""
        data = await self._call(
            self._client.server_api,
            "alipay.data.dataservice.bill.downloadurl.query",
            biz_content={"bill_type": "trade", "bill_date": bill_date},
        )
        try:
            async with httpx.AsyncClient(timeout=self._config.timeout_s) as http:
                response = await http.get(str(data["bill_download_url"]))
            response.raise_for_status()
            with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
                name = next(n for n in archive.namelist() if n.endswith("业务明细.csv"))
                return archive.read(name).decode("gbk")
        except (httpx.HTTPError, zipfile.BadZipFile, StopIteration, UnicodeDecodeError) as exc:
            raise ChannelError(CHANNEL, None, f"bill download failed: {exc or type(exc).__name__}") from exc

    def parse_notification(self, headers: Mapping[str, str], body: bytes, now: datetime) -> ChannelNotification:
        try:
            form = dict(parse_qsl(body.decode("utf-8"), keep_blank_values=True, strict_parsing=True))
        except (UnicodeDecodeError, ValueError) as exc:
            raise MalformedNotification("not a form-encoded Alipay notification") from exc
        verified = verify_alipay_notification(
            form,
            alipay_public_key=load_rsa_public_key(self._config.alipay_public_key_pem),
            app_id=self._config.app_id,
            now=now,
            nonces=self._nonces,
            window=self._config.replay_window,
            tz=self._config.tz,
        )
        try:
            out_trade_no = verified["out_trade_no"]
            amount = yuan_to_fen(verified["total_amount"])
            status = verified["trade_status"]
        except (KeyError, InvalidAmount) as exc:
            raise MalformedNotification(f"missing or bad field: {exc}") from exc
        if verified.get("refund_fee"):
            # Refunds are settled by the synchronous refund answer; this is only a status echo.
            return ChannelNotification(CHANNEL, NotificationKind.REFUND, out_trade_no, amount, None, verified)
        event: Event | None = None
        if status in ("TRADE_SUCCESS", "TRADE_FINISHED"):
            paid_at = _parse_time(verified.get("gmt_payment") or verified["notify_time"], self._tz)
            event = PaymentSucceeded(verified["trade_no"], amount, paid_at)
        elif status == "TRADE_CLOSED":
            event = OrderClosed()
        return ChannelNotification(CHANNEL, NotificationKind.PAYMENT, out_trade_no, amount, event, verified)

    def acknowledgement(self, accepted: bool) -> Ack:
        # Alipay stops retrying only on the exact body "success".
        return Ack(200, b"success" if accepted else b"fail", "text/plain")
