"""Payments (issue 7): pure order rules, notification checks, bills, WeChat Pay/Alipay adapters."""
