"""Fake Nuonuo open platform (诺诺开放平台): the invoice methods our adapter (parking/invoices/nuonuo.py) calls.

It speaks the documented wire format: ``POST /open/v1/services?senid&nonce&timestamp&appkey`` with the method
in the ``method`` header, checks ``X-Nuonuo-Sign`` (HMAC-SHA1 over the documented string), the app key and
``accessToken``, and answers ``{"code", "describe", "result"}``. Blue invoices (requestBillingNew) are issued at
once with a 20-digit 数电票 number and a PDF served at ``/fp/{serial}.pdf``; an order number it has seen is
refused (E9106), as the real one refuses duplicates; queryInvoiceResult answers by order number. A seller's
red-letter confirmation form (saveInvoiceRedConfirm, keyed by its billId) needs an issued blue invoice (by its 数电
number) and, as for a 普票 no confirmation is needed, its red invoice is out at once (queryInvoiceRedConfirm:
``openStatus`` 1).

Control (``/_control``): ``POST /state {"down": bool, "failing_calls": int, "delay_s": float}``: down answers
503 to every call, failing_calls to that many calls (then it is up again); a delay answers an issuing call (blue or
red) only after it has taken effect (an issue whose answer is lost to a client's timeout). ``GET /invoices``:
everything issued, to count.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import secrets
import time
from dataclasses import dataclass, field
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

Json = dict[str, Any]
SERVICES_PATH = "/open/v1/services"
REPLAY_WINDOW_S = 600
ISSUING = ("nuonuo.OpeMplatform.requestBillingNew", "nuonuo.OpeMplatform.saveInvoiceRedConfirm")
_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def _answer(code: str, describe: str, result: Any = None) -> JSONResponse:
    return JSONResponse({"code": code, "describe": describe, "result": result})


@dataclass
class FakeNuonuo:
    # The seller of the demo data set (parking/demo.py DEMO_SELLER_TAX_NUMBER): `make run` issues through it.
    tax_number: str = "91330106MA2B1C3D4E"
    app_key: str = field(default_factory=lambda: secrets.token_hex(4))
    app_secret: str = field(default_factory=lambda: secrets.token_hex(16))
    access_token: str = field(default_factory=lambda: secrets.token_hex(16))
    # Issued invoices by order number; ``requests`` every call that passed the signature check.
    invoices: dict[str, Json] = field(default_factory=dict)
    requests: list[Json] = field(default_factory=list)
    down: bool = False
    # The next this many calls answer 503 as if down, then it is up again (a short outage, for retries).
    failing_calls: int = 0
    delay_s: float = 0.0
    base_url: str = ""  # where the PDFs are served from; set by whoever serves the app
    _numbers: int = 0

    def credentials(self) -> Json:
        return {
            "accounts": {
                self.tax_number: {
                    "app_key": self.app_key,
                    "app_secret": self.app_secret,
                    "access_token": self.access_token,
                }
            }
        }

    def _sign_ok(self, request: Request, body: str) -> bool:
        q = request.query_params
        message = (
            f"a=services&l=v1&p=open&k={q.get('appkey', '')}&i={q.get('senid', '')}&n={q.get('nonce', '')}"
            f"&t={q.get('timestamp', '')}&f={body}"
        )
        expected = base64.b64encode(hmac.new(self.app_secret.encode(), message.encode(), hashlib.sha1).digest())
        return hmac.compare_digest(expected.decode(), request.headers.get("x-nuonuo-sign", ""))

    def _fresh(self, request: Request) -> bool:
        q = request.query_params
        try:
            stamp = int(q.get("timestamp", ""))
        except ValueError:
            return False
        senid, nonce = q.get("senid", ""), q.get("nonce", "")
        return abs(time.time() - stamp) <= REPLAY_WINDOW_S and len(senid) == 32 and nonce.isdigit()

    def _number(self) -> str:
        self._numbers += 1
        return f"26330000000{self._numbers:09d}"

    def _issue(self, order_no: str, kind: str, **extra: Any) -> Json:
        serial = f"26{secrets.token_hex(9)}"
        row = {
            "orderNo": order_no,
            "serialNo": serial,
            "status": "2",
            "statusMsg": "开票完成",
            "invoiceNo": self._number(),
            "pdfUrl": f"{self.base_url}/fp/{serial}.pdf",
            "kind": kind,
            **extra,
        }
        self.invoices[order_no] = row
        return row

    async def services(self, request: Request) -> Response:
        if self.down or self.failing_calls > 0:
            self.failing_calls = max(0, self.failing_calls - 1)
            return JSONResponse({"error": "service unavailable"}, status_code=503)
        body = (await request.body()).decode()
        if request.query_params.get("appkey") != self.app_key or not self._fresh(request):
            return _answer("070301", "appkey、senid、nonce 或 timestamp 不正确")
        if not self._sign_ok(request, body):
            return _answer("070314", "签名验证失败")
        if request.headers.get("accesstoken") != self.access_token:
            return _answer("070302", "accessToken 无效")
        try:
            content = json.loads(body)
        except ValueError:
            return _answer("E9999", "报文不是 JSON")
        method = request.headers.get("method", "")
        self.requests.append({"method": method, "content": content})
        handler = {
            "nuonuo.OpeMplatform.requestBillingNew": self._billing,
            "nuonuo.OpeMplatform.queryInvoiceResult": self._query,
            "nuonuo.OpeMplatform.saveInvoiceRedConfirm": self._red_confirm,
            "nuonuo.OpeMplatform.queryInvoiceRedConfirm": self._red_query,
        }.get(method)
        answer = handler(content) if handler is not None else _answer("070401", f"未知方法 {method}")
        if self.delay_s and method in ISSUING:
            await asyncio.sleep(self.delay_s)  # done already: only the answer is late
        return answer

    def _billing(self, content: Json) -> Response:
        order = content.get("order") if isinstance(content, dict) else None
        if not isinstance(order, dict) or not order.get("orderNo") or not order.get("buyerName"):
            return _answer("E9101", "orderNo 与 buyerName 必填")
        if order.get("salerTaxNum") != self.tax_number:
            return _answer("E9102", "销方税号与授权税号不一致")
        details = order.get("invoiceDetail")
        if not isinstance(details, list) or not details:
            return _answer("E9103", "发票明细不能为空")
        if order.get("pushMode") in ("0", "2") and not order.get("email"):
            return _answer("E9104", "推送方式为邮箱时邮箱必填")
        if order["orderNo"] in self.invoices:
            return _answer("E9106", "订单编号重复")
        total = sum(round(float(d.get("taxIncludedAmount", "0")) * 100) for d in details)
        row = self._issue(order["orderNo"], "blue", buyerName=order["buyerName"], totalFen=total)
        return _answer("E0000", "开票提交成功", {"invoiceSerialNum": row["serialNo"]})

    def _query(self, content: Json) -> Response:
        order_nos = content.get("orderNos") if isinstance(content, dict) else None
        if not isinstance(order_nos, list):
            return _answer("E9101", "orderNos 必填")
        rows = [self._public(self.invoices[n]) for n in order_nos if n in self.invoices]
        return _answer("E0000", "查询成功", rows)

    def _red_confirm(self, content: Json) -> Response:
        """A seller's red-letter form for a whole 数电普票: no confirmation needed, the red invoice is out at once."""
        if not isinstance(content, dict) or content.get("sellerTaxNo") != self.tax_number or not content.get("billId"):
            return _answer("E9101", "sellerTaxNo 与 billId 必填")
        if content.get("applySource") != "0" or content.get("blueInvoiceLine") != "pc" or not content.get("redReason"):
            return _answer("E9101", "applySource、blueInvoiceLine 与 redReason 不正确")
        number = content.get("blueElecInvoiceNumber")
        blue = next((r for r in self.invoices.values() if r["kind"] == "blue" and r["invoiceNo"] == number), None)
        if blue is None or blue["status"] != "2":
            return _answer("E9201", "蓝字发票不存在或未开具成功")
        if content["billId"] in self.invoices:
            return _answer("E9106", "红字确认单申请号重复")
        if blue.get("reversedBy"):
            return _answer("E9202", "该发票已冲红")
        row = self._issue(content["billId"], "red", blueSerialNo=blue["serialNo"], totalFen=-blue["totalFen"])
        row.update(billNo=f"99{self._numbers:016d}", billUuid=f"nuouuid{secrets.token_hex(12)}", openStatus=1)
        blue["reversedBy"] = row["serialNo"]
        return _answer("E0000", "申请成功", content["billId"])

    def _red_query(self, content: Json) -> Response:
        bill_id = content.get("billId") if isinstance(content, dict) else None
        if not isinstance(content, dict) or content.get("identity") not in ("0", "1") or not bill_id:
            return _answer("E9101", "identity 与 billId 必填")
        row = self.invoices.get(bill_id)
        forms = [] if row is None or row["kind"] != "red" else [row]
        keys = ("billNo", "billUuid", "openStatus")
        listed = [{"billId": r["orderNo"], "billStatus": "01", **{k: r[k] for k in keys}} for r in forms]
        return _answer("E0000", "查询成功", {"total": len(listed), "list": listed})

    @staticmethod
    def _public(row: Json) -> Json:
        keys = ("orderNo", "serialNo", "status", "statusMsg", "invoiceNo", "pdfUrl")
        return {k: row[k] for k in keys}

    async def pdf(self, request: Request) -> Response:
        if self.down:
            return Response(status_code=503)
        serial = request.path_params["serial"]
        if not any(r["serialNo"] == serial for r in self.invoices.values()):
            return Response(status_code=404)
        return Response(_PDF, media_type="application/pdf")

    async def control_state(self, request: Request) -> Response:
        body = await request.json()
        self.down = bool(body.get("down", self.down))
        self.failing_calls = int(body.get("failing_calls", self.failing_calls))
        self.delay_s = float(body.get("delay_s", self.delay_s))
        return JSONResponse({"down": self.down, "delay_s": self.delay_s})

    async def control_invoices(self, request: Request) -> Response:
        return JSONResponse(list(self.invoices.values()))

    @property
    def app(self) -> Starlette:
        return Starlette(
            routes=[
                Route(SERVICES_PATH, self.services, methods=["POST"]),
                Route("/fp/{serial}.pdf", self.pdf, methods=["GET"]),
                Route("/_control/state", self.control_state, methods=["POST"]),
                Route("/_control/invoices", self.control_invoices, methods=["GET"]),
            ]
        )
