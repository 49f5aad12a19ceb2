"""settlement: daily statements per lot (with per-channel lines) and channel bill reconciliations

Revision ID: 0104
Revises: 0020
Create Date: 2026-11-21 22:45:44.164436
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import parking.common.db

revision: str = "0104"
down_revision: str | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "reconciliation_runs",
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("bill_rows", sa.Integer(), nullable=False),
        sa.Column("matched_count", sa.Integer(), nullable=False),
        sa.Column("missing_ours_count", sa.Integer(), nullable=False),
        sa.Column("missing_theirs_count", sa.Integer(), nullable=False),
        sa.Column("amount_mismatch_count", sa.Integer(), nullable=False),
        sa.Column("produced_at", parking.common.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("created_at", parking.common.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", parking.common.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reconciliation_runs")),
        sa.UniqueConstraint("channel", "day", name=op.f("uq_reconciliation_runs_channel_day")),
    )
    with op.batch_alter_table("reconciliation_runs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_reconciliation_runs_day"), ["day"], unique=False)

    op.create_table(
        "reconciliation_items",
        sa.Column("run_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "result",
            sa.Enum(
                "matched",
                "missing_ours",
                "missing_theirs",
                "amount_mismatch",
                name="reconciliationresult",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column(
            "entry_kind", sa.Enum("payment", "refund", name="entrykind", native_enum=False, length=32), nullable=False
        ),
        sa.Column("number", sa.String(length=64), nullable=False),
        sa.Column("out_trade_no", sa.String(length=64), nullable=False),
        sa.Column("ours_fen", sa.Integer(), nullable=True),
        sa.Column("theirs_fen", sa.Integer(), nullable=True),
        sa.Column("their_fee_fen", sa.Integer(), nullable=True),
        sa.Column("transaction_id", sa.String(length=64), nullable=False),
        sa.Column("agent_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("customer_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("lot_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.ForeignKeyConstraint(["agent_id"], ["agents.id"], name=op.f("fk_reconciliation_items_agent_id_agents")),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customers.id"], name=op.f("fk_reconciliation_items_customer_id_customers")
        ),
        sa.ForeignKeyConstraint(
            ["lot_id"], ["lots.id"], name=op.f("fk_reconciliation_items_lot_id_lots"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["reconciliation_runs.id"],
            name=op.f("fk_reconciliation_items_run_id_reconciliation_runs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reconciliation_items")),
    )
    with op.batch_alter_table("reconciliation_items", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_reconciliation_items_lot_id"), ["lot_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_reconciliation_items_run_id"), ["run_id"], unique=False)

    op.create_table(
        "settlement_statements",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("fee_rate_ppm", sa.Integer(), nullable=False),
        sa.Column("produced_at", parking.common.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("created_at", parking.common.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", parking.common.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("agent_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("customer_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("lot_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("payments_count", sa.Integer(), nullable=False),
        sa.Column("gross_fen", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("refunds_count", sa.Integer(), nullable=False),
        sa.Column("refunds_fen", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("fee_fen", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("net_fen", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.ForeignKeyConstraint(["agent_id"], ["agents.id"], name=op.f("fk_settlement_statements_agent_id_agents")),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customers.id"], name=op.f("fk_settlement_statements_customer_id_customers")
        ),
        sa.ForeignKeyConstraint(
            ["lot_id"], ["lots.id"], name=op.f("fk_settlement_statements_lot_id_lots"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_settlement_statements")),
        sa.UniqueConstraint("lot_id", "day", name=op.f("uq_settlement_statements_lot_id_day")),
    )
    with op.batch_alter_table("settlement_statements", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_settlement_statements_agent_id"), ["agent_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_settlement_statements_customer_id"), ["customer_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_settlement_statements_day"), ["day"], unique=False)
        batch_op.create_index(batch_op.f("ix_settlement_statements_lot_id"), ["lot_id"], unique=False)

    op.create_table(
        "settlement_lines",
        sa.Column("statement_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column(
            "channel",
            sa.Enum(
                "wechat_jsapi",
                "wechat_native",
                "wechat_parking",
                "alipay_qr",
                "alipay_mini",
                "cash",
                "booth",
                "wallet",
                name="paymentchannel",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("agent_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("customer_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("lot_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("payments_count", sa.Integer(), nullable=False),
        sa.Column("gross_fen", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("refunds_count", sa.Integer(), nullable=False),
        sa.Column("refunds_fen", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("fee_fen", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("net_fen", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.ForeignKeyConstraint(["agent_id"], ["agents.id"], name=op.f("fk_settlement_lines_agent_id_agents")),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customers.id"], name=op.f("fk_settlement_lines_customer_id_customers")
        ),
        sa.ForeignKeyConstraint(
            ["lot_id"], ["lots.id"], name=op.f("fk_settlement_lines_lot_id_lots"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["statement_id"],
            ["settlement_statements.id"],
            name=op.f("fk_settlement_lines_statement_id_settlement_statements"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_settlement_lines")),
        sa.UniqueConstraint("statement_id", "channel", name=op.f("uq_settlement_lines_statement_id_channel")),
    )
    with op.batch_alter_table("settlement_lines", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_settlement_lines_agent_id"), ["agent_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_settlement_lines_customer_id"), ["customer_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_settlement_lines_day"), ["day"], unique=False)
        batch_op.create_index(batch_op.f("ix_settlement_lines_lot_id"), ["lot_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("settlement_lines", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_settlement_lines_lot_id"))
        batch_op.drop_index(batch_op.f("ix_settlement_lines_day"))
        batch_op.drop_index(batch_op.f("ix_settlement_lines_customer_id"))
        batch_op.drop_index(batch_op.f("ix_settlement_lines_agent_id"))

    op.drop_table("settlement_lines")
    with op.batch_alter_table("settlement_statements", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_settlement_statements_lot_id"))
        batch_op.drop_index(batch_op.f("ix_settlement_statements_day"))
        batch_op.drop_index(batch_op.f("ix_settlement_statements_customer_id"))
        batch_op.drop_index(batch_op.f("ix_settlement_statements_agent_id"))

    op.drop_table("settlement_statements")
    with op.batch_alter_table("reconciliation_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reconciliation_items_run_id"))
        batch_op.drop_index(batch_op.f("ix_reconciliation_items_lot_id"))

    op.drop_table("reconciliation_items")
    with op.batch_alter_table("reconciliation_runs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reconciliation_runs_day"))

    op.drop_table("reconciliation_runs")
