"""Fake Alipay openapi gateway: RSA2 both ways, precreate/create/query/refund/close, notifications, bills."""

from __future__ import annotations

import asyncio
import io
import json
import logging
import re
import secrets
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from fakes.alipay_bill import AlipayBillLine, render_alipay_bill
from fakes.keys import new_rsa_key, private_pem, public_pem, sign_b64, verify_b64

logger = logging.getLogger(__name__)

CST = ZoneInfo("Asia/Shanghai")
_NOTIFY_TIMEOUT_S = 5.0
Json = dict[str, Any]
_METHODS_NEEDING_TRADE = (
    "alipay.trade.query",
    "alipay.trade.refund",
    "alipay.trade.close",
    "alipay.trade.cancel",
    "alipay.trade.fastpay.refund.query",
)


def _now_text(dt: datetime) -> str:
    return dt.astimezone(CST).strftime("%Y-%m-%d %H:%M:%S")


def sign_content(params: Mapping[str, str], *, drop_sign_type: bool) -> str:
    """Alipay's string to sign: sorted k=v&..., without sign (and sign_type for notifications) and empties."""
    dropped = {"sign", "sign_type"} if drop_sign_type else {"sign"}
    return "&".join(f"{k}={v}" for k, v in sorted(params.items()) if k not in dropped and v != "")


# Alipay's Price fields: yuan with at most two decimals, in [0.01, 100000000].
_PRICE = re.compile(r"(0|[1-9]\d*)(\.\d{1,2})?")
MAX_AMOUNT_FEN = 100_000_000 * 100
# 商户订单号 / 退款请求号: up to 64 letters, digits and underscores.
_OUT_NO = re.compile(r"[0-9A-Za-z_]{1,64}")


def _fen(yuan: str) -> int:
    whole, _, cents = yuan.partition(".")
    return int(whole) * 100 + int((cents + "00")[:2])


def _price(biz: Json, key: str, what: str) -> int | Json:
    """The fen of a Price field, or the gateway's refusal: format (ACQ.INVALID_PARAMETER), then range."""
    value = biz.get(key)
    # biz_content is JSON: a number arrives as int/float, a string as str; both are read as the text sent.
    text = value if isinstance(value, str) else json.dumps(value) if isinstance(value, int | float) else ""
    if isinstance(value, bool) or not _PRICE.fullmatch(text):
        return FakeAlipay._fail("ACQ.INVALID_PARAMETER", f"参数无效:{what}格式错误")
    fen = _fen(text)
    if fen < 1:
        return FakeAlipay._fail("ACQ.INVALID_PARAMETER", f"参数无效:{what}必须大于0")
    if fen > MAX_AMOUNT_FEN:
        return FakeAlipay._fail("ACQ.TOTAL_FEE_EXCEED", f"{what}超过限额")
    return fen


def _yuan(fen: int) -> str:
    return f"{fen // 100}.{fen % 100:02d}"


@dataclass(frozen=True)
class AppCredentials:
    app_id: str
    app_private_key_pem: str = field(repr=False)
    alipay_public_key_pem: str


@dataclass
class Notification:
    id: str
    url: str
    form: dict[str, str]
    status: int | None = None
    reply: str = ""


@dataclass
class NotifyOptions:
    copies: int = 1
    hold: bool = False
    delay_s: float = 0.0
    forge: bool = False
    notify_time_offset_s: int = 0
    amount_fen: int | None = None

    @classmethod
    def from_json(cls, data: Json) -> NotifyOptions:
        return cls(**{k: data[k] for k in cls.__dataclass_fields__ if k in data})


class FakeAlipay:
    def __init__(
        self,
        *,
        app_id: str = "2021000000000001",
        seller_id: str = "2088000000000001",
        notify_client: httpx.AsyncClient | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.app_id = app_id
        self.seller_id = seller_id
        self.clock = clock
        self._app_key = new_rsa_key()
        self._alipay_key = new_rsa_key()
        self._forger_key = new_rsa_key()
        self._notify_client = notify_client or httpx.AsyncClient(timeout=_NOTIFY_TIMEOUT_S)
        self.trades: dict[str, Json] = {}
        self.refunds: dict[str, Json] = {}
        self.received: list[Json] = []
        self.outbox: list[Notification] = []
        self.delivered: list[Notification] = []
        self.bill_overrides: dict[str, Json] = {}
        self._tasks: set[asyncio.Task[Any]] = set()

    def credentials(self) -> AppCredentials:
        return AppCredentials(self.app_id, private_pem(self._app_key), public_pem(self._alipay_key))

    # --- gateway -------------------------------------------------------------------------------------------

    def _signed(self, method: str, content: Json) -> Response:
        """Alipay signs the exact JSON text of ``<method>_response`` and places it beside it."""
        key = method.replace(".", "_") + "_response"
        inner = json.dumps(content, ensure_ascii=False, separators=(",", ":"))
        signature = sign_b64(self._alipay_key, inner)
        body = f'{{"{key}":{inner},"sign":"{signature}"}}'
        return Response(body, media_type="application/json;charset=utf-8")

    @staticmethod
    def _fail(sub_code: str, sub_msg: str) -> Json:
        return {"code": "40004", "msg": "Business Failed", "sub_code": sub_code, "sub_msg": sub_msg}

    async def gateway(self, request: Request) -> Response:
        params = dict(request.query_params)
        if request.method == "POST":
            params.update({k: str(v) for k, v in (await request.form()).items()})
        self.received.append(dict(params))
        method = params.get("method", "")
        if params.get("app_id") != self.app_id or params.get("sign_type") != "RSA2":
            return JSONResponse(
                {
                    "error_response": {
                        "code": "40002",
                        "msg": "Invalid Arguments",
                        "sub_code": "isv.invalid-app-id",
                    }
                }
            )
        if not verify_b64(
            self._app_key.public_key(), sign_content(params, drop_sign_type=False), params.get("sign", "")
        ):
            return JSONResponse(
                {
                    "error_response": {
                        "code": "40002",
                        "msg": "Invalid Arguments",
                        "sub_code": "isv.invalid-signature",
                        "sub_msg": "验签出错",
                    }
                }
            )
        try:
            biz = json.loads(params.get("biz_content", "{}"))
        except ValueError:
            return self._signed(method, self._fail("isv.invalid-parameter", "biz_content is not JSON"))
        handlers: dict[str, Callable[[Json, Json, Request], Json]] = {
            "alipay.trade.precreate": self._precreate,
            "alipay.trade.create": self._create,
            "alipay.trade.query": self._query,
            "alipay.trade.refund": self._refund,
            "alipay.trade.close": self._close,
            "alipay.trade.cancel": self._cancel,
            "alipay.trade.fastpay.refund.query": self._refund_query,
            "alipay.data.dataservice.bill.downloadurl.query": self._bill_url,
        }
        handler = handlers.get(method)
        if handler is None:
            return JSONResponse(
                {
                    "error_response": {
                        "code": "40004",
                        "msg": "Business Failed",
                        "sub_code": "isv.invalid-method",
                    }
                }
            )
        if method in _METHODS_NEEDING_TRADE and self._find(biz) is None:
            return self._signed(method, self._fail("ACQ.TRADE_NOT_EXIST", "交易不存在"))
        return self._signed(method, handler(biz, params, request))

    def _find(self, biz: Json) -> Json | None:
        trade = self.trades.get(biz.get("out_trade_no", ""))
        if trade is None and biz.get("trade_no"):
            trade = next((t for t in self.trades.values() if t["trade_no"] == biz["trade_no"]), None)
        return trade

    def _new_trade(self, biz: Json, params: Json, kind: str) -> Json:
        amount = _price(biz, "total_amount", "订单总金额")
        if isinstance(amount, dict):
            return amount
        if not biz.get("out_trade_no") or not biz.get("subject"):
            return self._fail("ACQ.INVALID_PARAMETER", "out_trade_no, subject and total_amount are required")
        if not _OUT_NO.fullmatch(str(biz["out_trade_no"])) or len(str(biz["subject"])) > 256:
            return self._fail("ACQ.INVALID_PARAMETER", "参数无效:out_trade_no或subject格式错误")
        existing = self.trades.get(biz["out_trade_no"])
        if existing is not None:
            if existing["trade_status"] != "WAIT_BUYER_PAY":
                return self._fail("ACQ.TRADE_HAS_SUCCESS", "交易已被支付")
            if existing["total_fen"] != amount:
                return self._fail("ACQ.CONTEXT_INCONSISTENT", "交易信息被篡改")
            return existing
        trade: Json = {
            "kind": kind,
            "out_trade_no": biz["out_trade_no"],
            "trade_no": self.clock().astimezone(CST).strftime("%Y%m%d") + "22001" + secrets.token_hex(8)[:14],
            "total_fen": amount,
            "subject": biz["subject"],
            "buyer_id": biz.get("buyer_id") or biz.get("buyer_open_id") or "",
            "trade_status": "WAIT_BUYER_PAY",
            "notify_url": params.get("notify_url", ""),
            "gmt_create": _now_text(self.clock()),
            "refunded_fen": 0,
            "qr_code": f"https://qr.alipay.com/bax0{secrets.token_hex(10)}",
        }
        self.trades[trade["out_trade_no"]] = trade
        return trade

    def _precreate(self, biz: Json, params: Json, request: Request) -> Json:
        trade = self._new_trade(biz, params, "precreate")
        if "code" in trade:
            return trade
        return {
            "code": "10000",
            "msg": "Success",
            "out_trade_no": trade["out_trade_no"],
            "qr_code": trade["qr_code"],
        }

    def _create(self, biz: Json, params: Json, request: Request) -> Json:
        if not (biz.get("buyer_id") or biz.get("buyer_open_id")):
            return self._fail("ACQ.INVALID_PARAMETER", "buyer_id or buyer_open_id is required")
        trade = self._new_trade(biz, params, "create")
        if "code" in trade:
            return trade
        return {
            "code": "10000",
            "msg": "Success",
            "out_trade_no": trade["out_trade_no"],
            "trade_no": trade["trade_no"],
        }

    def _query(self, biz: Json, params: Json, request: Request) -> Json:
        trade = self._find(biz)
        assert trade is not None
        view = {
            "code": "10000",
            "msg": "Success",
            "trade_no": trade["trade_no"],
            "out_trade_no": trade["out_trade_no"],
            "buyer_logon_id": "dri***@alipay.com",
            "trade_status": trade["trade_status"],
            "total_amount": _yuan(trade["total_fen"]),
            "buyer_user_id": trade["buyer_id"],
        }
        if trade.get("gmt_payment"):
            view.update(
                send_pay_date=trade["gmt_payment"],
                receipt_amount=_yuan(trade["total_fen"]),
                buyer_pay_amount=_yuan(trade["total_fen"]),
            )
        return view

    def _refund(self, biz: Json, params: Json, request: Request) -> Json:
        trade = self._find(biz)
        assert trade is not None
        out_request_no = biz.get("out_request_no") or trade["out_trade_no"]
        if not _OUT_NO.fullmatch(str(out_request_no)):
            return self._fail("ACQ.INVALID_PARAMETER", "参数无效:out_request_no格式错误")
        asked = _price(biz, "refund_amount", "退款金额")
        if isinstance(asked, dict):
            return asked
        done = self.refunds.get(out_request_no)
        if done is not None and (done["out_trade_no"] != trade["out_trade_no"] or done["refund_fen"] != asked):
            # The same request number again must be the same refund (Alipay's idempotency key).
            return self._fail("ACQ.INVALID_PARAMETER", "参数无效:退款请求号已使用且退款信息不一致")
        if done is None:
            if trade["trade_status"] not in ("TRADE_SUCCESS", "TRADE_CLOSED") or not trade.get("gmt_payment"):
                return self._fail("ACQ.TRADE_STATUS_ERROR", "交易状态不合法")
            if asked <= 0 or asked > trade["total_fen"] - trade["refunded_fen"]:
                return self._fail("ACQ.REFUND_AMT_NOT_EQUAL_TOTAL", "退款金额超限")
            trade["refunded_fen"] += asked
            if trade["refunded_fen"] == trade["total_fen"]:
                trade["trade_status"] = "TRADE_CLOSED"
            done = {
                "out_request_no": out_request_no,
                "out_trade_no": trade["out_trade_no"],
                "trade_no": trade["trade_no"],
                "refund_fen": asked,
                "gmt_refund_pay": _now_text(self.clock()),
            }
            self.refunds[out_request_no] = done
            self._notify_refund_later(trade, done)
            fund_change = "Y"
        else:
            # Same out_request_no again: Alipay answers idempotently without moving money.
            fund_change = "N"
        return {
            "code": "10000",
            "msg": "Success",
            "trade_no": trade["trade_no"],
            "out_trade_no": trade["out_trade_no"],
            "buyer_logon_id": "dri***@alipay.com",
            "fund_change": fund_change,
            "refund_fee": _yuan(trade["refunded_fen"]),
            "gmt_refund_pay": done["gmt_refund_pay"],
        }

    def _close(self, biz: Json, params: Json, request: Request) -> Json:
        trade = self._find(biz)
        assert trade is not None
        if trade["trade_status"] != "WAIT_BUYER_PAY":
            return self._fail("ACQ.TRADE_STATUS_ERROR", "交易状态不合法")
        trade["trade_status"] = "TRADE_CLOSED"
        return {
            "code": "10000",
            "msg": "Success",
            "trade_no": trade["trade_no"],
            "out_trade_no": trade["out_trade_no"],
        }

    def _cancel(self, biz: Json, params: Json, request: Request) -> Json:
        """alipay.trade.cancel: an unpaid trade is closed, a paid one refunded in full (action close/refund)."""
        trade = self._find(biz)
        assert trade is not None
        status = trade["trade_status"]
        if status == "TRADE_FINISHED":
            return self._fail("ACQ.TRADE_HAS_FINISHED", "交易已经完结")
        cancelled = self.refunds.get(trade["out_trade_no"])
        if status == "TRADE_SUCCESS" and trade["refunded_fen"]:
            return self._fail("ACQ.REASON_TRADE_REFUND_FEE_ERR", "退款金额无效")
        if status == "TRADE_SUCCESS":
            trade.update(refunded_fen=trade["total_fen"], trade_status="TRADE_CLOSED")
            cancelled = {
                "out_request_no": trade["out_trade_no"],
                "out_trade_no": trade["out_trade_no"],
                "trade_no": trade["trade_no"],
                "refund_fen": trade["total_fen"],
                "gmt_refund_pay": _now_text(self.clock()),
            }
            self.refunds[trade["out_trade_no"]] = cancelled
            self._notify_refund_later(trade, cancelled)
        elif status == "WAIT_BUYER_PAY":
            trade["trade_status"] = "TRADE_CLOSED"
        # Cancelling again answers the same (TRADE_CLOSED: refunded by an earlier cancel, else closed).
        refunded = cancelled is not None and cancelled["refund_fen"] == trade["total_fen"]
        return {
            "code": "10000",
            "msg": "Success",
            "trade_no": trade["trade_no"],
            "out_trade_no": trade["out_trade_no"],
            "retry_flag": "N",
            "action": "refund" if refunded else "close",
        }

    def _refund_query(self, biz: Json, params: Json, request: Request) -> Json:
        """alipay.trade.fastpay.refund.query: code 10000 only says the query worked; no refund fields, no refund."""
        trade = self._find(biz)
        assert trade is not None
        out_request_no = biz.get("out_request_no")
        if not out_request_no:
            return self._fail("ACQ.INVALID_PARAMETER", "参数无效:out_request_no必填")
        view: Json = {
            "code": "10000",
            "msg": "Success",
            "trade_no": trade["trade_no"],
            "out_trade_no": trade["out_trade_no"],
            "out_request_no": out_request_no,
        }
        refund = self.refunds.get(out_request_no)
        if refund is not None and refund["out_trade_no"] == trade["out_trade_no"]:
            view.update(
                total_amount=_yuan(trade["total_fen"]),
                refund_amount=_yuan(refund["refund_fen"]),
                refund_status="REFUND_SUCCESS",
                gmt_refund_pay=refund["gmt_refund_pay"],
            )
        return view

    def _bill_url(self, biz: Json, params: Json, request: Request) -> Json:
        if biz.get("bill_type") != "trade" or not biz.get("bill_date"):
            return self._fail("isv.invalid-parameter", "bill_type must be trade and bill_date set")
        url = f"{request.base_url}_bills/download?{urlencode({'bill_date': biz['bill_date']})}"
        return {"code": "10000", "msg": "Success", "bill_download_url": url}

    # --- bills ---------------------------------------------------------------------------------------------

    def bill_lines(self, bill_date: str) -> list[AlipayBillLine]:
        override = self.bill_overrides.get(bill_date, {})
        omit = set(override.get("omit", []))
        amounts: dict[str, int] = override.get("amounts", {})
        lines: list[AlipayBillLine] = []
        for trade in self.trades.values():
            paid = trade.get("gmt_payment", "")
            if paid.startswith(bill_date) and trade["out_trade_no"] not in omit:
                no = trade["out_trade_no"]
                total: int = amounts[no] if no in amounts else trade["total_fen"]
                lines.append(
                    AlipayBillLine(
                        trade["trade_no"],
                        no,
                        "交易",
                        trade["subject"],
                        trade["gmt_create"],
                        paid,
                        total,
                        total,
                        "",
                    )
                )
        for refund in self.refunds.values():
            if refund["gmt_refund_pay"].startswith(bill_date):
                trade = self.trades[refund["out_trade_no"]]
                lines.append(
                    AlipayBillLine(
                        trade["trade_no"],
                        trade["out_trade_no"],
                        "退款",
                        trade["subject"],
                        trade["gmt_create"],
                        refund["gmt_refund_pay"],
                        trade["total_fen"],
                        -refund["refund_fen"],
                        refund["out_request_no"],
                    )
                )
        lines.extend(AlipayBillLine(**extra) for extra in override.get("extra", []))
        return lines

    async def bill_download(self, request: Request) -> Response:
        bill_date = request.query_params.get("bill_date", "")
        csv = render_alipay_bill(self.seller_id, bill_date, self.bill_lines(bill_date))
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(f"{self.seller_id}0156_{bill_date.replace('-', '')}_业务明细.csv", csv.encode("gbk"))
        return Response(buffer.getvalue(), media_type="application/zip")

    # --- notifications -------------------------------------------------------------------------------------

    def _notify_refund_later(self, trade: Json, refund: Json) -> None:
        """Alipay notifies a refund (trade_status_sync with refund_fee, gmt_refund, out_biz_no) after answering it,
        when the trade was made with a notify_url; partly refunded is TRADE_SUCCESS, fully TRADE_CLOSED."""
        if not trade["notify_url"]:
            return
        snapshot = {**trade}
        task = asyncio.get_running_loop().create_task(self.notify(snapshot, NotifyOptions(), refund=refund))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def _notification_form(self, trade: Json, opts: NotifyOptions, refund: Json | None = None) -> dict[str, str]:
        sent = self.clock() + timedelta(seconds=opts.notify_time_offset_s)
        total = _yuan(opts.amount_fen if opts.amount_fen is not None else trade["total_fen"])
        form = {
            "notify_time": _now_text(sent),
            "notify_type": "trade_status_sync",
            "notify_id": secrets.token_hex(16),
            "app_id": self.app_id,
            "charset": "utf-8",
            "version": "1.0",
            "sign_type": "RSA2",
            "trade_no": trade["trade_no"],
            "out_trade_no": trade["out_trade_no"],
            "buyer_id": trade["buyer_id"] or "2088102177846880",
            "seller_id": self.seller_id,
            "trade_status": trade["trade_status"],
            "total_amount": total,
            "receipt_amount": total,
            "buyer_pay_amount": total,
            "subject": trade["subject"],
            "gmt_create": trade["gmt_create"],
        }
        if trade.get("gmt_payment"):
            form["gmt_payment"] = trade["gmt_payment"]
        if refund is not None:
            form.update(
                refund_fee=_yuan(trade["refunded_fen"]),
                gmt_refund=refund["gmt_refund_pay"] + ".000",  # yyyy-MM-dd HH:mm:ss.S
                out_biz_no=refund["out_request_no"],
            )
            if trade["trade_status"] == "TRADE_CLOSED":
                form["gmt_close"] = refund["gmt_refund_pay"]
        key = self._forger_key if opts.forge else self._alipay_key
        form["sign"] = sign_b64(key, sign_content(form, drop_sign_type=True))
        return form

    async def notify(self, trade: Json, opts: NotifyOptions, refund: Json | None = None) -> list[Notification]:
        base = self._notification_form(trade, opts, refund)
        # Copies are retries: same notify_id, each with its own notify_time and signature.
        made = [Notification(secrets.token_hex(6), trade["notify_url"], base)]
        for i in range(1, max(opts.copies, 1)):
            retry = replace_notify_time(base, self.clock() + timedelta(seconds=opts.notify_time_offset_s + i))
            key = self._forger_key if opts.forge else self._alipay_key
            retry["sign"] = sign_b64(key, sign_content(retry, drop_sign_type=True))
            made.append(Notification(secrets.token_hex(6), trade["notify_url"], retry))
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

    async def _deliver_later(self, made: list[Notification], delay_s: float) -> None:
        await asyncio.sleep(delay_s)
        for n in made:
            await self.deliver(n)

    async def deliver(self, n: Notification) -> Notification:
        try:
            response = await self._notify_client.post(n.url, data=n.form)
            done = Notification(n.id, n.url, n.form, response.status_code, response.text)
        except httpx.HTTPError as exc:
            logger.warning("alipay notification %s to %s failed: %s", n.id, n.url, exc)
            done = Notification(n.id, n.url, n.form)
        self.delivered.append(done)
        return done

    # --- control API ---------------------------------------------------------------------------------------

    async def control_pay(self, request: Request) -> Response:
        trade = self.trades.get(request.path_params["out_trade_no"])
        if trade is None:
            return JSONResponse({"error": "unknown trade"}, status_code=404)
        data = await request.json() if await request.body() else {}
        if data.get("outcome", "success") == "success":
            trade.update(trade_status="TRADE_SUCCESS", gmt_payment=_now_text(self.clock()))
        else:
            trade["trade_status"] = "TRADE_CLOSED"
        made = await self.notify(trade, NotifyOptions.from_json(data))
        return JSONResponse({"trade_status": trade["trade_status"], "notifications": [n.id for n in made]})

    async def control_outbox(self, request: Request) -> Response:
        return JSONResponse([{"id": n.id, "url": n.url, "trade_status": n.form["trade_status"]} for n in self.outbox])

    async def control_deliver(self, request: Request) -> Response:
        ids = (await request.json())["ids"]
        held = {n.id: n for n in self.outbox}
        if any(i not in held for i in ids):
            return JSONResponse({"error": "not held"}, status_code=404)
        results = [await self.deliver(held[i]) for i in ids]
        self.outbox = [n for n in self.outbox if n.id not in set(ids)]
        return JSONResponse([{"id": n.id, "status": n.status, "reply": n.reply} for n in results])

    async def control_deliveries(self, request: Request) -> Response:
        return JSONResponse(
            [{"id": n.id, "status": n.status, "reply": n.reply, "form": n.form} for n in self.delivered]
        )

    async def control_received(self, request: Request) -> Response:
        return JSONResponse(self.received)

    async def control_bill(self, request: Request) -> Response:
        self.bill_overrides[request.path_params["bill_date"]] = await request.json()
        return JSONResponse({"ok": True})

    async def control_credentials(self, request: Request) -> Response:
        return JSONResponse(self.credentials().__dict__)

    async def health(self, request: Request) -> Response:
        return PlainTextResponse("ok")

    @property
    def app(self) -> Starlette:
        return Starlette(
            routes=[
                Route("/gateway.do", self.gateway, methods=["GET", "POST"]),
                Route("/_bills/download", self.bill_download),
                Route("/_control/trades/{out_trade_no}/pay", self.control_pay, methods=["POST"]),
                Route("/_control/outbox", self.control_outbox),
                Route("/_control/outbox/deliver", self.control_deliver, methods=["POST"]),
                Route("/_control/deliveries", self.control_deliveries),
                Route("/_control/received", self.control_received),
                Route("/_control/bills/{bill_date}", self.control_bill, methods=["PUT"]),
                Route("/_control/credentials", self.control_credentials),
                Route("/_control/health", self.health),
            ]
        )


def replace_notify_time(form: Mapping[str, str], sent: datetime) -> dict[str, str]:
    return {**{k: v for k, v in form.items() if k != "sign"}, "notify_time": _now_text(sent)}
