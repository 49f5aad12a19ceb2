"""The e-invoice provider's accounts from the credentials file (``PARKCLOUD_PAYMENT_CREDENTIALS``), beside the
payment channels' keys: section ``nuonuo`` = ``{"base_url"?, "accounts": {"<seller tax number>": {"app_key",
"app_secret", "access_token"}}}``. Secrets stay in that file: never in the database or an API answer."""

from __future__ import annotations

import json
import logging
from pathlib import Path

from parking.invoices.nuonuo import NUONUO_URL, NuonuoAccount, NuonuoConfig, NuonuoProviders

logger = logging.getLogger(__name__)


def load_invoice_providers(credentials: Path | None) -> NuonuoProviders:
    """The configured Nuonuo accounts (none without a file or a ``nuonuo`` section)."""
    if credentials is None or not credentials.exists():
        return NuonuoProviders(NuonuoConfig(accounts={}))
    section = json.loads(credentials.read_text()).get("nuonuo") or {}
    accounts = {tax: NuonuoAccount(**keys) for tax, keys in (section.get("accounts") or {}).items()}
    logger.info("e-invoice provider: nuonuo with %s seller account(s)", len(accounts))
    return NuonuoProviders(NuonuoConfig(accounts=accounts, base_url=section.get("base_url") or NUONUO_URL))
