"""Alipay trade bill (业务明细, GBK CSV inside a zip) in Alipay's layout with '#' header/footer lines."""

from __future__ import annotations

from dataclasses import dataclass

COLUMNS = (
    "支付宝交易号,商户订单号,业务类型,商品名称,创建时间,完成时间,门店编号,门店名称,操作员,终端号,对方账户,"
    "订单金额（元）,商家实收（元）,支付宝红包（元）,集分宝（元）,支付宝优惠（元）,商家优惠（元）,券核销金额（元）,"
    "券名称,商家红包消费金额（元）,卡消费金额（元）,退款批次号/请求号,服务费（元）,分润（元）,备注"
)
RATE_PPM = 6_000


@dataclass(frozen=True)
class AlipayBillLine:
    trade_no: str
    out_trade_no: str
    business_type: str  # 交易 or 退款
    subject: str
    created: str
    finished: str
    order_fen: int
    received_fen: int  # negative for refunds
    out_request_no: str


def _yuan(fen: int) -> str:
    sign = "-" if fen < 0 else ""
    return f"{sign}{abs(fen) // 100}.{abs(fen) % 100:02d}"


def _fee(fen: int) -> int:
    sign = -1 if fen < 0 else 1
    return sign * ((abs(fen) * RATE_PPM + 500_000) // 1_000_000)


def render_alipay_bill(account: str, bill_date: str, lines: list[AlipayBillLine]) -> str:
    y, m, d = bill_date.split("-")
    rows = [
        "#支付宝业务明细查询",
        f"#账号：[{account}0156]",
        f"#起始日期：[{y}年{m}月{d}日 00:00:00]   终止日期：[{y}年{m}月{d}日 23:59:59]",
        "#-----------------------------------------业务明细列表----------------------------------------",
        COLUMNS,
    ]
    trades = [x for x in lines if x.business_type == "交易"]
    refunds = [x for x in lines if x.business_type == "退款"]
    for x in lines:
        # Alipay pads cells with tabs so spreadsheets keep long numbers as text.
        fields = [
            x.trade_no + "\t",
            x.out_trade_no + "\t",
            x.business_type,
            x.subject,
            x.created,
            x.finished,
            "",
            "",
            "",
            "",
            "dri***@alipay.com",
            _yuan(x.order_fen),
            _yuan(x.received_fen),
            "0.00",
            "0.00",
            "0.00",
            "0.00",
            "0.00",
            "",
            "0.00",
            "0.00",
            x.out_request_no,
            _yuan(-_fee(x.received_fen)),
            "0.00",
            "",
        ]
        rows.append(",".join(fields))
    rows += [
        "#-----------------------------------------业务明细列表结束------------------------------------",
        f"#交易合计：{len(trades)}笔，商家实收共：{_yuan(sum(x.received_fen for x in trades))}元，商家优惠共：0.00元",
        f"#退款合计：{len(refunds)}笔，商家实收退款共：{_yuan(sum(x.received_fen for x in refunds))}元，"
        "商家优惠退款共：0.00元",
        f"#导出时间：[{y}年{m}月{d}日 23:59:59]",
    ]
    return "\r\n".join(rows) + "\r\n"
