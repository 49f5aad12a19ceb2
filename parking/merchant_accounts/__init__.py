"""Merchant operators (商户账号): a merchant's staff sign in with the ordinary operator login and act for it."""
