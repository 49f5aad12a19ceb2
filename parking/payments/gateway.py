"""The configured channel clients, and which client and scene serve each payment channel of an order."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from parking.common.errors import DomainError, ErrorCode
from parking.payments.channels.base import PaymentChannel as ChannelClient
from parking.payments.channels.base import PayScene
from parking.payments.models import PaymentChannel

if TYPE_CHECKING:
    from parking.payments.channels.wechat_parking import WeChatParkingService

_SCENES: dict[PaymentChannel, tuple[str, PayScene]] = {
    PaymentChannel.WECHAT_JSAPI: ("wechatpay", PayScene.JSAPI),
    PaymentChannel.WECHAT_NATIVE: ("wechatpay", PayScene.NATIVE),
    PaymentChannel.ALIPAY_QR: ("alipay", PayScene.ALIPAY_QR),
    PaymentChannel.ALIPAY_MINI: ("alipay", PayScene.ALIPAY_MINI),
}
# The channels a payer pays online (the others are taken by an operator, or by WeChat's deduction).
ONLINE = frozenset(_SCENES)
# Scenes whose client needs the payer's id (openid / Alipay buyer id).
PAYER_SCENES = frozenset({PayScene.JSAPI, PayScene.ALIPAY_MINI})


@dataclass(frozen=True)
class Channels:
    """The online channels this deployment has credentials for; a missing one is refused, not crashed on."""

    wechatpay: ChannelClient | None = None
    alipay: ChannelClient | None = None
    # WeChat's frictionless parking (same merchant and notify URL as ``wechatpay``).
    wechat_parking: WeChatParkingService | None = None

    def client(self, name: str) -> ChannelClient | None:
        """The client behind a notify URL's channel name (``wechatpay`` or ``alipay``)."""
        return {"wechatpay": self.wechatpay, "alipay": self.alipay}.get(name)

    def for_order(self, channel: PaymentChannel) -> tuple[ChannelClient, PayScene]:
        try:
            name, scene = _SCENES[channel]
        except KeyError:
            raise DomainError(ErrorCode.INVALID, f"{channel.value} is not an online channel", "channel") from None
        client = self.client(name)
        if client is None:
            raise DomainError(ErrorCode.INVALID, f"{name} is not configured for payments", "channel")
        return client, scene
