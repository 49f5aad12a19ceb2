"""The fake WeChat API served over real HTTP, for wechatpy (which speaks requests, not ASGI)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from fakes.serve import serve_in_thread
from fakes.wechat_api import FakeWeChatAPI
from parking.payments.config import MiniProgramConfig
from parking.payments.miniprogram import MiniProgramClient


@dataclass(frozen=True)
class ServedWeChat:
    fake: FakeWeChatAPI
    url: str

    def config(self, secret: str | None = None) -> MiniProgramConfig:
        return MiniProgramConfig(self.fake.appid, secret or self.fake.secret, self.url)

    def client(self, secret: str | None = None) -> MiniProgramClient:
        return MiniProgramClient(self.config(secret))


@contextmanager
def served_wechat() -> Iterator[ServedWeChat]:
    fake = FakeWeChatAPI()
    with serve_in_thread(fake.app) as url:
        yield ServedWeChat(fake, url)
