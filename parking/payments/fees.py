"""Channel fee (手续费) per lot: integer fen, rounded half up like WeChat Pay and Alipay bills."""

from __future__ import annotations

from collections.abc import Mapping

from parking.payments.amounts import check_fen
from parking.payments.errors import InvalidAmount
from parking.tenancy.payment_settings import DEFAULT_RATE_PPM

PPM = 1_000_000


def channel_fee(amount_fen: int, rate_ppm: int = DEFAULT_RATE_PPM) -> int:
    """Fee in fen at ``rate_ppm`` parts per million, rounded half up (四舍五入) to the fen."""
    check_fen(amount_fen)
    if isinstance(rate_ppm, bool) or not isinstance(rate_ppm, int) or not 0 <= rate_ppm <= PPM:
        raise InvalidAmount(f"fee rate must be 0..{PPM} ppm, got {rate_ppm!r}")
    return (amount_fen * rate_ppm + PPM // 2) // PPM


def rate_for_lot(lot_rates_ppm: Mapping[str, int], lot_id: str) -> int:
    """The lot's negotiated rate, or the default 0.6%."""
    return lot_rates_ppm.get(lot_id, DEFAULT_RATE_PPM)
