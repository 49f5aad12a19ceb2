"""Channel bills (WeChat trade bill, Alipay 业务明细) parsed into rows, and reconciled with our records."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from zoneinfo import ZoneInfo

from parking.payments.amounts import yuan_to_fen
from parking.payments.errors import PaymentError


class BillFormatError(PaymentError, ValueError):
    """The text is not a bill in the expected layout."""


class EntryKind(StrEnum):
    PAYMENT = "payment"
    REFUND = "refund"


@dataclass(frozen=True)
class BillRow:
    channel: str
    kind: EntryKind
    out_trade_no: str
    transaction_id: str
    amount_fen: int  # the order total for payments, the refunded amount (positive) for refunds
    fee_fen: int  # channel fee charged (negative when a refund gives fee back)
    occurred_at: datetime
    out_refund_no: str = ""

    @property
    def key(self) -> tuple[EntryKind, str]:
        return (self.kind, self.out_refund_no if self.kind is EntryKind.REFUND else self.out_trade_no)


@dataclass(frozen=True)
class OurEntry:
    """A payment we credited or a refund we paid out, as recorded on our side."""

    out_trade_no: str
    amount_fen: int
    kind: EntryKind = EntryKind.PAYMENT
    out_refund_no: str = ""

    @property
    def key(self) -> tuple[EntryKind, str]:
        return (self.kind, self.out_refund_no if self.kind is EntryKind.REFUND else self.out_trade_no)


@dataclass(frozen=True)
class AmountMismatchLine:
    kind: EntryKind
    number: str  # out_trade_no, or out_refund_no for refunds
    ours_fen: int
    theirs_fen: int


@dataclass(frozen=True)
class Reconciliation:
    matched: tuple[str, ...]
    missing_ours: tuple[BillRow, ...]  # in the channel's bill, absent from our records: money we never credited
    missing_theirs: tuple[OurEntry, ...]  # in our records, absent from the bill: money that never arrived
    amount_mismatch: tuple[AmountMismatchLine, ...]

    @property
    def balanced(self) -> bool:
        return not (self.missing_ours or self.missing_theirs or self.amount_mismatch)


def _time(value: str, tz: ZoneInfo) -> datetime:
    try:
        return datetime.strptime(value.strip(), "%Y-%m-%d %H:%M:%S").replace(tzinfo=tz)
    except ValueError as exc:
        raise BillFormatError(f"bad time {value!r}") from exc


def _signed_fen(value: str) -> int:
    value = value.strip()
    return -yuan_to_fen(value[1:]) if value.startswith("-") else yuan_to_fen(value)


def parse_wechat_trade_bill(text: str, tz: str = "Asia/Shanghai") -> list[BillRow]:
    """WeChat's bill: a header line, data lines whose every field starts with a backtick, then totals."""
    zone = ZoneInfo(tz)
    lines = [line for line in text.lstrip("\ufeff").splitlines() if line.strip()]
    if not lines or not lines[0].startswith("交易时间"):
        raise BillFormatError("not a WeChat trade bill: missing the 交易时间 header")
    columns = lines[0].split(",")
    rows: list[BillRow] = []
    for line in lines[1:]:
        if line.startswith("总交易单数"):
            break
        # Splitting on ",`" keeps commas inside product names intact.
        fields = dict(zip(columns, line.removeprefix("`").split(",`"), strict=False))
        try:
            state = fields["交易状态"]
            at = _time(fields["交易时间"], zone)
            fee = _signed_fen(fields["手续费"])
            if state == "SUCCESS":
                amount = yuan_to_fen(fields["订单金额"])
                row = BillRow(
                    "wechatpay",
                    EntryKind.PAYMENT,
                    fields["商户订单号"],
                    fields["微信订单号"],
                    amount,
                    fee,
                    at,
                )
            elif state == "REFUND":
                amount = yuan_to_fen(fields["退款金额"])
                row = BillRow(
                    "wechatpay",
                    EntryKind.REFUND,
                    fields["商户订单号"],
                    fields["微信订单号"],
                    amount,
                    fee,
                    at,
                    fields["商户退款单号"],
                )
            else:
                continue
        except KeyError as exc:
            raise BillFormatError(f"WeChat bill line lacks column {exc}") from exc
        rows.append(row)
    return rows


def parse_alipay_bill(text: str, tz: str = "Asia/Shanghai") -> list[BillRow]:
    """Alipay's 业务明细: '#' comment lines around a CSV whose cells may be padded with tabs."""
    zone = ZoneInfo(tz)
    body = [line for line in text.lstrip("\ufeff").splitlines() if line.strip() and not line.startswith("#")]
    if not body or not body[0].startswith("支付宝交易号"):
        raise BillFormatError("not an Alipay bill: missing the 支付宝交易号 header")
    reader = csv.reader(io.StringIO("\n".join(body)))
    columns = [c.strip() for c in next(reader)]
    rows: list[BillRow] = []
    for cells in reader:
        fields = dict(zip(columns, (c.strip() for c in cells), strict=False))
        try:
            kind = fields["业务类型"]
            at = _time(fields["完成时间"], zone)
            # 服务费 is shown negative when charged to us.
            fee = -_signed_fen(fields["服务费（元）"] or "0.00")
            if kind == "交易":
                amount = yuan_to_fen(fields["订单金额（元）"])
                row = BillRow(
                    "alipay", EntryKind.PAYMENT, fields["商户订单号"], fields["支付宝交易号"], amount, fee, at
                )
            elif kind == "退款":
                amount = -_signed_fen(fields["商家实收（元）"])
                row = BillRow(
                    "alipay",
                    EntryKind.REFUND,
                    fields["商户订单号"],
                    fields["支付宝交易号"],
                    amount,
                    fee,
                    at,
                    fields["退款批次号/请求号"],
                )
            else:
                continue
        except KeyError as exc:
            raise BillFormatError(f"Alipay bill line lacks column {exc}") from exc
        rows.append(row)
    return rows


def reconcile(our_orders: Iterable[OurEntry], bill_rows: Iterable[BillRow]) -> Reconciliation:
    """Match by (kind, number); amounts of repeated bill rows for one number are summed."""
    ours: dict[tuple[EntryKind, str], OurEntry] = {}
    for entry in our_orders:
        if entry.key in ours:
            raise ValueError(f"our records list {entry.key} twice")
        ours[entry.key] = entry
    theirs: dict[tuple[EntryKind, str], list[BillRow]] = defaultdict(list)
    for row in bill_rows:
        theirs[row.key].append(row)
    matched: list[str] = []
    mismatched: list[AmountMismatchLine] = []
    for key in sorted(ours.keys() & theirs.keys()):
        total = sum(r.amount_fen for r in theirs[key])
        if total == ours[key].amount_fen:
            matched.append(key[1])
        else:
            mismatched.append(AmountMismatchLine(key[0], key[1], ours[key].amount_fen, total))
    return Reconciliation(
        matched=tuple(matched),
        missing_ours=tuple(r for key in sorted(theirs.keys() - ours.keys()) for r in theirs[key]),
        missing_theirs=tuple(ours[key] for key in sorted(ours.keys() - theirs.keys())),
        amount_mismatch=tuple(mismatched),
    )
