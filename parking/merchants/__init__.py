"""Merchants (商户) who buy parking coupons for their customers."""
