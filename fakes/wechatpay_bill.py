"""WeChat Pay trade bill (交易账单, bill_type=ALL) rendered in WeChat's backtick-prefixed CSV format."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

CST = ZoneInfo("Asia/Shanghai")
HEADER = (
    "交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,"
    "货币种类,应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,充值券退款金额,退款类型,退款状态,"
    "商品名称,商户数据包,手续费,费率,订单金额,申请退款金额,费率备注"
)
SUMMARY_HEADER = "总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额"
RATE_PPM = 6_000


@dataclass(frozen=True)
class BillLine:
    trade_time: str
    appid: str
    mchid: str
    transaction_id: str
    out_trade_no: str
    openid: str
    trade_type: str
    trade_state: str
    bank_type: str
    total_fen: int
    refund_fen: int
    refund_id: str
    out_refund_no: str
    description: str


def _yuan(fen: int) -> str:
    sign = "-" if fen < 0 else ""
    return f"{sign}{abs(fen) // 100}.{abs(fen) % 100:02d}"


def _fee(fen: int) -> int:
    # Rounded half up to the fen; refunds give back the fee proportionally (negative).
    sign = -1 if fen < 0 else 1
    return sign * ((abs(fen) * RATE_PPM + 500_000) // 1_000_000)


def _time(value: str) -> str:
    return datetime.fromisoformat(value).astimezone(CST).strftime("%Y-%m-%d %H:%M:%S")


def render_trade_bill(lines: list[BillLine]) -> str:
    rows = [HEADER]
    settled = refunded = fees = 0
    for line in lines:
        is_refund = line.trade_state == "REFUND"
        fee = _fee(-line.refund_fen if is_refund else line.total_fen)
        settled += 0 if is_refund else line.total_fen
        refunded += line.refund_fen
        fees += fee
        fields = [
            _time(line.trade_time), line.appid, line.mchid, "0", "", line.transaction_id, line.out_trade_no,
            line.openid, line.trade_type, line.trade_state, line.bank_type, "CNY",
            _yuan(0 if is_refund else line.total_fen), "0.00", line.refund_id, line.out_refund_no,
            _yuan(line.refund_fen), "0.00", "ORIGINAL" if is_refund else "", "SUCCESS" if is_refund else "",
            line.description, "", _yuan(fee), "0.60%", _yuan(0 if is_refund else line.total_fen),
            _yuan(line.refund_fen), "",
        ]  # fmt: skip
        rows.append(",".join("`" + f for f in fields))
    rows.append(SUMMARY_HEADER)
    summary = [str(len(lines)), _yuan(settled), _yuan(refunded), "0.00", _yuan(fees), _yuan(settled),
               _yuan(refunded)]  # fmt: skip
    rows.append(",".join("`" + f for f in summary))
    return "\r\n".join(rows) + "\r\n"
