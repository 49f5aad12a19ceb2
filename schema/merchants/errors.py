"""The error type every merchant and coupon mutation answers with."""

from __future__ import annotations

import strawberry

from parking.merchants.errors import MerchantErrorCode
from schema.core.errors import Error, error_codes

error_codes(MerchantErrorCode, "a merchant")


@strawberry.type
class MerchantError(Error):
    code: MerchantErrorCode
    message: str
    field: str | None = None
