"""Bill parsing (WeChat and Alipay layouts) and reconciliation against seeded bills from the fakes."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from parking.payments.bills import (
    AmountMismatchLine,
    BillFormatError,
    BillRow,
    EntryKind,
    OurEntry,
    parse_alipay_bill,
    parse_wechat_trade_bill,
    reconcile,
)
from parking.payments.channels.alipay import AlipayChannel
from parking.payments.channels.base import PaymentRequest, PayScene, RefundRequest
from parking.payments.channels.wechatpay import WeChatPayChannel
from parking.payments.ids import new_out_refund_no, new_out_trade_no

CST = ZoneInfo("Asia/Shanghai")

WECHAT_BILL = (
    "交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,"
    "货币种类,应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,充值券退款金额,退款类型,退款状态,"
    "商品名称,商户数据包,手续费,费率,订单金额,申请退款金额,费率备注\r\n"
    "`2026-03-01 16:30:05,`wx1,`1900000109,`0,`,`4200000001,`P1,`o1,`JSAPI,`SUCCESS,`OTHERS,`CNY,`15.00,"
    "`0.00,`,`,`0.00,`0.00,`,`,`停车费, 粤B12345,`,`0.09,`0.60%,`15.00,`0.00,`\r\n"
    "`2026-03-01 17:00:00,`wx1,`1900000109,`0,`,`4200000001,`P1,`,`JSAPI,`REFUND,`OTHERS,`CNY,`0.00,"
    "`0.00,`5030001,`R1,`5.00,`0.00,`ORIGINAL,`SUCCESS,`,`,`-0.03,`0.60%,`0.00,`5.00,`\r\n"
    "总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额\r\n"
    "`2,`15.00,`5.00,`0.00,`0.06,`15.00,`5.00\r\n"
)

ALIPAY_BILL = (
    "#支付宝业务明细查询\r\n#账号：[20880000000000010156]\r\n"
    "#-----------------------------------------业务明细列表----------------------------------------\r\n"
    "支付宝交易号,商户订单号,业务类型,商品名称,创建时间,完成时间,门店编号,门店名称,操作员,终端号,对方账户,"
    "订单金额（元）,商家实收（元）,支付宝红包（元）,集分宝（元）,支付宝优惠（元）,商家优惠（元）,券核销金额（元）,"
    "券名称,商家红包消费金额（元）,卡消费金额（元）,退款批次号/请求号,服务费（元）,分润（元）,备注\r\n"
    "2026030122001\t,P2\t,交易,停车费,2026-03-01 08:00:00,2026-03-01 08:00:09,,,,,d***@alipay.com,"
    "12.00,12.00,0.00,0.00,0.00,0.00,0.00,,0.00,0.00,,-0.07,0.00,\r\n"
    "2026030122001\t,P2\t,退款,停车费,2026-03-01 08:00:00,2026-03-01 09:00:00,,,,,d***@alipay.com,"
    "12.00,-2.00,0.00,0.00,0.00,0.00,0.00,,0.00,0.00,R2,0.01,0.00,\r\n"
    "#-----------------------------------------业务明细列表结束------------------------------------\r\n"
    "#交易合计：1笔，商家实收共：12.00元，商家优惠共：0.00元\r\n"
)


def test_parse_wechat_bill_rows_exactly() -> None:
    rows = parse_wechat_trade_bill(WECHAT_BILL)
    assert rows == [
        BillRow(
            "wechatpay",
            EntryKind.PAYMENT,
            "P1",
            "4200000001",
            1500,
            9,
            datetime(2026, 3, 1, 16, 30, 5, tzinfo=CST),
        ),
        BillRow(
            "wechatpay",
            EntryKind.REFUND,
            "P1",
            "4200000001",
            500,
            -3,
            datetime(2026, 3, 1, 17, tzinfo=CST),
            "R1",
        ),
    ]


def test_parse_alipay_bill_rows_exactly() -> None:
    rows = parse_alipay_bill(ALIPAY_BILL)
    assert rows == [
        BillRow(
            "alipay",
            EntryKind.PAYMENT,
            "P2",
            "2026030122001",
            1200,
            7,
            datetime(2026, 3, 1, 8, 0, 9, tzinfo=CST),
        ),
        BillRow(
            "alipay",
            EntryKind.REFUND,
            "P2",
            "2026030122001",
            200,
            -1,
            datetime(2026, 3, 1, 9, tzinfo=CST),
            "R2",
        ),
    ]


@pytest.mark.parametrize("text", ["", "hello,world\r\n", ALIPAY_BILL])
def test_not_a_wechat_bill_is_refused(text: str) -> None:
    with pytest.raises(BillFormatError):
        parse_wechat_trade_bill(text)


def test_reconcile_pure() -> None:
    at = datetime(2026, 3, 1, tzinfo=UTC)
    rows = [
        BillRow("wechatpay", EntryKind.PAYMENT, "A", "t1", 100, 1, at),
        BillRow("wechatpay", EntryKind.PAYMENT, "B", "t2", 999, 6, at),
        BillRow("wechatpay", EntryKind.PAYMENT, "D", "t4", 300, 2, at),
        BillRow("wechatpay", EntryKind.REFUND, "A", "t1", 50, 0, at, "RA"),
    ]
    ours = [
        OurEntry("A", 100),
        OurEntry("B", 1000),
        OurEntry("C", 200),
        OurEntry("A", 50, EntryKind.REFUND, "RA"),
    ]
    result = reconcile(ours, rows)
    assert result.matched == ("A", "RA")
    assert result.amount_mismatch == (AmountMismatchLine(EntryKind.PAYMENT, "B", 1000, 999),)
    assert result.missing_theirs == (OurEntry("C", 200),)
    assert result.missing_ours == (rows[2],)
    assert result.balanced is False


def today_cst() -> str:
    return datetime.now(CST).strftime("%Y-%m-%d")


async def test_wechat_bill_from_fake_reconciles_every_kind_of_mismatch(
    wechat: WeChatPayChannel, wechat_control: httpx.AsyncClient
) -> None:
    # given three paid orders (A, B, C) and a refund on A
    nos = []
    for amount in (1000, 2000, 3000):
        no = new_out_trade_no(datetime.now(UTC))
        await wechat.create_payment(PaymentRequest(no, amount, "停车费", PayScene.NATIVE))
        await wechat_control.post(f"/transactions/{no}/pay", json={"hold": True})
        nos.append(no)
    a, b, c = nos
    refund_no = new_out_refund_no(datetime.now(UTC))
    await wechat.refund(RefundRequest(a, refund_no, 400, 1000))
    await wechat_control.post(f"/refunds/{refund_no}/complete", json={"hold": True})
    # and a bill seeded with B's amount wrong, C missing, and a payment D we never saw
    phantom = {
        "trade_time": datetime.now(UTC).isoformat(),
        "appid": "wx",
        "mchid": "1900000109",
        "transaction_id": "4200999",
        "out_trade_no": "PHANTOM1",
        "openid": "o",
        "trade_type": "NATIVE",
        "trade_state": "SUCCESS",
        "bank_type": "OTHERS",
        "total_fen": 700,
        "refund_fen": 0,
        "refund_id": "",
        "out_refund_no": "",
        "description": "停车费",
    }
    day = today_cst()
    await wechat_control.put(f"/bills/{day}", json={"omit": [c], "amounts": {b: 1999}, "extra": [phantom]})
    # when the bill is downloaded through the signed API and reconciled with our records
    rows = [
        r
        for r in parse_wechat_trade_bill(await wechat.download_trade_bill(day))
        if r.out_trade_no in {a, b, c, "PHANTOM1"}
    ]
    ours = [
        OurEntry(a, 1000),
        OurEntry(b, 2000),
        OurEntry(c, 3000),
        OurEntry(a, 400, EntryKind.REFUND, refund_no),
    ]
    result = reconcile(ours, rows)
    # then each kind of mismatch is found
    assert sorted(result.matched) == sorted([a, refund_no])
    assert result.amount_mismatch == (AmountMismatchLine(EntryKind.PAYMENT, b, 2000, 1999),)
    assert result.missing_theirs == (OurEntry(c, 3000),)
    assert [(r.out_trade_no, r.amount_fen, r.fee_fen) for r in result.missing_ours] == [("PHANTOM1", 700, 4)]


async def test_alipay_bill_from_fake_reconciles(alipay: AlipayChannel, alipay_control: httpx.AsyncClient) -> None:
    # given two paid trades, one of which the bill omits, and a refund
    nos = []
    for amount in (1200, 800):
        no = new_out_trade_no(datetime.now(UTC))
        await alipay.create_payment(PaymentRequest(no, amount, "停车费", PayScene.ALIPAY_QR))
        await alipay_control.post(f"/trades/{no}/pay", json={"hold": True})
        nos.append(no)
    kept, dropped = nos
    refund_no = new_out_refund_no(datetime.now(UTC))
    await alipay.refund(RefundRequest(kept, refund_no, 200, 1200))
    day = today_cst()
    await alipay_control.put(f"/bills/{day}", json={"omit": [dropped]})
    # when downloaded (zip of GBK CSV) and reconciled
    rows = [r for r in parse_alipay_bill(await alipay.download_trade_bill(day)) if r.out_trade_no in set(nos)]
    result = reconcile(
        [OurEntry(kept, 1200), OurEntry(dropped, 800), OurEntry(kept, 200, EntryKind.REFUND, refund_no)], rows
    )
    # then the refund and payment match and the omitted trade is missing on their side
    assert sorted(result.matched) == sorted([kept, refund_no])
    assert result.missing_theirs == (OurEntry(dropped, 800),)
    assert result.missing_ours == ()
    assert result.amount_mismatch == ()


@given(st.dictionaries(st.text("ABC123", min_size=1, max_size=6), st.integers(1, 10**7), max_size=20), st.data())
def test_reconcile_finds_exactly_what_was_removed(amounts: dict[str, int], data: st.DataObject) -> None:
    # given our records and a bill that agrees, except for rows dropped from it
    at = datetime(2026, 3, 1, tzinfo=UTC)
    ours = [OurEntry(no, fen) for no, fen in sorted(amounts.items())]
    dropped = data.draw(st.sets(st.sampled_from(sorted(amounts)))) if amounts else set()
    rows = [BillRow("wechatpay", EntryKind.PAYMENT, e.out_trade_no, "t", e.amount_fen, 0, at) for e in ours]
    # when reconciled
    result = reconcile(ours, [r for r in rows if r.out_trade_no not in dropped])
    # then exactly the dropped ones are missing on their side
    assert {e.out_trade_no for e in result.missing_theirs} == dropped
    assert set(result.matched) == set(amounts) - dropped
    assert result.missing_ours == ()
    assert result.amount_mismatch == ()
