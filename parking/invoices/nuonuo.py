"""The Nuonuo open platform (诺诺开放平台, 诺税通 SaaS) as our e-invoice provider.

Wire format, as documented by Nuonuo's API pages (open.nuonuo.com, "API文档 → 诺税通saas"; the public method pages
nuonuo.OpeMplatform.requestBillingNew 请求开具发票 (V2.0), nuonuo.OpeMplatform.queryInvoiceResult 发票详情查询,
nuonuo.OpeMplatform.saveInvoiceRedConfirm 红字确认单申请 and queryInvoiceRedConfirm 红字确认单查询; the signing in
"开放平台加密参考" / common-api 100007):

- one endpoint, ``POST {base}/open/v1/services?senid=..&nonce=..&timestamp=..&appkey=..`` (production
  https://sdk.nuonuo.com/open/v1/services, sandbox https://sandbox.nuonuocs.cn/open/v1/services);
- headers ``Content-type: application/json``, ``X-Nuonuo-Sign``, ``accessToken``, ``userTax`` (the seller's tax
  number; required of third-party apps) and ``method`` (the API method's name);
- ``senid`` a 32-character random id, ``nonce`` an 8-digit random positive integer, ``timestamp`` in seconds;
- ``X-Nuonuo-Sign`` = Base64(HMAC-SHA1(appSecret, "a=services&l=v1&p=open&k={appKey}&i={senid}&n={nonce}
  &t={timestamp}&f={body}")), the body being the exact JSON sent;
- answers ``{"code": "E0000", "describe": ..., "result": ...}``; any other code is a refusal;
- a 数电 electronic invoice (票种 pc) is reversed by the seller's red-letter confirmation form (红字确认单,
  applySource 0): for a seller's form on a 普票 no confirmation is needed and the tax bureau issues the red
  invoice by itself (fastInvoiceRed, 快捷冲红, is for 数电纸票); the form's ``openStatus`` says when it is out.

The access token comes from the platform's token endpoint (``https://open.nuonuo.com/accessToken``, valid 24 h by
default, or without expiry for self-use apps): we are given it with the credentials, as the platform suggests
for self-use (自用型) apps, and never fetch it here.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import secrets
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import httpx

from parking.invoices.provider import (
    BlueRequest,
    InvoiceProvider,
    ProviderDuplicate,
    ProviderInvoice,
    ProviderRefused,
    ProviderState,
    ProviderUnavailable,
    RedRequest,
    tax_of,
)

logger = logging.getLogger(__name__)

NUONUO_URL = "https://sdk.nuonuo.com/open/v1/services"
OK = "E0000"
# requestBillingNew's answer to an orderNo it has seen (订单编号重复): the request reached it before.
DUPLICATE_ORDER = "E9106"
BILLING = "nuonuo.OpeMplatform.requestBillingNew"
QUERY = "nuonuo.OpeMplatform.queryInvoiceResult"
RED_CONFIRM = "nuonuo.OpeMplatform.saveInvoiceRedConfirm"
RED_CONFIRM_QUERY = "nuonuo.OpeMplatform.queryInvoiceRedConfirm"
SELLER = "0"  # applySource / identity: the seller
# A red-letter form whose application failed (Nuonuo's own 申请失败).
RED_FORM_FAILED = "16"
# queryInvoiceResult's status: 2 开票完成; 20 开票中, 21 开票成功签章中; 22 开票失败, 24 开票成功签章失败.
_STATES = {"2": ProviderState.ISSUED, "20": ProviderState.PENDING, "21": ProviderState.PENDING}
# redReason 冲红原因: 1 销货退回, 2 开票有误, 3 服务中止 (a refunded parking payment), 4 销售折让.
RED_REASON_SERVICE_STOPPED = "3"


@dataclass(frozen=True)
class NuonuoAccount:
    """A self-use app's keys at Nuonuo for one seller (tax number); secrets never appear in repr."""

    app_key: str
    app_secret: str = field(repr=False)
    access_token: str = field(repr=False)


@dataclass(frozen=True)
class NuonuoConfig:
    accounts: Mapping[str, NuonuoAccount]  # by the seller's tax number
    base_url: str = NUONUO_URL
    connect_timeout_s: float = 5.0
    read_timeout_s: float = 10.0


def sign_string(path: str, app_key: str, senid: str, nonce: str, timestamp: str, body: str) -> str:
    """The documented string to sign: ``a``, ``l``, ``p`` are the path's parts (/open/v1/services)."""
    p, l_, a = ["", "", "", *path.strip("/").split("/")][-3:]
    return f"a={a}&l={l_}&p={p}&k={app_key}&i={senid}&n={nonce}&t={timestamp}&f={body}"


def signature(app_secret: str, message: str) -> str:
    digest = hmac.new(app_secret.encode(), message.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def yuan(fen: int) -> str:
    return f"{fen // 100}.{fen % 100:02d}"


def rate(permille: int) -> str:
    """The tax rate as Nuonuo writes it: 0.09, 0.06, 0.01, 0."""
    return f"{permille / 1000:.3f}".rstrip("0").rstrip(".") if permille else "0"


def billing_content(request: BlueRequest) -> dict[str, Any]:
    """requestBillingNew's ``order``: a blue (invoiceType 1) 数电普票 (invoiceLine pc), tax included, mailed."""
    details = []
    for line in request.lines:
        tax = tax_of(line.amount_fen, line.tax_rate_permille)
        details.append(
            {
                "goodsName": line.goods_name,
                "goodsCode": line.goods_code,
                "withTaxFlag": "1",
                "num": "1",
                "price": yuan(line.amount_fen),
                "taxRate": rate(line.tax_rate_permille),
                "taxIncludedAmount": yuan(line.amount_fen),
                "taxExcludedAmount": yuan(line.amount_fen - tax),
                "tax": yuan(tax),
                "invoiceLineProperty": "0",
            }
        )
    s, b = request.seller, request.buyer
    return {
        "order": {
            "buyerName": b.name,
            "buyerTaxNum": b.tax_number,
            "salerTaxNum": s.tax_number,
            "salerTel": s.phone,
            "salerAddress": s.address,
            "salerAccount": s.bank_account,
            "orderNo": request.order_no,
            "invoiceDate": request.issued_at_local,
            "clerk": s.clerk,
            "pushMode": "0",  # 推送方式: -1 不推送, 0 邮箱, 1 手机, 2 邮箱和手机
            "email": b.email,
            "invoiceType": "1",
            "invoiceLine": "pc",
            "invoiceDetail": details,
        }
    }


class NuonuoClient:
    """``InvoiceProvider`` for one seller's account."""

    def __init__(self, config: NuonuoConfig, account: NuonuoAccount, tax_number: str) -> None:
        self.config = config
        self.account = account
        self.tax_number = tax_number

    async def call(self, method: str, content: Mapping[str, Any]) -> Any:
        """Send ``content`` to ``method``; the answer's ``result``. Refusals raise ProviderRefused, anything that
        leaves the outcome unknown (network, timeout, 5xx, an unreadable answer) ProviderUnavailable."""
        body = json.dumps(content, ensure_ascii=False, separators=(",", ":"))
        senid, nonce, timestamp = (
            uuid.uuid4().hex,
            str(10_000_000 + secrets.randbelow(90_000_000)),
            str(int(time.time())),
        )
        path = urlsplit(self.config.base_url).path
        sign = signature(
            self.account.app_secret, sign_string(path, self.account.app_key, senid, nonce, timestamp, body)
        )
        headers = {
            "Content-Type": "application/json",
            "X-Nuonuo-Sign": sign,
            "accessToken": self.account.access_token,
            "userTax": self.tax_number,
            "method": method,
        }
        params = {"senid": senid, "nonce": nonce, "timestamp": timestamp, "appkey": self.account.app_key}
        timeout = httpx.Timeout(self.config.read_timeout_s, connect=self.config.connect_timeout_s)
        try:
            async with httpx.AsyncClient(timeout=timeout) as http:
                reply = await http.post(self.config.base_url, params=params, content=body.encode(), headers=headers)
        except httpx.HTTPError as err:
            raise ProviderUnavailable(f"{method}: {type(err).__name__}") from err
        if reply.status_code >= 500 or reply.status_code == 429:
            raise ProviderUnavailable(f"{method}: HTTP {reply.status_code}")
        try:
            answer = reply.json()
            code, describe = str(answer["code"]), str(answer.get("describe", ""))
        except (ValueError, KeyError, TypeError) as err:
            raise ProviderUnavailable(f"{method}: unreadable answer (HTTP {reply.status_code})") from err
        if code == DUPLICATE_ORDER:
            raise ProviderDuplicate(code, describe)
        if code != OK:
            raise ProviderRefused(code, describe)
        return answer.get("result")

    async def issue(self, request: BlueRequest) -> str:
        result = await self.call(BILLING, billing_content(request))
        return str((result or {}).get("invoiceSerialNum", ""))

    async def reverse(self, request: RedRequest) -> str:
        content = {
            "billId": request.order_no,
            "blueInvoiceLine": "pc",
            "applySource": SELLER,
            "blueElecInvoiceNumber": request.blue_number,
            "billTime": request.requested_at_local,
            "sellerTaxNo": request.seller_tax_number,
            "sellerName": request.seller_name,
            "buyerName": request.buyer_name,
            "redReason": RED_REASON_SERVICE_STOPPED,
        }
        return str(await self.call(RED_CONFIRM, content) or "")

    async def query_reversal(self, seller_tax_number: str, order_no: str) -> ProviderInvoice | None:
        result = await self.call(RED_CONFIRM_QUERY, {"identity": SELLER, "billId": order_no})
        rows = (result or {}).get("list") if isinstance(result, dict) else None
        for row in rows or []:
            if not isinstance(row, dict):
                continue
            if str(row.get("openStatus")) == "1":
                state = ProviderState.ISSUED
            elif str(row.get("billStatus")) == RED_FORM_FAILED:
                state = ProviderState.FAILED
            else:
                state = ProviderState.PENDING
            return ProviderInvoice(
                order_no=order_no,
                serial_no=str(row.get("billUuid", "")),
                state=state,
                number=str(row.get("billNo", "")),
                fail_reason=str(row.get("requestStatus", "")) if state is ProviderState.FAILED else "",
            )
        return None

    async def query(self, seller_tax_number: str, order_no: str) -> ProviderInvoice | None:
        result = await self.call(QUERY, {"orderNos": [order_no], "isOfferInvoiceDetail": "0"})
        for row in result or []:
            if isinstance(row, dict) and row.get("orderNo") == order_no:
                state = _STATES.get(str(row.get("status")), ProviderState.FAILED)
                return ProviderInvoice(
                    order_no=order_no,
                    serial_no=str(row.get("serialNo", "")),
                    state=state,
                    number=str(row.get("invoiceNo", "")),
                    pdf_url=str(row.get("pdfUrl", "")),
                    fail_reason=str(row.get("failCause", "") or row.get("statusMsg", "")),
                )
        return None


class NuonuoProviders:
    """``InvoiceProviders``: one client per configured seller."""

    def __init__(self, config: NuonuoConfig) -> None:
        self.config = config

    def for_seller(self, tax_number: str) -> InvoiceProvider | None:
        account = self.config.accounts.get(tax_number)
        return NuonuoClient(self.config, account, tax_number) if account is not None else None
