"""`make run` without credentials: the fakes started in process give working, signed payment channels."""

from __future__ import annotations

import dataclasses
import stat
from datetime import UTC, datetime
from pathlib import Path

from api.local_fakes import local_fakes
from config.payment_channels import load_channels
from config.settings import Settings
from parking.payments.channels.base import PaymentRequest, PayScene
from parking.payments.ids import new_out_trade_no


async def test_serve_simulate_without_credentials_pays_through_local_fakes(settings: Settings, tmp_path: Path) -> None:
    with local_fakes(settings) as local:
        # the fakes' test credentials are written for the owner only, and driver login points at the fake
        path = tmp_path / "fakes-credentials.json"
        assert local.payment_credentials == path
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert local.wechat_api_url.startswith("http://127.0.0.1:")
        assert local.wechat_appid
        # and both channels create real (signed, verified both ways) payments at the fakes
        channels = load_channels(local.payment_credentials, local.public_url)
        assert channels.wechatpay is not None
        assert channels.alipay is not None
        now = datetime.now(UTC)
        wechat = await channels.wechatpay.create_payment(
            PaymentRequest(new_out_trade_no(now), 600, "停车费", PayScene.NATIVE)
        )
        alipay = await channels.alipay.create_payment(
            PaymentRequest(new_out_trade_no(now), 600, "停车费", PayScene.ALIPAY_QR)
        )
        assert (wechat.qr_code or "").startswith("weixin://wxpay/bizpayurl")
        assert (alipay.qr_code or "").startswith("https://qr.alipay.com/")


def test_real_credentials_start_no_fakes(settings: Settings, tmp_path: Path) -> None:
    real = dataclasses.replace(settings, payment_credentials=tmp_path / "real.json")
    with local_fakes(real) as local:
        assert local is real
    assert not (tmp_path / "fakes-credentials.json").exists()
