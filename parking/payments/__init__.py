"""Payments: orders, channels, callbacks, refunds, settlement and reconciliation."""
