"""Accounts: operators, roles and permissions, partner API keys, and the operator audit log."""
