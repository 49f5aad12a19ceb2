"""report rollups: daily rollup rows per lot, the days computed, dirty marks and the sweep's watermark

Revision ID: 0133d
Revises: 0133i
Create Date: 2026-12-06 21:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0133d"
down_revision: str | None = "0133i"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _owner_columns(table: str) -> list[sa.Column]:  # type: ignore[type-arg]
    return [
        sa.Column("agent_id", BigId, sa.ForeignKey("agents.id", name=f"fk_{table}_agent_id_agents"), nullable=False),
        sa.Column(
            "customer_id",
            BigId,
            sa.ForeignKey("customers.id", name=f"fk_{table}_customer_id_customers"),
            nullable=False,
        ),
        sa.Column(
            "lot_id",
            BigId,
            sa.ForeignKey("lots.id", name=f"fk_{table}_lot_id_lots", ondelete="CASCADE"),
            nullable=False,
        ),
    ]


def _owner_indexes(table: str) -> None:
    for column in ("agent_id", "customer_id", "lot_id"):
        op.create_index(f"ix_{table}_{column}", table, [column])


def upgrade() -> None:
    measures = [
        sa.Column("entries", sa.Integer(), nullable=False),
        sa.Column("exits", sa.Integer(), nullable=False),
        sa.Column("stay_minutes", sa.BigInteger(), nullable=False),
        sa.Column("paid_fen", sa.BigInteger(), nullable=False),
        sa.Column("payments", sa.Integer(), nullable=False),
        sa.Column("refunded_fen", sa.BigInteger(), nullable=False),
        sa.Column("refunds", sa.Integer(), nullable=False),
        sa.Column("discount_fen", sa.BigInteger(), nullable=False),
        sa.Column("coupon_fen", sa.BigInteger(), nullable=False),
        sa.Column("waived_fen", sa.BigInteger(), nullable=False),
    ]
    op.create_table(
        "report_daily",
        sa.Column("id", BigId, primary_key=True, autoincrement=True),
        *_owner_columns("report_daily"),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("hour", sa.Integer(), nullable=False),
        sa.Column("lane_id", BigId, nullable=False),
        sa.Column("vehicle_class", sa.String(32), nullable=False),
        sa.Column("category", sa.String(32), nullable=False),
        sa.Column("channel", sa.String(32), nullable=False),
        sa.Column("purpose", sa.String(32), nullable=False),
        *measures,
        sa.PrimaryKeyConstraint("id", name="pk_report_daily"),
    )
    _owner_indexes("report_daily")
    op.create_index("ix_report_daily_lot_day", "report_daily", ["lot_id", "day"])
    op.create_index("ix_report_daily_day", "report_daily", ["day"])
    op.create_table(
        "report_days",
        sa.Column("id", BigId, primary_key=True, autoincrement=True),
        *_owner_columns("report_days"),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_report_days"),
        sa.UniqueConstraint("lot_id", "day", name="uq_report_days_lot_id_day"),
    )
    _owner_indexes("report_days")
    op.create_index("ix_report_days_day", "report_days", ["day"])
    op.create_table(
        "report_dirty_days",
        sa.Column("id", BigId, primary_key=True, autoincrement=True),
        sa.Column(
            "lot_id",
            BigId,
            sa.ForeignKey("lots.id", name="fk_report_dirty_days_lot_id_lots", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("marked_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_report_dirty_days"),
        sa.UniqueConstraint("lot_id", "day", name="uq_report_dirty_days_lot_id_day"),
    )
    op.create_table(
        "report_sweeps",
        sa.Column("source", sa.String(64), nullable=False),
        sa.Column("swept_to", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("source", name="pk_report_sweeps"),
    )
    op.create_index("ix_report_sweep_parking_sessions", "parking_sessions", ["updated_at"])
    op.create_index("ix_report_sweep_payment_orders", "payment_orders", ["updated_at"])
    op.create_index("ix_report_sweep_refunds", "refunds", ["updated_at"])


def downgrade() -> None:
    op.drop_index("ix_report_sweep_refunds", table_name="refunds")
    op.drop_index("ix_report_sweep_payment_orders", table_name="payment_orders")
    op.drop_index("ix_report_sweep_parking_sessions", table_name="parking_sessions")
    op.drop_table("report_sweeps")
    op.drop_table("report_dirty_days")
    op.drop_table("report_days")
    op.drop_table("report_daily")
