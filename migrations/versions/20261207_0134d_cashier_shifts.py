"""cashier shifts: a booth cashier's shift (交接班) on a lot, closed with the cash counted

Revision ID: 0134d
Revises: 0133d
Create Date: 2026-12-07 01:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0134d"
down_revision: str | None = "0133d"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
OPEN_SHIFT = "closed_at IS NULL"


def upgrade() -> None:
    op.create_table(
        "cashier_shifts",
        sa.Column("id", BigId, primary_key=True, autoincrement=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "agent_id", BigId, sa.ForeignKey("agents.id", name="fk_cashier_shifts_agent_id_agents"), nullable=False
        ),
        sa.Column(
            "customer_id",
            BigId,
            sa.ForeignKey("customers.id", name="fk_cashier_shifts_customer_id_customers"),
            nullable=False,
        ),
        sa.Column(
            "lot_id",
            BigId,
            sa.ForeignKey("lots.id", name="fk_cashier_shifts_lot_id_lots", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column(
            "operator_id",
            BigId,
            sa.ForeignKey("operators.id", name="fk_cashier_shifts_operator_id_operators"),
            nullable=False,
        ),
        sa.Column(
            "lane_id",
            BigId,
            sa.ForeignKey("lanes.id", name="fk_cashier_shifts_lane_id_lanes", ondelete="SET NULL"),
            nullable=True,
        ),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("counted_cash_fen", sa.Integer(), nullable=True),
        sa.Column(
            "closed_by_id",
            BigId,
            sa.ForeignKey("operators.id", name="fk_cashier_shifts_closed_by_id_operators"),
            nullable=True,
        ),
        sa.Column("note", sa.String(200), nullable=False),
        sa.CheckConstraint(
            "counted_cash_fen IS NULL OR counted_cash_fen >= 0", name="ck_cashier_shifts_counted_non_negative"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_cashier_shifts"),
    )
    for column in ("agent_id", "customer_id", "lot_id"):
        op.create_index(f"ix_cashier_shifts_{column}", "cashier_shifts", [column])
    op.create_index("ix_cashier_shifts_lot_opened", "cashier_shifts", ["lot_id", "opened_at"])
    op.create_index(
        "uq_cashier_shifts_open_operator",
        "cashier_shifts",
        ["operator_id"],
        unique=True,
        postgresql_where=sa.text(OPEN_SHIFT),
        sqlite_where=sa.text(OPEN_SHIFT),
    )


def downgrade() -> None:
    op.drop_table("cashier_shifts")
