"""WeChat Pay frictionless parking (微信支付分停车服务): service check, entry, deduction, query."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any
from urllib.parse import quote
from zoneinfo import ZoneInfo

from wechatpayv3.type import RequestType

from parking.payments import texts
from parking.payments.amounts import check_fen
from parking.payments.callbacks import NonceStore
from parking.payments.channels.base import ChannelNotification, TradeStatus
from parking.payments.channels.wechatpay import parse_wechatpay_notification, trade_status
from parking.payments.channels.wechatpay_client import PlatformKeys, build_client, call
from parking.payments.config import WeChatPayConfig
from parking.plates import PlateColor, normalize_plate

CST = ZoneInfo("Asia/Shanghai")
WECHAT_PLATE_COLORS = {
    PlateColor.BLUE: "BLUE",
    PlateColor.YELLOW: "YELLOW",
    PlateColor.GREEN: "GREEN",
    PlateColor.WHITE: "WHITE",
    PlateColor.BLACK: "BLACK",
    PlateColor.YELLOW_GREEN: "LIMEGREEN",
}


class ServiceState(StrEnum):
    NORMAL = "NORMAL"  # the driver enabled the service: deduct on exit
    PAUSE = "PAUSE"
    OUT_SERVICE = "OUT_SERVICE"


@dataclass(frozen=True)
class ParkingEntry:
    parking_id: str
    out_parking_no: str
    state: str  # NORMAL: deduction allowed on exit; BLOCKED: collect another way
    block_reason: str


def _time(value: datetime) -> str:
    if value.tzinfo is None:
        raise ValueError("parking times must be timezone-aware")
    return value.astimezone(CST).isoformat(timespec="seconds")


class WeChatParkingService:
    def __init__(self, config: WeChatPayConfig, nonces: NonceStore) -> None:
        self._config = config
        self._nonces = nonces
        self._client = build_client(config)
        self._keys = PlatformKeys(config, self._client)

    async def find_service(self, plate: str, color: PlateColor, openid: str) -> ServiceState:
        # WeChat signs the URL as sent; wechatpayv3 signs it unencoded, so encode the plate ourselves.
        _, data = await call(
            self._client.parking_service_find,
            plate_number=quote(normalize_plate(plate), safe=""),
            plate_color=WECHAT_PLATE_COLORS[color],
            openid=openid,
        )
        return ServiceState(data["service_state"])

    async def enter(
        self,
        out_parking_no: str,
        plate: str,
        color: PlateColor,
        entered_at: datetime,
        parking_name: str,
        free_duration_s: int,
    ) -> ParkingEntry:
        """Tell WeChat a car entered; lots without a free period send free_duration 0."""
        if isinstance(free_duration_s, bool) or not isinstance(free_duration_s, int) or free_duration_s < 0:
            raise ValueError(f"free_duration_s must be a non-negative int, got {free_duration_s!r}")
        params: dict[str, Any] = {
            "out_parking_no": out_parking_no,
            "plate_number": normalize_plate(plate),
            "plate_color": WECHAT_PLATE_COLORS[color],
            "notify_url": self._config.notify_url,
            "start_time": _time(entered_at),
            "parking_name": parking_name,
            "free_duration": free_duration_s,
        }
        # wechatpayv3 2.0.4's parking_enter refuses free_duration=0 (falsy check), so the signed core
        # request is used directly with the same path and body.
        _, data = await call(
            self._client._core.request, "/v3/vehicle/parking/parkings", method=RequestType.POST, data=params
        )
        return ParkingEntry(data["id"], data["out_parking_no"], data["state"], data.get("block_reason", ""))

    async def charge(
        self,
        *,
        out_trade_no: str,
        amount_fen: int,
        parking_id: str,
        plate: str,
        color: PlateColor,
        entered_at: datetime,
        left_at: datetime,
        parking_name: str,
        device_id: str,
        description: str = texts.PARKING_FEE,
    ) -> TradeStatus:
        """Ask WeChat to deduct on exit: answered ACCEPTED (PAYING); the outcome comes by notification."""
        if check_fen(amount_fen) == 0:
            raise ValueError("nothing to deduct: amount is 0")
        duration = int((left_at - entered_at).total_seconds())
        if duration <= 0:
            raise ValueError("exit must be after entry")
        _, data = await call(
            self._client.parking_order,
            description=description,
            out_trade_no=out_trade_no,
            total=amount_fen,
            parking_id=parking_id,
            plate_number=normalize_plate(plate),
            plate_color=WECHAT_PLATE_COLORS[color],
            start_time=_time(entered_at),
            end_time=_time(left_at),
            parking_name=parking_name,
            charging_duration=duration,
            device_id=device_id,
        )
        return trade_status(data)

    async def query(self, out_trade_no: str) -> TradeStatus:
        _, data = await call(self._client.parking_order_query, out_trade_no=out_trade_no)
        return trade_status(data)

    def parse_notification(self, headers: Mapping[str, str], body: bytes, now: datetime) -> ChannelNotification:
        """TRANSACTION.SUCCESS/FAIL/PAY_BACK and VEHICLE.ENTRANCE_STATE_CHANGE, verified and decrypted."""
        return parse_wechatpay_notification(self._config, self._keys, self._nonces, headers, body, now)
