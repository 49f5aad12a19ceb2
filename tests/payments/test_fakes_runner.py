"""`python -m fakes` writes credentials our typed configs load as they are."""

import json

from fakes.__main__ import credentials_document
from fakes.alipay import FakeAlipay
from fakes.wechat_api import FakeWeChatAPI
from fakes.wechatpay import FakeWeChatPay
from parking.payments.callbacks import InMemoryNonceStore
from parking.payments.channels.alipay import AlipayChannel
from parking.payments.channels.wechatpay import WeChatPayChannel
from parking.payments.config import AlipayConfig, MiniProgramConfig, WeChatPayConfig


def test_credentials_document_builds_every_config() -> None:
    # given the fakes and their URLs
    urls = {
        "wechatpay": "http://127.0.0.1:8701",
        "alipay": "http://127.0.0.1:8702",
        "wechat_api": "http://127.0.0.1:8703",
    }
    doc = json.loads(json.dumps(credentials_document(FakeWeChatPay(), FakeAlipay(), FakeWeChatAPI(), urls)))
    # when our configs are built from the JSON
    wechat = WeChatPayConfig(**doc["wechatpay"], notify_url="http://127.0.0.1:8000/notify/wechatpay")
    alipay = AlipayConfig(**doc["alipay"], notify_url="http://127.0.0.1:8000/notify/alipay")
    mini = MiniProgramConfig(**doc["wechat_api"])
    # then the channels accept them and point at the fakes
    WeChatPayChannel(wechat, InMemoryNonceStore())
    AlipayChannel(alipay, InMemoryNonceStore())
    assert wechat.base_url == "http://127.0.0.1:8701"
    assert alipay.gateway_url == "http://127.0.0.1:8702/gateway.do"
    assert mini.base_url == "http://127.0.0.1:8703"
    assert "PRIVATE KEY" not in repr(wechat) + repr(alipay)
