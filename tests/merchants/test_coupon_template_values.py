"""Coupon template values per kind, and the merchant scope's containment (pure: no database)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from parking.common.errors import DomainError, ErrorCode
from parking.common.scope import Scope, ScopeLevel
from parking.merchants.models import CouponKind
from parking.merchants.templates import check_value

VALID = {
    CouponKind.PERCENT: lambda v: 1 <= v <= 99,
    CouponKind.UNTIL: lambda v: 0 <= v <= 1439,
    CouponKind.MINUTES: lambda v: v > 0,
    CouponKind.AMOUNT: lambda v: v > 0,
    CouponKind.FULL: lambda v: v == 0,
}


@given(kind=st.sampled_from(list(CouponKind)), value=st.integers(min_value=-(10**9), max_value=10**9))
def test_a_value_is_accepted_exactly_when_its_kind_allows_it(kind: CouponKind, value: int) -> None:
    if VALID[kind](value):
        check_value(kind, value)
        return
    with pytest.raises(DomainError) as refused:
        check_value(kind, value)
    assert (refused.value.code, refused.value.field) == (ErrorCode.INVALID, "value")


LOT = Scope(ScopeLevel.LOT, 1, 2, frozenset({3, 4}))
MERCHANT = Scope(ScopeLevel.LOT, 1, 2, frozenset({3}), merchant_id=7)
OTHER_MERCHANT = Scope(ScopeLevel.LOT, 1, 2, frozenset({3}), merchant_id=8)


@pytest.mark.parametrize(
    ("holder", "other", "contained"),
    [
        (LOT, MERCHANT, True),  # the lot side manages its merchants' operators
        (MERCHANT, LOT, False),  # a merchant operator never manages a lot-side principal
        (MERCHANT, OTHER_MERCHANT, False),
        (MERCHANT, MERCHANT, True),
        (Scope.platform(), MERCHANT, True),
    ],
)
def test_a_merchant_scope_contains_only_its_own_merchant(holder: Scope, other: Scope, contained: bool) -> None:
    assert holder.narrower_or_equal(other) is contained
