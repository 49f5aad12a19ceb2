"""payment flow: at most one open payment order per parking session

Revision ID: 0070
Revises: 0002
Create Date: 2026-11-21 20:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0070"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OPEN_ORDER = "session_id IS NOT NULL AND status IN ('created', 'paying')"


def upgrade() -> None:
    op.create_index(
        "uq_open_order_session",
        "payment_orders",
        ["session_id"],
        unique=True,
        postgresql_where=sa.text(OPEN_ORDER),
        sqlite_where=sa.text(OPEN_ORDER),
    )


def downgrade() -> None:
    op.drop_index("uq_open_order_session", table_name="payment_orders")
