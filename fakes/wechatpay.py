"""Fake WeChat Pay APIv3 (orders, refunds, frictionless parking, bills, signed+encrypted notifications)."""

from __future__ import annotations

import asyncio
import base64
import gzip
import hashlib
import json
import logging
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal
from zoneinfo import ZoneInfo

import httpx
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from fakes.keys import new_rsa_key, nonce, private_pem, public_pem, sign_b64, verify_b64
from fakes.wechatpay_bill import BillLine, render_trade_bill
from fakes.wechatpay_certificates import certificates_answer, new_platform_certificate

logger = logging.getLogger(__name__)

CST = ZoneInfo("Asia/Shanghai")
SIGNATURE_TYPE = "WECHATPAY2-SHA256-RSA2048"
_AUTH = re.compile(r'(\w+)="([^"]*)"')
# WeChat refuses requests whose signature timestamp is more than 5 minutes off.
_REQUEST_SKEW_S = 300
_NOTIFY_TIMEOUT_S = 5.0
Json = dict[str, Any]
# How WeChat signs its answers and notifications for this merchant: with the WeChat Pay public key (serial
# PUB_KEY_ID_…), or, for a merchant still on platform certificates, with the certificate's key (its serial).
SigningMode = Literal["public_key", "certificate"]
# Order states that can no longer be paid, and WeChat's answer when asked to.
_PAID_STATES = ("SUCCESS", "REFUND")
# 商户订单号: 6-32 of digits, letters, _-|*; 商户退款单号: 1-64 of digits, letters, _-|*@ (JSAPI下单, 退款申请).
_OUT_TRADE_NO = re.compile(r"[0-9A-Za-z_\-|*]{6,32}")
_OUT_REFUND_NO = re.compile(r"[0-9A-Za-z_\-|*@]{1,64}")
_DESCRIPTION_MAX = 127


def _iso(dt: datetime) -> str:
    return dt.astimezone(CST).isoformat(timespec="seconds")


@dataclass(frozen=True)
class MerchantCredentials:
    """Everything our WeChat Pay client needs to talk to this fake (public-key mode)."""

    mchid: str
    appid: str
    merchant_serial_no: str
    merchant_private_key_pem: str = field(repr=False)
    apiv3_key: str = field(repr=False)
    platform_public_key_pem: str
    platform_public_key_id: str


@dataclass
class Notification:
    id: str
    url: str
    event_type: str
    headers: dict[str, str]
    body: str
    status: int | None = None


@dataclass
class PayOptions:
    """How the fake makes a payment happen; set through the control API."""

    bank_type: str = "OTHERS"
    copies: int = 1
    hold: bool = False
    delay_s: float = 0.0
    forge: bool = False
    timestamp_offset_s: int = 0
    amount_fen: int | None = None

    @classmethod
    def from_json(cls, data: Json) -> PayOptions:
        known = {k: data[k] for k in cls.__dataclass_fields__ if k in data}
        return cls(**known)


class FakeWeChatPay:
    def __init__(
        self,
        *,
        mchid: str = "1900000109",
        appid: str = "wxd678efh567hg6787",
        notify_client: httpx.AsyncClient | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        mode: SigningMode = "public_key",
    ) -> None:
        self.mode = mode
        self.mchid = mchid
        self.appid = appid
        self.clock = clock
        self._merchant_key = new_rsa_key()
        self._platform_key = new_rsa_key()
        # A well-formed key WeChat does not own: signs the "forged" notifications.
        self._forger_key = new_rsa_key()
        self.merchant_serial_no = secrets.token_hex(20).upper()
        self.platform_public_key_id = "PUB_KEY_ID_" + secrets.token_hex(16).upper()
        self.platform_certificate = new_platform_certificate(mchid, clock())
        self.apiv3_key = secrets.token_urlsafe(24)[:32]
        self._notify_client = notify_client or httpx.AsyncClient(timeout=_NOTIFY_TIMEOUT_S)
        self.orders: dict[str, Json] = {}
        self.refunds: dict[str, Json] = {}
        self.parkings: dict[str, Json] = {}
        self.services: dict[tuple[str, str], Json] = {}
        self.received: list[Json] = []
        self.outbox: list[Notification] = []
        self.delivered: list[Notification] = []
        self.bill_overrides: dict[str, Json] = {}
        self._tasks: set[asyncio.Task[None]] = set()

    # --- credentials and signing -------------------------------------------------------------------------

    def credentials(self) -> MerchantCredentials:
        """What the merchant configures; in certificate mode there is no public key to give (empty fields)."""
        certificate_mode = self.mode == "certificate"
        return MerchantCredentials(
            mchid=self.mchid,
            appid=self.appid,
            merchant_serial_no=self.merchant_serial_no,
            merchant_private_key_pem=private_pem(self._merchant_key),
            apiv3_key=self.apiv3_key,
            platform_public_key_pem="" if certificate_mode else public_pem(self._platform_key),
            platform_public_key_id="" if certificate_mode else self.platform_public_key_id,
        )

    def _signed_headers(self, body: str, *, forge: bool = False, offset_s: int = 0) -> dict[str, str]:
        timestamp = str(int(self.clock().timestamp()) + offset_s)
        nonce_str = nonce()
        if self.mode == "certificate":
            key, serial = self.platform_certificate.key, self.platform_certificate.serial_no
        else:
            key, serial = self._platform_key, self.platform_public_key_id
        if forge:
            key = self._forger_key
        return {
            "Wechatpay-Timestamp": timestamp,
            "Wechatpay-Nonce": nonce_str,
            "Wechatpay-Signature": sign_b64(key, f"{timestamp}\n{nonce_str}\n{body}\n"),
            "Wechatpay-Serial": serial,
            "Wechatpay-Signature-Type": SIGNATURE_TYPE,
            "Request-ID": secrets.token_hex(16),
        }

    def _reply(self, data: Json | None, status: int = 200) -> Response:
        body = "" if data is None else json.dumps(data, ensure_ascii=False)
        headers = self._signed_headers(body)
        if data is None:
            return Response(status_code=status, headers=headers)
        return Response(body, status_code=status, headers=headers, media_type="application/json")

    def _fail(self, status: int, code: str, message: str) -> Response:
        """An error answer, signed like every other answer (the merchant may verify it before trusting it)."""
        return self._reply({"code": code, "message": message}, status)

    async def _authenticate(self, request: Request) -> tuple[str, Response | None]:
        """Check OUR request signature as WeChat does; returns the body text and an error reply if any."""
        body = (await request.body()).decode()
        self.received.append(
            {"method": request.method, "path": request.url.path, "query": request.url.query, "body": body}
        )
        scheme, _, params_text = request.headers.get("Authorization", "").partition(" ")
        params = dict(_AUTH.findall(params_text))
        needed = {"mchid", "nonce_str", "timestamp", "serial_no", "signature"}
        if scheme != SIGNATURE_TYPE or not needed <= set(params):
            return body, self._fail(401, "SIGN_ERROR", "Authorization header missing or malformed")
        if params["mchid"] != self.mchid or params["serial_no"] != self.merchant_serial_no:
            return body, self._fail(401, "SIGN_ERROR", "unknown mchid or merchant serial_no")
        if (
            not params["timestamp"].isdigit()
            or abs(int(params["timestamp"]) - self.clock().timestamp()) > _REQUEST_SKEW_S
        ):
            return body, self._fail(401, "SIGN_ERROR", "timestamp outside the allowed window")
        url = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        message = f"{request.method}\n{url}\n{params['timestamp']}\n{params['nonce_str']}\n{body}\n"
        if not verify_b64(self._merchant_key.public_key(), message, params["signature"]):
            return body, self._fail(401, "SIGN_ERROR", "signature verification failed")
        return body, None

    # --- notifications -----------------------------------------------------------------------------------

    def _encrypt(self, original_type: str, resource: Json) -> Json:
        aes_nonce = nonce(12)
        plaintext = json.dumps(resource, ensure_ascii=False).encode()
        ciphertext = AESGCM(self.apiv3_key.encode()).encrypt(aes_nonce.encode(), plaintext, original_type.encode())
        return {
            "original_type": original_type,
            "algorithm": "AEAD_AES_256_GCM",
            "ciphertext": base64.b64encode(ciphertext).decode(),
            "associated_data": original_type,
            "nonce": aes_nonce,
        }

    async def notify(
        self, url: str, event_type: str, summary: str, original_type: str, resource: Json, opts: PayOptions
    ) -> list[Notification]:
        """Build one signed notification; hold it, deliver it later, or deliver it ``copies`` times now."""
        event_id = "EV-" + secrets.token_hex(10).upper()
        made: list[Notification] = []
        for _ in range(max(opts.copies, 1)):
            body = json.dumps(
                {
                    "id": event_id,
                    "create_time": _iso(self.clock()),
                    "resource_type": "encrypt-resource",
                    "event_type": event_type,
                    "summary": summary,
                    "resource": self._encrypt(original_type, resource),
                },
                ensure_ascii=False,
            )
            # Each delivery is signed anew (own nonce), as WeChat does for retries.
            headers = self._signed_headers(body, forge=opts.forge, offset_s=opts.timestamp_offset_s)
            made.append(Notification(secrets.token_hex(6), url, event_type, headers, body))
        if opts.hold:
            self.outbox.extend(made)
        elif opts.delay_s > 0:
            task = asyncio.create_task(self._deliver_later(made, opts.delay_s))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
        else:
            for n in made:
                await self.deliver(n)
        return made

    async def _deliver_later(self, notifications: list[Notification], delay_s: float) -> None:
        await asyncio.sleep(delay_s)
        for n in notifications:
            await self.deliver(n)

    async def deliver(self, n: Notification) -> Notification:
        headers = {**n.headers, "Content-Type": "application/json"}
        try:
            response = await self._notify_client.post(n.url, content=n.body.encode(), headers=headers)
            status: int | None = response.status_code
        except httpx.HTTPError as exc:
            logger.warning("notification %s to %s failed: %s", n.id, n.url, exc)
            status = None
        done = Notification(n.id, n.url, n.event_type, n.headers, n.body, status)
        self.delivered.append(done)
        return done

    # --- payment outcomes (driven by the control API) ----------------------------------------------------

    def _transaction(self, order: Json) -> Json:
        keys = ("appid", "mchid", "out_trade_no", "transaction_id", "trade_type", "trade_state")
        data: Json = {k: order[k] for k in keys if order.get(k) is not None}
        data["trade_state_desc"] = order.get("trade_state_desc", "")
        data["bank_type"] = order.get("bank_type", "")
        data["attach"] = order.get("attach", "")
        if order.get("success_time"):
            data["success_time"] = order["success_time"]
        data["payer"] = order.get("payer", {})
        total = order["amount"]["total"]
        paid = order.get("payer_total", total if order["trade_state"] in ("SUCCESS", "REFUND") else 0)
        data["amount"] = {"total": total, "payer_total": paid, "currency": "CNY", "payer_currency": "CNY"}
        for key in ("parking_info", "trade_scene", "user_repaid", "description", "create_time"):
            if key in order:
                data[key] = order[key]
        return data

    async def pay(self, out_trade_no: str, outcome: str, opts: PayOptions) -> Json:
        order = self.orders[out_trade_no]
        parking = order.get("trade_type") == "PARKING"
        order.setdefault("transaction_id", "4200" + secrets.token_hex(12)[:24])
        now = _iso(self.clock())
        event = "TRANSACTION.SUCCESS"
        summary = "支付成功"
        if outcome == "fail":
            order.update(trade_state="PAY_FAIL" if parking else "PAYERROR", trade_state_desc="扣款失败")
            event, summary = "TRANSACTION.FAIL", "支付失败"
        elif outcome == "pay_back":
            paid_at = order.get("success_time") or now
            order.update(trade_state="SUCCESS", user_repaid="Y", success_time=paid_at)
            event, summary = "TRANSACTION.PAY_BACK", "用户还款"
        else:
            bank = "BPA" if outcome == "advance" else opts.bank_type
            order.update(trade_state="SUCCESS", bank_type=bank, success_time=now, trade_state_desc="支付成功")
            if parking:
                order["user_repaid"] = "N" if bank == "BPA" else "Y"
        resource = self._transaction(order)
        if opts.amount_fen is not None:
            # A tampered/incorrect amount in an otherwise valid notification (tests refuse it).
            wrong = opts.amount_fen
            resource["amount"] = {**resource["amount"], "total": wrong, "payer_total": wrong}
        made = await self.notify(order["notify_url"], event, summary, "transaction", resource, opts)
        return {"trade_state": order["trade_state"], "notifications": [n.id for n in made]}

    # --- routes: payments ----------------------------------------------------------------------------------

    async def _create(self, request: Request, trade_type: str) -> Response:
        body, denied = await self._authenticate(request)
        if denied:
            return denied
        data = json.loads(body)
        required = ("appid", "mchid", "description", "out_trade_no", "notify_url")
        missing = [k for k in required if not data.get(k)]
        total = data.get("amount", {}).get("total")
        if missing or not isinstance(total, int) or isinstance(total, bool) or total <= 0:
            return self._fail(400, "PARAM_ERROR", f"missing or invalid: {missing or ['amount.total']}")
        if not _OUT_TRADE_NO.fullmatch(str(data["out_trade_no"])):
            return self._fail(400, "PARAM_ERROR", "out_trade_no must be 6-32 of 0-9A-Za-z_-|*")
        if len(str(data["description"])) > _DESCRIPTION_MAX:
            return self._fail(400, "PARAM_ERROR", "description is longer than 127 characters")
        if trade_type == "JSAPI" and not data.get("payer", {}).get("openid"):
            return self._fail(400, "PARAM_ERROR", "payer.openid is required for JSAPI")
        if data["mchid"] != self.mchid or data["appid"] != self.appid:
            return self._fail(400, "APPID_MCHID_NOT_MATCH", "appid and mchid do not match")
        existing = self.orders.get(data["out_trade_no"])
        if existing is not None:
            if existing["trade_state"] in _PAID_STATES:
                return self._fail(400, "ORDERPAID", "该订单已支付")
            if existing["trade_state"] == "CLOSED":
                # A closed out_trade_no is spent: WeChat wants a new order number.
                return self._fail(400, "ORDER_CLOSED", "订单已关闭")
            if existing["amount"]["total"] != total or existing["trade_type"] != trade_type:
                return self._fail(400, "INVALID_REQUEST", "201 商户订单号重复")
            return self._reply(existing["created_reply"])
        prepay_id = "wx" + secrets.token_hex(15)
        reply: Json = (
            {"prepay_id": prepay_id}
            if trade_type == "JSAPI"
            else {"code_url": f"weixin://wxpay/bizpayurl?pr={secrets.token_urlsafe(6)}"}
        )
        self.orders[data["out_trade_no"]] = {
            **data,
            "trade_type": trade_type,
            "trade_state": "NOTPAY",
            "trade_state_desc": "未支付",
            "prepay_id": prepay_id,
            "created_reply": reply,
            "refunded": 0,
        }
        return self._reply(reply)

    async def jsapi(self, request: Request) -> Response:
        return await self._create(request, "JSAPI")

    async def native(self, request: Request) -> Response:
        return await self._create(request, "NATIVE")

    async def query(self, request: Request) -> Response:
        """`GET /v3/pay/transactions/out-trade-no/{no}?mchid=` and `…/id/{transaction_id}?mchid=`."""
        _, denied = await self._authenticate(request)
        if denied:
            return denied
        if request.query_params.get("mchid") != self.mchid:
            return self._fail(400, "PARAM_ERROR", "mchid is required and must be the caller's")
        if "transaction_id" in request.path_params:
            wanted = request.path_params["transaction_id"]
            order = next((o for o in self.orders.values() if o.get("transaction_id") == wanted), None)
        else:
            order = self.orders.get(request.path_params["out_trade_no"])
        if order is None or order.get("trade_type") == "PARKING":
            return self._fail(404, "ORDER_NOT_EXIST", "订单不存在")
        return self._reply(self._transaction(order))

    async def close(self, request: Request) -> Response:
        _, denied = await self._authenticate(request)
        if denied:
            return denied
        body = json.loads(await request.body() or b"{}")
        if body.get("mchid") != self.mchid:
            return self._fail(400, "PARAM_ERROR", "mchid is required and must be the caller's")
        order = self.orders.get(request.path_params["out_trade_no"])
        if order is None:
            return self._fail(404, "ORDER_NOT_EXIST", "订单不存在")
        if order["trade_state"] in _PAID_STATES:
            return self._fail(400, "ORDERPAID", "该订单已支付")
        order.update(trade_state="CLOSED", trade_state_desc="已关闭")
        return self._reply(None, 204)

    # --- routes: refunds -----------------------------------------------------------------------------------

    async def refund(self, request: Request) -> Response:
        body, denied = await self._authenticate(request)
        if denied:
            return denied
        data = json.loads(body)
        wanted = data.get("transaction_id")
        order = self.orders.get(data.get("out_trade_no", "")) or next(
            (o for o in self.orders.values() if wanted and o.get("transaction_id") == wanted), None
        )
        if order is None:
            return self._fail(404, "RESOURCE_NOT_EXISTS", "订单不存在")
        amount = data.get("amount", {})
        asked = amount.get("refund")
        if not data.get("out_refund_no") or not isinstance(asked, int) or isinstance(asked, bool) or asked <= 0:
            return self._fail(400, "PARAM_ERROR", "out_refund_no and amount.refund are required")
        if not _OUT_REFUND_NO.fullmatch(str(data["out_refund_no"])):
            return self._fail(400, "PARAM_ERROR", "out_refund_no must be 1-64 of 0-9A-Za-z_-|*@")
        if amount.get("total") != order["amount"]["total"]:
            return self._fail(400, "PARAM_ERROR", "amount.total does not match the order")
        if order["trade_state"] not in ("SUCCESS", "REFUND"):
            return self._fail(400, "INVALID_REQUEST", "订单未支付")
        existing = self.refunds.get(data["out_refund_no"])
        if existing is not None:
            return self._reply(self._refund_view(existing))
        if asked > order["amount"]["total"] - order["refunded"]:
            return self._fail(400, "INVALID_REQUEST", "申请退款金额超过订单可退金额")
        order["refunded"] += asked
        refund: Json = {
            "refund_id": "5030" + secrets.token_hex(12)[:24],
            "out_refund_no": data["out_refund_no"],
            "transaction_id": order["transaction_id"],
            "out_trade_no": order["out_trade_no"],
            "channel": "ORIGINAL",
            "user_received_account": "支付用户零钱",
            "create_time": _iso(self.clock()),
            "status": "PROCESSING",
            "total": order["amount"]["total"],
            "refund": asked,
            "notify_url": data.get("notify_url") or order["notify_url"],
        }
        self.refunds[data["out_refund_no"]] = refund
        return self._reply(self._refund_view(refund))

    def _refund_view(self, refund: Json) -> Json:
        keys = ("refund_id", "out_refund_no", "transaction_id", "out_trade_no", "channel")
        view: Json = {k: refund[k] for k in keys}
        view.update(
            user_received_account=refund["user_received_account"],
            create_time=refund["create_time"],
            status=refund["status"],
            amount={
                "total": refund["total"],
                "refund": refund["refund"],
                "payer_total": refund["total"],
                "payer_refund": refund["refund"],
                "settlement_refund": refund["refund"],
                "settlement_total": refund["total"],
                "discount_refund": 0,
                "currency": "CNY",
            },
        )
        if "success_time" in refund:
            view["success_time"] = refund["success_time"]
        return view

    async def refund_query(self, request: Request) -> Response:
        _, denied = await self._authenticate(request)
        if denied:
            return denied
        refund = self.refunds.get(request.path_params["out_refund_no"])
        if refund is None:
            return self._fail(404, "RESOURCE_NOT_EXISTS", "退款单不存在")
        return self._reply(self._refund_view(refund))

    async def complete_refund(self, out_refund_no: str, outcome: str, opts: PayOptions) -> Json:
        refund = self.refunds[out_refund_no]
        order = self.orders[refund["out_trade_no"]]
        if outcome == "success":
            refund.update(status="SUCCESS", success_time=_iso(self.clock()))
            order["trade_state"] = "REFUND"
            event, summary = "REFUND.SUCCESS", "退款成功"
        else:
            refund["status"] = "ABNORMAL"
            order["refunded"] -= refund["refund"]
            event, summary = "REFUND.ABNORMAL", "退款异常"
        resource = {
            "mchid": self.mchid,
            "out_trade_no": refund["out_trade_no"],
            "transaction_id": refund["transaction_id"],
            "out_refund_no": out_refund_no,
            "refund_id": refund["refund_id"],
            "refund_status": refund["status"],
            "success_time": refund.get("success_time", ""),
            "user_received_account": refund["user_received_account"],
            "amount": {
                "total": refund["total"],
                "refund": refund["refund"],
                "payer_total": refund["total"],
                "payer_refund": refund["refund"],
            },
        }
        made = await self.notify(refund["notify_url"], event, summary, "refund", resource, opts)
        return {"status": refund["status"], "notifications": [n.id for n in made]}

    # --- routes: frictionless parking (微信支付分停车服务) -------------------------------------------------

    async def service_find(self, request: Request) -> Response:
        _, denied = await self._authenticate(request)
        if denied:
            return denied
        q = request.query_params
        if not all(q.get(k) for k in ("appid", "plate_number", "plate_color", "openid")):
            return self._fail(400, "PARAM_ERROR", "appid, plate_number, plate_color and openid are required")
        service = self.services.get((q["plate_number"], q["plate_color"]))
        if service is None or service["openid"] != q["openid"]:
            state: Json = {"service_state": "OUT_SERVICE"}
        else:
            state = {"service_state": service["service_state"], "service_open_time": service["open_time"]}
        plate = {"plate_number": q["plate_number"], "plate_color": q["plate_color"]}
        return self._reply(plate | {"openid": q["openid"]} | state)

    async def parking_enter(self, request: Request) -> Response:
        body, denied = await self._authenticate(request)
        if denied:
            return denied
        data = json.loads(body)
        required = ["out_parking_no", "plate_number", "plate_color", "notify_url", "start_time"]
        required.append("parking_name")
        missing = [k for k in required if not data.get(k)]
        free = data.get("free_duration")
        if missing or not isinstance(free, int) or free < 0:
            return self._fail(400, "PARAM_ERROR", f"missing or invalid: {missing or ['free_duration']}")
        for existing in self.parkings.values():
            if existing["out_parking_no"] == data["out_parking_no"]:
                return self._reply(self._parking_view(existing))
        service = self.services.get((data["plate_number"], data["plate_color"]))
        blocked = service is None or service["service_state"] != "NORMAL"
        parking = {
            **data,
            "id": secrets.token_hex(10).upper(),
            "state": "BLOCKED" if blocked else "NORMAL",
            "block_reason": "OUT_SERVICE" if blocked else "",
        }
        self.parkings[parking["id"]] = parking
        return self._reply(self._parking_view(parking))

    def _parking_view(self, parking: Json) -> Json:
        keys = ("id", "out_parking_no", "plate_number", "plate_color", "start_time", "parking_name")
        view: Json = {k: parking[k] for k in keys}
        view.update(free_duration=parking["free_duration"], state=parking["state"])
        if parking["block_reason"]:
            view["block_reason"] = parking["block_reason"]
        return view

    async def parking_charge(self, request: Request) -> Response:
        body, denied = await self._authenticate(request)
        if denied:
            return denied
        data = json.loads(body)
        info = data.get("parking_info", {})
        parking = self.parkings.get(info.get("parking_id", ""))
        total = data.get("amount", {}).get("total")
        if parking is None:
            return self._fail(400, "PARAM_ERROR", "unknown parking_id")
        if not data.get("out_trade_no") or not isinstance(total, int) or total <= 0:
            return self._fail(400, "PARAM_ERROR", "out_trade_no and a positive amount.total are required")
        if parking["state"] != "NORMAL":
            return self._fail(403, "NO_AUTH", "车牌未开通服务或入场状态不可用")
        if data["out_trade_no"] in self.orders:
            return self._reply(self._transaction(self.orders[data["out_trade_no"]]))
        order = {
            **data,
            "mchid": self.mchid,
            "trade_type": "PARKING",
            "trade_state": "ACCEPTED",
            "trade_state_desc": "已受理",
            "transaction_id": "4200" + secrets.token_hex(12)[:24],
            "create_time": _iso(self.clock()),
            "payer": {
                "openid": self.services.get((parking["plate_number"], parking["plate_color"]), {}).get("openid", "")
            },
            "refunded": 0,
        }
        self.orders[data["out_trade_no"]] = order
        return self._reply(self._transaction(order))

    async def parking_query(self, request: Request) -> Response:
        _, denied = await self._authenticate(request)
        if denied:
            return denied
        order = self.orders.get(request.path_params["out_trade_no"])
        if order is None or order.get("trade_type") != "PARKING":
            return self._fail(404, "ORDER_NOT_EXIST", "订单不存在")
        return self._reply(self._transaction(order))

    # --- routes: platform certificates --------------------------------------------------------------------

    async def certificates(self, request: Request) -> Response:
        """`GET /v3/certificates`: the platform certificate(s), encrypted under the APIv3 key, signed."""
        _, denied = await self._authenticate(request)
        if denied:
            return denied
        return self._reply(certificates_answer([self.platform_certificate], self.apiv3_key))

    # --- routes: bills -------------------------------------------------------------------------------------

    def bill_lines(self, bill_date: str) -> list[BillLine]:
        """One line per successful payment and per refund on ``bill_date`` (Beijing time), plus overrides."""
        override = self.bill_overrides.get(bill_date, {})
        omit = set(override.get("omit", []))
        amounts: dict[str, int] = override.get("amounts", {})
        lines: list[BillLine] = []
        for order in self.orders.values():
            paid_at = order.get("success_time", "")
            if not paid_at.startswith(bill_date) or order["out_trade_no"] in omit:
                continue
            total = amounts.get(order["out_trade_no"], order["amount"]["total"])
            lines.append(
                BillLine(
                    paid_at, self.appid, self.mchid, order["transaction_id"], order["out_trade_no"],
                    order.get("payer", {}).get("openid", ""), order["trade_type"], "SUCCESS",
                    order.get("bank_type", "OTHERS"), total, 0, "", "", order.get("description", ""),
                )
            )  # fmt: skip
        for refund in self.refunds.values():
            if refund["status"] == "SUCCESS" and refund.get("success_time", "").startswith(bill_date):
                lines.append(
                    BillLine(
                        refund["success_time"], self.appid, self.mchid, refund["transaction_id"],
                        refund["out_trade_no"], "", "JSAPI", "REFUND", "OTHERS", 0, refund["refund"],
                        refund["refund_id"], refund["out_refund_no"], "",
                    )
                )  # fmt: skip
        lines.extend(BillLine(**extra) for extra in override.get("extra", []))
        return lines

    async def trade_bill(self, request: Request) -> Response:
        _, denied = await self._authenticate(request)
        if denied:
            return denied
        bill_date = request.query_params.get("bill_date", "")
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", bill_date):
            return self._fail(400, "PARAM_ERROR", "bill_date must be YYYY-MM-DD")
        content = render_trade_bill(self.bill_lines(bill_date)).encode()
        gz = request.query_params.get("tar_type") == "GZIP"
        token = f"{bill_date}.{'gz' if gz else 'csv'}"
        payload = gzip.compress(content, mtime=0) if gz else content
        return self._reply(
            {
                "hash_type": "SHA1",
                "hash_value": hashlib.sha1(payload).hexdigest(),
                "download_url": f"{request.base_url}v3/billdownload/file?token={token}",
            }
        )

    async def bill_download(self, request: Request) -> Response:
        _, denied = await self._authenticate(request)
        if denied:
            return denied
        bill_date, _, kind = request.query_params.get("token", "").partition(".")
        content = render_trade_bill(self.bill_lines(bill_date)).encode()
        if self.bill_overrides.get(bill_date, {}).get("tamper_download"):
            # A file changed after WeChat signed its hash (a proxy, a truncated transfer): the client must refuse it.
            content += b"`extra\n"
        payload = gzip.compress(content, mtime=0) if kind == "gz" else content
        return Response(payload, media_type="application/octet-stream")

    # --- control API ---------------------------------------------------------------------------------------

    async def control_pay(self, request: Request) -> Response:
        out_trade_no = request.path_params["out_trade_no"]
        if out_trade_no not in self.orders:
            return self._fail(404, "ORDER_NOT_EXIST", out_trade_no)
        data = await request.json() if await request.body() else {}
        if refused := self._unpayable(self.orders[out_trade_no], data.get("outcome", "success")):
            return refused
        return JSONResponse(await self.pay(out_trade_no, data.get("outcome", "success"), PayOptions.from_json(data)))

    async def control_request_payment(self, request: Request) -> Response:
        """What the WeChat client does on wx.requestPayment: check paySign with the merchant key, then pay."""
        data = await request.json()
        message = f"{data['appId']}\n{data['timeStamp']}\n{data['nonceStr']}\n{data['package']}\n"
        if data.get("signType") != "RSA" or not verify_b64(self._merchant_key.public_key(), message, data["paySign"]):
            return self._fail(400, "SIGN_ERROR", "paySign does not verify")
        prepay_id = data["package"].removeprefix("prepay_id=")
        order = next((o for o in self.orders.values() if o.get("prepay_id") == prepay_id), None)
        if order is None or data["appId"] != self.appid:
            return self._fail(400, "INVALID_REQUEST", "unknown prepay_id")
        if refused := self._unpayable(order, "success"):
            return refused
        opts = PayOptions.from_json(data.get("options", {}))
        return JSONResponse(await self.pay(order["out_trade_no"], "success", opts))

    def _unpayable(self, order: Json, outcome: str) -> Response | None:
        """What the WeChat client is told when the order cannot take this payment (it never reaches the payer)."""
        if outcome == "pay_back":
            return None  # the driver repays a failed frictionless deduction
        if order["trade_state"] == "CLOSED":
            return self._fail(400, "ORDER_CLOSED", "订单已关闭")
        if order["trade_state"] in _PAID_STATES:
            return self._fail(400, "ORDERPAID", "该订单已支付")
        return None

    async def control_refund(self, request: Request) -> Response:
        out_refund_no = request.path_params["out_refund_no"]
        if out_refund_no not in self.refunds:
            return self._fail(404, "RESOURCE_NOT_EXISTS", out_refund_no)
        data = await request.json() if await request.body() else {}
        result = await self.complete_refund(out_refund_no, data.get("outcome", "success"), PayOptions.from_json(data))
        return JSONResponse(result)

    async def control_service(self, request: Request) -> Response:
        data = await request.json()
        self.services[(data["plate_number"], data["plate_color"])] = {
            "openid": data["openid"],
            "service_state": data.get("service_state", "NORMAL"),
            "open_time": _iso(self.clock()),
        }
        return JSONResponse({"ok": True})

    async def control_parking_state(self, request: Request) -> Response:
        parking = self.parkings.get(request.path_params["parking_id"])
        if parking is None:
            return self._fail(404, "RESOURCE_NOT_EXISTS", "unknown parking")
        data = await request.json()
        parking.update(state=data["state"], block_reason=data.get("block_reason", ""))
        resource = {
            "sp_mchid": self.mchid,
            "parking_id": parking["id"],
            "out_parking_no": parking["out_parking_no"],
            "plate_number": parking["plate_number"],
            "plate_color": parking["plate_color"],
            "start_time": parking["start_time"],
            "parking_name": parking["parking_name"],
            "free_duration": parking["free_duration"],
            "parking_state": parking["state"],
            "blocked_state_description": parking["block_reason"],
            "state_update_time": _iso(self.clock()),
        }
        made = await self.notify(
            parking["notify_url"], "VEHICLE.ENTRANCE_STATE_CHANGE", "入场状态变更", "parking", resource,
            PayOptions.from_json(data),
        )  # fmt: skip
        return JSONResponse({"notifications": [n.id for n in made]})

    async def control_outbox(self, request: Request) -> Response:
        return JSONResponse([{"id": n.id, "event_type": n.event_type, "url": n.url} for n in self.outbox])

    async def control_deliver(self, request: Request) -> Response:
        """Deliver held notifications in the order given; an id listed twice arrives twice."""
        ids = (await request.json())["ids"]
        held = {n.id: n for n in self.outbox}
        unknown = [i for i in ids if i not in held]
        if unknown:
            return self._fail(404, "RESOURCE_NOT_EXISTS", f"not held: {unknown}")
        results = [await self.deliver(held[i]) for i in ids]
        self.outbox = [n for n in self.outbox if n.id not in set(ids)]
        return JSONResponse([{"id": n.id, "status": n.status} for n in results])

    async def control_deliveries(self, request: Request) -> Response:
        return JSONResponse(
            [
                {"id": n.id, "event_type": n.event_type, "status": n.status} | {"body": n.body, "headers": n.headers}
                for n in self.delivered
            ]
        )

    async def control_received(self, request: Request) -> Response:
        return JSONResponse(self.received)

    async def control_bill(self, request: Request) -> Response:
        self.bill_overrides[request.path_params["bill_date"]] = await request.json()
        return JSONResponse({"ok": True})

    async def control_credentials(self, request: Request) -> Response:
        return JSONResponse(self.credentials().__dict__)

    @property
    def app(self) -> Starlette:
        return Starlette(
            routes=[
                Route("/v3/pay/transactions/jsapi", self.jsapi, methods=["POST"]),
                Route("/v3/pay/transactions/native", self.native, methods=["POST"]),
                Route("/v3/pay/transactions/out-trade-no/{out_trade_no}", self.query),
                Route("/v3/pay/transactions/id/{transaction_id}", self.query),
                Route("/v3/certificates", self.certificates),
                Route("/v3/pay/transactions/out-trade-no/{out_trade_no}/close", self.close, methods=["POST"]),
                Route("/v3/refund/domestic/refunds", self.refund, methods=["POST"]),
                Route("/v3/refund/domestic/refunds/{out_refund_no}", self.refund_query),
                Route("/v3/vehicle/parking/services/find", self.service_find),
                Route("/v3/vehicle/parking/parkings", self.parking_enter, methods=["POST"]),
                Route("/v3/vehicle/transactions/parking", self.parking_charge, methods=["POST"]),
                Route("/v3/vehicle/transactions/out-trade-no/{out_trade_no}", self.parking_query),
                Route("/v3/bill/tradebill", self.trade_bill),
                Route("/v3/billdownload/file", self.bill_download),
                Route("/_control/transactions/{out_trade_no}/pay", self.control_pay, methods=["POST"]),
                Route("/_control/request-payment", self.control_request_payment, methods=["POST"]),
                Route("/_control/refunds/{out_refund_no}/complete", self.control_refund, methods=["POST"]),
                Route("/_control/parking-services", self.control_service, methods=["POST"]),
                Route("/_control/parkings/{parking_id}/state", self.control_parking_state, methods=["POST"]),
                Route("/_control/outbox", self.control_outbox),
                Route("/_control/outbox/deliver", self.control_deliver, methods=["POST"]),
                Route("/_control/deliveries", self.control_deliveries),
                Route("/_control/received", self.control_received),
                Route("/_control/bills/{bill_date}", self.control_bill, methods=["PUT"]),
                Route("/_control/credentials", self.control_credentials),
            ]
        )
