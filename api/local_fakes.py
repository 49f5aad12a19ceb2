"""Working payment channels for `make run` without real credentials: the local fakes, served in this process.

``parkcloud serve --simulate`` with no ``PARKCLOUD_PAYMENT_CREDENTIALS`` starts the fake WeChat Pay, Alipay, Nuonuo and
WeChat API on free loopback ports (threads of this process), writes their test credentials to
``var/fakes-credentials.json`` (mode 0600) and points the settings at them. Drivers' payments then go through
the real protocol code paths: signed requests, signed and encrypted notifications to our notify URLs.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import replace

from config.settings import Settings
from fakes.__main__ import credentials_document, write_credentials
from fakes.alipay import FakeAlipay
from fakes.nuonuo import FakeNuonuo
from fakes.serve import serve_in_thread
from fakes.wechat_api import FakeWeChatAPI
from fakes.wechatpay import FakeWeChatPay

logger = logging.getLogger(__name__)

CREDENTIALS_FILE = "fakes-credentials.json"


@contextmanager
def local_fakes(settings: Settings) -> Iterator[Settings]:
    """Settings with payment channels and driver login on in-process fakes, for as long as the context lasts.

    Settings that already name real credentials are returned unchanged and nothing is started.
    """
    if settings.payment_credentials is not None:
        yield settings
        return
    wechatpay, alipay, wechat_api, nuonuo = FakeWeChatPay(), FakeAlipay(), FakeWeChatAPI(), FakeNuonuo()
    with ExitStack() as stack:
        urls = {
            "wechatpay": stack.enter_context(serve_in_thread(wechatpay.app)),
            "alipay": stack.enter_context(serve_in_thread(alipay.app)),
            "wechat_api": stack.enter_context(serve_in_thread(wechat_api.app)),
            "nuonuo": stack.enter_context(serve_in_thread(nuonuo.app)),
        }
        nuonuo.base_url = urls["nuonuo"]  # where its invoice PDFs are served
        path = settings.var_dir / CREDENTIALS_FILE
        write_credentials(path, credentials_document(wechatpay, alipay, wechat_api, urls, nuonuo))
        logger.info("payment channels on local fakes %s; test credentials in %s", urls, path)
        # The H5 mini-program logs in and pays through these fakes (api/miniprogram.py's bridge).
        local = replace(settings, payment_credentials=path, dev_fakes=True)
        if not settings.wechat_appid:
            local = replace(
                local,
                wechat_api_url=urls["wechat_api"],
                wechat_appid=wechat_api.appid,
                wechat_secret=wechat_api.secret,
            )
        yield local
