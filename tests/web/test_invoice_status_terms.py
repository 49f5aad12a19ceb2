"""An invoice's status reads the same to a driver and a manager: the zh-CN term of each ``InvoiceStatus`` in the
mini-program's catalogue (``t.invoices.status``) is the dashboard's (``enum.InvoiceStatus.*``), and no two
statuses share a term in either (a manager tells a queued invoice, 待开票, from one at the provider, 开票中)."""

import re
from pathlib import Path

from parking.invoices.models import InvoiceStatus

ROOT = Path(__file__).resolve().parents[2]


def dashboard_terms() -> dict[str, str]:
    # i18n.ts holds the zh-CN catalogue alone (English is src/locales/en.ts, loaded when wanted).
    zh = (ROOT / "clients" / "web" / "src" / "i18n.ts").read_text(encoding="utf-8")
    return dict(re.findall(r"'enum\.InvoiceStatus\.(\w+)': '([^']*)'", zh))


def miniprogram_terms() -> dict[str, str]:
    text = (ROOT / "clients" / "miniprogram" / "src" / "locale" / "zh-CN.ts").read_text(encoding="utf-8")
    invoices = text[text.index("  invoices: {") :]
    block = re.search(r"\n    status: \{\n(.*?)\n    \}", invoices, re.S)
    assert block is not None
    return dict(re.findall(r"(\w+): '([^']*)'", block.group(1)))


def test_each_invoice_status_has_one_term_in_both_clients() -> None:
    statuses = {status.name for status in InvoiceStatus}
    web, mp = dashboard_terms(), miniprogram_terms()
    assert set(web) == statuses
    assert mp == web
    assert len(set(web.values())) == len(web)
    assert (web["REQUESTED"], web["ISSUING"], web["ISSUED"]) == ("待开票", "开票中", "已开票")
