"""WeChat Pay APIv3 channel: JSAPI and Native orders, query, close, refund, notifications."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from wechatpayv3 import WeChatPayType

from parking.payments.amounts import check_fen
from parking.payments.callbacks import NonceStore, verify_wechatpay_notification
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
from parking.payments.channels.wechatpay_client import CHANNEL, PlatformKeys, build_client, call
from parking.payments.config import WeChatPayConfig
from parking.payments.errors import ChannelError, ForgedSignature, MalformedNotification
from parking.payments.state import (
    Event,
    PaymentFailed,
    PaymentSucceeded,
    RefundFailed,
    RefundSucceeded,
)

CST = ZoneInfo("Asia/Shanghai")
_TRADE_STATES = {
    "SUCCESS": TradeState.PAID,
    "REFUND": TradeState.REFUNDED,
    "NOTPAY": TradeState.NOT_PAID,
    "CLOSED": TradeState.CLOSED,
    "REVOKED": TradeState.CLOSED,
    "USERPAYING": TradeState.PAYING,
    "ACCEPTED": TradeState.PAYING,
    "PAYERROR": TradeState.FAILED,
    "PAY_FAIL": TradeState.FAILED,
}
_REFUND_STATES = {
    "SUCCESS": RefundState.SUCCEEDED,
    "PROCESSING": RefundState.PENDING,
    "CLOSED": RefundState.FAILED,
    "ABNORMAL": RefundState.FAILED,
}


def trade_status(data: Mapping[str, Any]) -> TradeStatus:
    """A transaction JSON (query answer or decrypted notification) as a TradeStatus."""
    try:
        state = _TRADE_STATES[str(data["trade_state"])]
        amount = check_fen(data["amount"]["total"])
        success_time = data.get("success_time")
        paid_at = datetime.fromisoformat(success_time) if success_time else None
    except (KeyError, TypeError, ValueError) as exc:
        raise MalformedNotification(f"unexpected transaction: {exc!r}") from exc
    return TradeStatus(
        out_trade_no=str(data["out_trade_no"]),
        state=state,
        amount_fen=amount,
        transaction_id=data.get("transaction_id"),
        paid_at=paid_at,
        advanced_by_channel=data.get("bank_type") == "BPA",
    )


def _payment_event(event_type: str, status: TradeStatus, resource: Mapping[str, Any]) -> Event | None:
    if event_type == "TRANSACTION.FAIL" or status.state is TradeState.FAILED:
        return PaymentFailed(str(resource.get("trade_state_desc") or resource.get("trade_state")))
    if status.state in (TradeState.PAID, TradeState.REFUNDED) and status.transaction_id and status.paid_at:
        return PaymentSucceeded(status.transaction_id, status.amount_fen, status.paid_at, status.advanced_by_channel)
    return None


def parse_wechatpay_notification(
    config: WeChatPayConfig,
    keys: PlatformKeys,
    nonces: NonceStore,
    headers: Mapping[str, str],
    body: bytes,
    now: datetime,
) -> ChannelNotification:
    """Verify, decrypt and map a WeChat Pay notification (payments, refunds, parking) to a state event."""
    serial = next((str(v) for k, v in headers.items() if k.lower() == "wechatpay-serial"), "")
    key = keys.key_for(serial)
    if key is None:
        raise ForgedSignature("signed with an unknown platform key serial")
    note = verify_wechatpay_notification(
        headers,
        body,
        platform_public_key=key,
        platform_public_key_id=serial,
        apiv3_key=config.apiv3_key,
        now=now,
        nonces=nonces,
        window=config.replay_window,
    )
    res = note.resource
    if note.event_type.startswith("TRANSACTION."):
        status = trade_status(res)
        event = _payment_event(note.event_type, status, res)
        return ChannelNotification(
            CHANNEL, NotificationKind.PAYMENT, status.out_trade_no, status.amount_fen, event, res
        )
    if note.event_type.startswith("REFUND."):
        try:
            amount = check_fen(res["amount"]["refund"])
            refund_event: Event = (
                RefundSucceeded(str(res["out_refund_no"]), amount)
                if res["refund_status"] == "SUCCESS"
                else RefundFailed(str(res["out_refund_no"]))
            )
            return ChannelNotification(
                CHANNEL, NotificationKind.REFUND, str(res["out_trade_no"]), amount, refund_event, res
            )
        except (KeyError, TypeError) as exc:
            raise MalformedNotification(f"unexpected refund resource: {exc!r}") from exc
    if note.event_type == "VEHICLE.ENTRANCE_STATE_CHANGE":
        return ChannelNotification(CHANNEL, NotificationKind.ENTRANCE, "", 0, None, res)
    raise MalformedNotification(f"unknown event_type {note.event_type!r}")


def refund_result(data: Mapping[str, Any]) -> RefundResult:
    return RefundResult(
        out_refund_no=str(data["out_refund_no"]),
        refund_id=str(data["refund_id"]),
        state=_REFUND_STATES.get(str(data["status"]), RefundState.PENDING),
        amount_fen=int(data["amount"]["refund"]),
    )


class WeChatPayChannel:
    """PaymentChannel for WeChat Pay (direct merchant, APIv3)."""

    def __init__(
        self,
        config: WeChatPayConfig,
        nonces: NonceStore,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._config = config
        self._nonces = nonces
        self._clock = clock
        self._client = build_client(config)
        self._keys = PlatformKeys(config, self._client)

    @property
    def name(self) -> str:
        return CHANNEL

    async def create_payment(self, request: PaymentRequest) -> CreatedPayment:
        check_fen(request.amount_fen)
        if request.amount_fen == 0:
            raise ValueError("WeChat Pay orders must be at least 1 fen")
        kwargs: dict[str, Any] = {
            "description": request.description,
            "out_trade_no": request.out_trade_no,
            "amount": {"total": request.amount_fen, "currency": "CNY"},
        }
        if request.expires_at is not None:
            kwargs["time_expire"] = request.expires_at.astimezone(CST).isoformat(timespec="seconds")
        if request.attach:
            kwargs["attach"] = request.attach
        if request.scene is PayScene.JSAPI:
            if not request.payer_id:
                raise ValueError("JSAPI payments need the payer's openid")
            _, data = await call(
                self._client.pay, payer={"openid": request.payer_id}, pay_type=WeChatPayType.JSAPI, **kwargs
            )
            return CreatedPayment(request.out_trade_no, request.scene, self.jsapi_params(data["prepay_id"]))
        if request.scene is PayScene.NATIVE:
            _, data = await call(self._client.pay, pay_type=WeChatPayType.NATIVE, **kwargs)
            return CreatedPayment(request.out_trade_no, request.scene, qr_code=data["code_url"])
        raise ValueError(f"WeChat Pay cannot create a {request.scene} payment")

    def jsapi_params(self, prepay_id: str) -> dict[str, str]:
        """wx.requestPayment parameters, paySign = RSA-SHA256 over appId, timeStamp, nonceStr, package."""
        params = {
            "appId": self._config.appid,
            "timeStamp": str(int(self._clock().timestamp())),
            "nonceStr": secrets.token_hex(16),
            "package": f"prepay_id={prepay_id}",
            "signType": "RSA",
        }
        fields = [params["appId"], params["timeStamp"], params["nonceStr"], params["package"]]
        params["paySign"] = self._client.sign(fields)
        return params

    async def query(self, out_trade_no: str) -> TradeStatus:
        _, data = await call(self._client.query, out_trade_no=out_trade_no)
        return trade_status(data)

    async def close(self, out_trade_no: str) -> None:
        await call(self._client.close, out_trade_no=out_trade_no)

    async def refund(self, request: RefundRequest) -> RefundResult:
        if request.amount_fen <= 0 or request.amount_fen > request.total_fen:
            raise ValueError("refund must be between 1 fen and the order total")
        _, data = await call(
            self._client.refund,
            out_refund_no=request.out_refund_no,
            amount={"refund": request.amount_fen, "total": request.total_fen, "currency": "CNY"},
            out_trade_no=request.out_trade_no,
            reason=request.reason or None,
        )
        return refund_result(data)

    async def query_refund(self, out_refund_no: str) -> RefundResult:
        _, data = await call(self._client.query_refund, out_refund_no=out_refund_no)
        return refund_result(data)

    async def download_trade_bill(self, bill_date: str) -> str:
        """The day's trade bill CSV (Beijing date YYYY-MM-DD), downloaded uncompressed."""
        _, info = await call(self._client.trade_bill, bill_date=bill_date, tar_type=None)
        _, content = await call(self._client.download_bill, info["download_url"])
        if not isinstance(content, bytes):
            raise ChannelError(CHANNEL, None, "bill download returned JSON instead of a file")
        # The download itself is unsigned; its hash comes in the signed trade_bill answer, so checking it
        # ties the file to WeChat's signature. WeChat always sends SHA1; an answer without it is not trusted.
        if info.get("hash_type") != "SHA1" or hashlib.sha1(content).hexdigest() != str(info.get("hash_value", "")):
            raise ChannelError(CHANNEL, None, "bill file does not match the signed hash")
        return content.decode("utf-8-sig")

    def parse_notification(self, headers: Mapping[str, str], body: bytes, now: datetime) -> ChannelNotification:
        """Blocking in certificate mode (an unknown serial may download the certificates): run it in a thread."""
        return parse_wechatpay_notification(self._config, self._keys, self._nonces, headers, body, now)

    def acknowledgement(self, accepted: bool) -> Ack:
        # WeChat v3 (支付通知 通知应答): 200/204 is success; a failure is "5XX or 4XX" with {"code","message"},
        # and WeChat retries. A refusal is the sender's fault, so 400: a 5xx stays the sign of our own fault.
        if accepted:
            return Ack(204, b"", "application/json")
        return Ack(400, b'{"code":"FAIL","message":"rejected"}', "application/json")
