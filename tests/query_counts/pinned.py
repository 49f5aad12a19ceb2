"""The pinned statement count of each operation: a change that adds a statement fails its test here.

SQLite and PostgreSQL differ only on the lane: its last writes are one statement on PostgreSQL and run one
by one on SQLite (parking/lanes/last_writes.py). The counts hold for any number of rows: every operation is
measured with 2 and with 5 rows of each kind (tests/query_counts/seed.py).
"""

from __future__ import annotations

from typing import NamedTuple


class Pin(NamedTuple):
    """Statements with 5 rows per list; ``per_row`` is a known query per row (an N+1 not fixed yet)."""

    sqlite: int
    postgres: int
    per_row: int = 0


PINNED: dict[str, Pin] = {
    # The lane hot path through POST /devices/vzenith/push, caches warm.
    "lane_entry": Pin(sqlite=9, postgres=6),
    "lane_exit_nothing_due": Pin(sqlite=11, postgres=8),
    "lane_exit_held_for_fee": Pin(sqlite=8, postgres=7),
    # At a lot with coupons: nothing_due + the plate's coupons (one query) + redeeming the one used (one UPDATE).
    "lane_exit_paid_by_coupon": Pin(sqlite=13, postgres=10),
    # GraphQL: the dashboard's documents (clients/web/src/graphql), a quote, the cloud seat's mutations.
    "agents": Pin(sqlite=3, postgres=3),
    "alarm_acknowledge": Pin(sqlite=5, postgres=5),
    "alarms": Pin(sqlite=3, postgres=3),
    "audit_log": Pin(sqlite=3, postgres=3),
    "console_lanes": Pin(sqlite=7, postgres=7),
    # The caller, its role, the merchant and template (one scoped read), then the writes: one statement of CTEs on
    # PostgreSQL (take from stock, coupon, audit entry), one by one on SQLite.
    "coupon_issue": Pin(sqlite=6, postgres=4),
    "customer_settlement": Pin(sqlite=5, postgres=5),
    "customers": Pin(sqlite=4, postgres=4),
    "my_shift": Pin(sqlite=5, postgres=5),
    "device_commands": Pin(sqlite=3, postgres=3),
    "device_refusals": Pin(sqlite=3, postgres=3),
    "devices": Pin(sqlite=4, postgres=4),
    "gate_commands": Pin(sqlite=3, postgres=3),
    "invoices": Pin(sqlite=3, postgres=3),
    "lane_events": Pin(sqlite=3, postgres=3),
    "lane_remote_open": Pin(sqlite=11, postgres=11),
    "lanes": Pin(sqlite=5, postgres=5),
    "lot_detail": Pin(sqlite=7, postgres=7),
    # Coupon reports: the caller's merchant (a merchant's operator), the lots' time zones, one aggregate query.
    "lot_coupon_statistics": Pin(sqlite=5, postgres=5),
    "lot_map": Pin(sqlite=4, postgres=4),
    "lots": Pin(sqlite=4, postgres=4),
    "me": Pin(sqlite=2, postgres=2),
    # The mini-program's driver queries (tests/drivers/test_counts.py): the plates, then which are proven.
    "my_plates": Pin(sqlite=2, postgres=2),
    # Lots in the box, then their small-car tariffs: whatever the number of lots.
    "lots_nearby": Pin(sqlite=2, postgres=2),
    # The active lots' payment settings (the template ids), one statement whatever the number of lots.
    "subscribe_templates": Pin(sqlite=1, postgres=1),
    # Proof, the page, the page's lot names.
    "plate_history": Pin(sqlite=3, postgres=3),
    "merchant_statistics": Pin(sqlite=5, postgres=5),
    "open_stays": Pin(sqlite=3, postgres=3),
    # N+1: each operator's `lots` is loaded by a query of its own (one per lot-level operator).
    "operators": Pin(sqlite=9, postgres=9, per_row=1),
    "overview": Pin(sqlite=6, postgres=6),
    "owners": Pin(sqlite=5, postgres=5),
    # The records page: the page, then one batch each for lots, lanes (entry and exit together), the stays' lane
    # events (their pictures), their recognitions (the plate crops) and their coupons.
    "parking_sessions": Pin(sqlite=8, postgres=8),
    "passes": Pin(sqlite=6, postgres=6),
    "payment_orders": Pin(sqlite=3, postgres=3),
    "quote_fee": Pin(sqlite=4, postgres=4),
    "quote_fee_by_plate": Pin(sqlite=6, postgres=6),
    "refund_request": Pin(sqlite=6, postgres=6),
    "refunds": Pin(sqlite=3, postgres=3),
    "roles": Pin(sqlite=3, postgres=3),
    "session_correct_plate": Pin(sqlite=6, postgres=6),
    # The stay's coupons (one query): the waiver forgives their part too and gives redeemed ones back.
    "session_waive_fee": Pin(sqlite=13, postgres=13),
    "settlement_statements": Pin(sqlite=4, postgres=4),
    "simulate_fees": Pin(sqlite=4, postgres=4),
    # The caller and its role only: the draft is priced without the database.
    "tariff_preview": Pin(sqlite=2, postgres=2),
    # The parking record drawer: the stay's readings and their lanes; its orders and their refunds.
    "stay_events": Pin(sqlite=4, postgres=4),
    "stay_payments": Pin(sqlite=4, postgres=4),
    "tariff_versions": Pin(sqlite=4, postgres=4),
    "vehicles": Pin(sqlite=5, postgres=5),
}
