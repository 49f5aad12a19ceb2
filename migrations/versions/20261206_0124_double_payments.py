"""double payments: marked on the order, counted in reconciliation; parallel open orders per request

Revision ID: 0124
Revises: 0123
Create Date: 2026-12-06 03:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0124"
down_revision: str | None = "0123"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OPEN_ORDER = "session_id IS NOT NULL AND status IN ('created', 'paying')"
DOUBLE_PAID = "double_payment IS NOT NULL"
DOUBLE_PAYMENT = sa.Enum(
    "already_settled",
    "paid_after_close",
    "second_transaction",
    name="doublepayment",
    native_enum=False,
    length=32,
)


def upgrade() -> None:
    # A stay may now have several open orders, one per request (channel, payer, amount): a second payer's
    # request never closes the first one's order.
    op.drop_index("uq_open_order_session", table_name="payment_orders")
    op.create_index(
        "uq_open_order_request",
        "payment_orders",
        ["session_id", "channel", "payer_key", "amount_fen"],
        unique=True,
        postgresql_where=sa.text(OPEN_ORDER),
        sqlite_where=sa.text(OPEN_ORDER),
    )
    with op.batch_alter_table("payment_orders") as batch:
        batch.add_column(sa.Column("double_payment", DOUBLE_PAYMENT, nullable=True))
    # Partial: only the few double payments are indexed.
    op.create_index(
        "ix_payment_orders_double_payment",
        "payment_orders",
        ["double_payment"],
        postgresql_where=sa.text(DOUBLE_PAID),
        sqlite_where=sa.text(DOUBLE_PAID),
    )
    with op.batch_alter_table("reconciliation_runs") as batch:
        batch.add_column(sa.Column("double_payment_count", sa.Integer(), server_default="0", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("reconciliation_runs") as batch:
        batch.drop_column("double_payment_count")
    op.drop_index("ix_payment_orders_double_payment", table_name="payment_orders")
    with op.batch_alter_table("payment_orders") as batch:
        batch.drop_column("double_payment")
    op.drop_index("uq_open_order_request", table_name="payment_orders")
    op.create_index(
        "uq_open_order_session",
        "payment_orders",
        ["session_id"],
        unique=True,
        postgresql_where=sa.text(OPEN_ORDER),
        sqlite_where=sa.text(OPEN_ORDER),
    )
