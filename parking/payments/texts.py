"""User-visible payment texts (zh-CN first), in one place."""

from __future__ import annotations

from parking.payments.state import DoublePayment

# The reason stored on the refund that gives a double payment back (shown on the refunds page).
DOUBLE_PAYMENT_REFUND = {
    DoublePayment.ALREADY_SETTLED: "重复支付退款：该停车记录已由其他订单付清",
    DoublePayment.PAID_AFTER_CLOSE: "重复支付退款：订单关闭后收到付款",
    DoublePayment.SECOND_TRANSACTION: "重复支付退款：同一订单第二笔交易",
}
# The finance alarm's message.
DOUBLE_PAYMENT_ALARM = "重复支付 {amount} 元（订单 {out_trade_no}）：{action}"
REFUND_SENT = "已自动退款"
REFUND_WAITS = "退款待审批"
REFUND_BY_HAND = "请人工核实处理"

# Answers to a driver paying without an account.
ANONYMOUS_NEEDS_TOKEN = "请扫描车道二维码，或输入车道码和车牌号"
STAY_TOKEN_INVALID = "二维码已失效，请重新扫码"
RATE_LIMITED = "请求过于频繁，请稍后再试"
