"""Serve the fake WeChat Pay, Alipay, WeChat API and Nuonuo (e-invoices) on 127.0.0.1 for `make run`
(`python -m fakes`)."""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import sys
from pathlib import Path
from typing import Any

import uvicorn

from fakes.alipay import FakeAlipay
from fakes.nuonuo import SERVICES_PATH, FakeNuonuo
from fakes.wechat_api import FakeWeChatAPI
from fakes.wechatpay import FakeWeChatPay

logger = logging.getLogger(__name__)


def credentials_document(
    wechatpay: FakeWeChatPay,
    alipay: FakeAlipay,
    wechat_api: FakeWeChatAPI,
    urls: dict[str, str],
    nuonuo: FakeNuonuo | None = None,
) -> dict[str, dict[str, Any]]:
    """Keys are WeChatPayConfig / AlipayConfig / MiniProgramConfig fields; notify_url is ours to add. The Nuonuo
    section (config/invoice_provider.py) names the fake's one seller account."""
    document: dict[str, dict[str, Any]] = {
        "wechatpay": {**wechatpay.credentials().__dict__, "base_url": urls["wechatpay"]},
        "alipay": {**alipay.credentials().__dict__, "gateway_url": f"{urls['alipay']}/gateway.do"},
        "wechat_api": {
            "appid": wechat_api.appid,
            "secret": wechat_api.secret,
            "base_url": urls["wechat_api"],
        },
    }
    if nuonuo is not None:
        document["nuonuo"] = {**nuonuo.credentials(), "base_url": f"{urls['nuonuo']}{SERVICES_PATH}"}
    return document


def write_credentials(path: Path, document: dict[str, dict[str, Any]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    # Test keys only, but still private keys: readable by the owner alone.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as out:
        json.dump(document, out, indent=2)


async def _serve(apps: dict[str, tuple[Any, int]]) -> None:
    servers = [
        uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="info", lifespan="off"))
        for app, port in apps.values()
    ]
    await asyncio.gather(*(server.serve() for server in servers))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m fakes", description=__doc__)
    parser.add_argument("--wechatpay-port", type=int, default=8701)
    parser.add_argument("--alipay-port", type=int, default=8702)
    parser.add_argument("--wechat-api-port", type=int, default=8703)
    parser.add_argument("--nuonuo-port", type=int, default=8704)
    parser.add_argument("--credentials", type=Path, default=Path("var/fakes-credentials.json"))
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO)
    wechatpay, alipay, wechat_api, nuonuo = FakeWeChatPay(), FakeAlipay(), FakeWeChatAPI(), FakeNuonuo()
    ports = {
        "wechatpay": args.wechatpay_port,
        "alipay": args.alipay_port,
        "wechat_api": args.wechat_api_port,
        "nuonuo": args.nuonuo_port,
    }
    urls = {name: f"http://127.0.0.1:{port}" for name, port in ports.items()}
    nuonuo.base_url = urls["nuonuo"]
    document = credentials_document(wechatpay, alipay, wechat_api, urls, nuonuo)
    write_credentials(args.credentials, document)
    logger.info("fakes on %s; credentials in %s", urls, args.credentials)
    apps = {
        "wechatpay": (wechatpay.app, args.wechatpay_port),
        "alipay": (alipay.app, args.alipay_port),
        "wechat_api": (wechat_api.app, args.wechat_api_port),
        "nuonuo": (nuonuo.app, args.nuonuo_port),
    }
    asyncio.run(_serve(apps))


if __name__ == "__main__":
    main(sys.argv[1:])
