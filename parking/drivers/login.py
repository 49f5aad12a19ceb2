"""Signing in with WeChat (wx.login): a one-time code exchanged for the user's openid.

The exchange itself is WeChat's (``parking.payments.miniprogram`` through wechatpy); the API installs it in
``Database.services`` under ``WECHAT_LOGIN`` so that GraphQL (operatorWechatLogin) and the drivers' REST login
share one client. A refused code (forged, used, expired) is INVALID_CREDENTIALS, and nothing is written.
"""

from __future__ import annotations

from typing import Protocol

from parking.common.errors import ErrorCode
from parking.common.services import ServiceKey, Services
from parking.drivers.texts import DriverText, refuse

MAX_CODE = 128


class CodeExchange(Protocol):
    async def openid_of(self, code: str) -> str:
        """The openid of a wx.login() code; raises DomainError INVALID_CREDENTIALS when WeChat refuses it."""
        ...


WECHAT_LOGIN = ServiceKey[CodeExchange]("wechat_login")


async def openid_for_code(services: Services, code: str) -> str:
    if not code.strip() or len(code) > MAX_CODE:
        raise refuse(ErrorCode.INVALID, DriverText.LOGIN_CODE_REFUSED, "code")
    exchange = services.get(WECHAT_LOGIN)
    if exchange is None:
        raise refuse(ErrorCode.INVALID, DriverText.LOGIN_UNAVAILABLE, "code")
    return await exchange.openid_of(code)
