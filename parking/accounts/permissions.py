"""The permission catalogue: menu-level (``*.view``) and operation-level codes, as in the CITEK manual §3.10."""

from __future__ import annotations

from enum import StrEnum


class Perm(StrEnum):
    DASHBOARD_VIEW = "dashboard.view"
    AGENTS_VIEW = "agents.view"
    AGENTS_MANAGE = "agents.manage"
    CUSTOMERS_VIEW = "customers.view"
    CUSTOMERS_MANAGE = "customers.manage"
    LOTS_VIEW = "lots.view"
    LOTS_MANAGE = "lots.manage"
    DEVICES_VIEW = "devices.view"
    DEVICES_MANAGE = "devices.manage"
    OWNERS_VIEW = "owners.view"
    OWNERS_MANAGE = "owners.manage"
    PASSES_MANAGE = "passes.manage"
    TARIFFS_VIEW = "tariffs.view"
    TARIFFS_MANAGE = "tariffs.manage"
    RECORDS_VIEW = "records.view"
    ALARMS_VIEW = "alarms.view"
    ALARMS_HANDLE = "alarms.handle"
    GATE_REMOTE_OPEN = "gate.remote_open"
    SESSIONS_CORRECT = "sessions.correct"
    FEES_WAIVE = "fees.waive"
    CASH_COLLECT = "cash.collect"
    FINANCE_VIEW = "finance.view"
    REFUNDS_REQUEST = "refunds.request"
    REFUNDS_APPROVE = "refunds.approve"
    MERCHANTS_MANAGE = "merchants.manage"
    FAULTS_MANAGE = "faults.manage"
    OPERATORS_VIEW = "operators.view"
    OPERATORS_MANAGE = "operators.manage"
    ROLES_MANAGE = "roles.manage"
    API_KEYS_MANAGE = "api_keys.manage"
    AUDIT_VIEW = "audit.view"
    # A merchant's operator (商户): issue its coupons, buy packs, see its own statistics.
    COUPONS_ISSUE = "coupons.issue"
    COUPONS_BUY = "coupons.buy"
    MERCHANT_STATS_VIEW = "merchant_stats.view"


# Menus of the dashboard and the permissions each one groups (what the role editor shows as a tree).
MENUS: dict[str, tuple[Perm, ...]] = {
    "dashboard": (Perm.DASHBOARD_VIEW,),
    "tenancy": (
        Perm.AGENTS_VIEW,
        Perm.AGENTS_MANAGE,
        Perm.CUSTOMERS_VIEW,
        Perm.CUSTOMERS_MANAGE,
        Perm.LOTS_VIEW,
        Perm.LOTS_MANAGE,
    ),
    "owners": (Perm.OWNERS_VIEW, Perm.OWNERS_MANAGE, Perm.PASSES_MANAGE),
    "records": (Perm.RECORDS_VIEW, Perm.ALARMS_VIEW),
    "cloud_seat": (
        Perm.ALARMS_HANDLE,
        Perm.GATE_REMOTE_OPEN,
        Perm.SESSIONS_CORRECT,
        Perm.FEES_WAIVE,
        Perm.CASH_COLLECT,
    ),
    "finance": (Perm.FINANCE_VIEW, Perm.REFUNDS_REQUEST, Perm.REFUNDS_APPROVE, Perm.MERCHANTS_MANAGE),
    "tariffs": (Perm.TARIFFS_VIEW, Perm.TARIFFS_MANAGE),
    "devices": (Perm.DEVICES_VIEW, Perm.DEVICES_MANAGE, Perm.FAULTS_MANAGE),
    "settings": (
        Perm.OPERATORS_VIEW,
        Perm.OPERATORS_MANAGE,
        Perm.ROLES_MANAGE,
        Perm.API_KEYS_MANAGE,
        Perm.AUDIT_VIEW,
    ),
    "merchant": (Perm.COUPONS_ISSUE, Perm.COUPONS_BUY, Perm.MERCHANT_STATS_VIEW),
}

ALL_PERMISSIONS: frozenset[str] = frozenset(p.value for p in Perm)

# All a merchant's operator can ever hold, whatever its role lists: it never reaches the lot side.
MERCHANT_PERMISSIONS: frozenset[str] = frozenset(p.value for p in MENUS["merchant"])
