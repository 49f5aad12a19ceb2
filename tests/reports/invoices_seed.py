"""E-invoices over ``seed.seed_reports``'s orders, for the invoice details report (times Shanghai local; lot A1a
invoices at 6%, lot A1b has no invoicing settings and counts at the default 9%):

| inv | lot | buyer                          | amount | orders    | issued     | reversed  | tax at its rate |
| I1  | A1a | 个人 张三                       |  1000  | RP1       | D0 10:00   |           | 57  (56.60)     |
| I2  | A1a | 单位 深圳停车 91440300MA5ABCDE12 | 22000  | RP3, RPR  | D1 11:00   | D2 09:00  | 1245 (1245.28)  |
| I3  | A1a | 个人 李四 (requested, not issued)|   700  | RP1       |            |           |                 |
| I4  | A1a | 单位 前海公司 914403001234567890  |   500  | RP1       | D0-1 18:00 | D1 10:00  | 28  (28.30)     |
| I5  | A1b | 个人 王五                       |   333  | RP1       | D2 08:00   |           | 27  (27.50-)    |
| IB  | B1a | 个人 (customer B1's)             |  9900  | RPB       | D0 12:00   |           |                 |

Over D0..D2: rows I5, I2, I1, I4 (latest issue first); issued 3 = 23333 fen, tax 1329; reversed 2 (I2 on D2,
I4 on D1) = 22500, tax 1273; net 833, tax 56. I5's tax: 333 × 90 / 1090 = 27.49… → 27.
"""

from __future__ import annotations

from sqlalchemy import select

from parking.common.database import Database
from parking.common.scope import Scope
from parking.invoices.models import BuyerKind, Invoice, InvoiceStatus, LotInvoiceSettings
from parking.payments.models import OrderStatus, PaymentChannel, PaymentOrder, PaymentPurpose
from parking.tenancy.models import Lot
from tests.factories import World
from tests.reports.seed import Days


async def seed_invoices(db: Database, world: World, days: Days) -> dict[str, int]:
    """The invoices above (after ``seed_reports``); their ids by name."""
    async with db.transaction(Scope.internal()) as s:
        lots = {n: await s.get(Lot, world.ids[f"lot:{n}"]) for n in ("A1a", "A1b", "B1a")}
        orders = {str(no): int(i) for no, i in await s.execute(select(PaymentOrder.out_trade_no, PaymentOrder.id))}

        def owned(name: str) -> dict[str, int]:
            lot = lots[name]
            assert lot is not None
            return {"agent_id": lot.agent_id, "customer_id": lot.customer_id, "lot_id": lot.id}

        s.add(
            LotInvoiceSettings(
                **owned("A1a"), seller_name="A1a停车场", seller_tax_number="91440300000000000X", tax_rate_permille=60
            )
        )
        other = PaymentOrder(
            **owned("B1a"),
            out_trade_no="RPB",
            channel=PaymentChannel.CASH,
            purpose=PaymentPurpose.PARKING_EXIT,
            status=OrderStatus.PAID,
            amount_fen=9900,
            paid_at=days.at(0, 11),
        )
        s.add(other)
        await s.flush()
        orders["RPB"] = other.id
        ids: dict[str, int] = {}

        def invoice(
            name: str, lot: str, kind: BuyerKind, title: str, amount: int, paid: list[str], **rest: object
        ) -> None:
            row = Invoice(
                **owned(lot),
                order_id=orders[paid[0]],
                order_ids=[orders[p] for p in paid],
                buyer_kind=kind,
                title=title,
                amount_fen=amount,
                **rest,
            )
            s.add(row)
            rows[name] = row

        rows: dict[str, Invoice] = {}
        personal, company = BuyerKind.PERSONAL, BuyerKind.COMPANY
        issued, reversed_ = InvoiceStatus.ISSUED, InvoiceStatus.REVERSED
        invoice(
            "I1", "A1a", personal, "张三", 1000, ["RP1"], status=issued, issued_at=days.at(0, 10), number="26010001"
        )
        invoice(
            "I2",
            "A1a",
            company,
            "深圳停车有限公司",
            22000,
            ["RP3", "RPR"],
            tax_number="91440300MA5ABCDE12",
            status=reversed_,
            issued_at=days.at(1, 11),
            reversed_at=days.at(2, 9),
            number="26010002",
            red_number="HZ0002",
        )
        invoice("I3", "A1a", personal, "李四", 700, ["RP1"], status=InvoiceStatus.REQUESTED)
        invoice(
            "I4",
            "A1a",
            company,
            "前海公司",
            500,
            ["RP1"],
            tax_number="914403001234567890",
            status=reversed_,
            issued_at=days.at(-1, 18),
            reversed_at=days.at(1, 10),
            number="26009999",
        )
        invoice("I5", "A1b", personal, "王五", 333, ["RP1"], status=issued, issued_at=days.at(2, 8), number="26010005")
        invoice("IB", "B1a", personal, "B1", 9900, ["RPB"], status=issued, issued_at=days.at(0, 12), number="26019999")
        await s.flush()
        ids.update({name: row.id for name, row in rows.items()})
    return ids
