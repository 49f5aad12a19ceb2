"""e-invoices: a lot's invoicing settings, the orders an invoice covers, the invoice's provider state

Revision ID: 0133i
Revises: 0132r
Create Date: 2026-12-06 20:39:01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import parking.common.db

revision: str = "0133i"
down_revision: str | None = "0132r"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "lot_invoice_settings",
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("seller_name", sa.String(length=100), nullable=False),
        sa.Column("seller_tax_number", sa.String(length=20), nullable=False),
        sa.Column("seller_address", sa.String(length=100), nullable=False),
        sa.Column("seller_phone", sa.String(length=20), nullable=False),
        sa.Column("seller_bank_account", sa.String(length=100), nullable=False),
        sa.Column("clerk", sa.String(length=20), nullable=False),
        sa.Column("tax_rate_permille", sa.Integer(), nullable=False),
        sa.Column("goods_code", sa.String(length=19), nullable=False),
        sa.Column("goods_name", sa.String(length=90), nullable=False),
        sa.Column("deadline_days", sa.Integer(), nullable=False),
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("created_at", parking.common.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", parking.common.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("agent_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("customer_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("lot_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.CheckConstraint("deadline_days >= 1", name=op.f("ck_lot_invoice_settings_deadline_positive")),
        sa.CheckConstraint(
            "tax_rate_permille >= 0 AND tax_rate_permille <= 170",
            name=op.f("ck_lot_invoice_settings_tax_rate_in_range"),
        ),
        sa.ForeignKeyConstraint(["agent_id"], ["agents.id"], name=op.f("fk_lot_invoice_settings_agent_id_agents")),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customers.id"], name=op.f("fk_lot_invoice_settings_customer_id_customers")
        ),
        sa.ForeignKeyConstraint(
            ["lot_id"], ["lots.id"], name=op.f("fk_lot_invoice_settings_lot_id_lots"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lot_invoice_settings")),
        sa.UniqueConstraint("lot_id", name=op.f("uq_lot_invoice_settings_lot_id")),
    )
    with op.batch_alter_table("lot_invoice_settings", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_lot_invoice_settings_agent_id"), ["agent_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_lot_invoice_settings_customer_id"), ["customer_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_lot_invoice_settings_lot_id"), ["lot_id"], unique=False)

    op.create_table(
        "invoice_orders",
        sa.Column("order_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("invoice_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.ForeignKeyConstraint(
            ["invoice_id"], ["invoices.id"], name=op.f("fk_invoice_orders_invoice_id_invoices"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["order_id"], ["payment_orders.id"], name=op.f("fk_invoice_orders_order_id_payment_orders")
        ),
        sa.PrimaryKeyConstraint("order_id", name=op.f("pk_invoice_orders")),
    )
    with op.batch_alter_table("invoice_orders", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_invoice_orders_invoice_id"), ["invoice_id"], unique=False)

    with op.batch_alter_table("invoices", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "order_ids",
                sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
                server_default="[]",
                nullable=False,
            )
        )
        batch_op.add_column(sa.Column("openid", sa.String(length=64), server_default="", nullable=False))
        batch_op.add_column(
            sa.Column(
                "buyer_kind",
                sa.Enum("personal", "company", name="buyerkind", native_enum=False, length=32),
                server_default="personal",
                nullable=False,
            )
        )
        batch_op.add_column(sa.Column("serial_no", sa.String(length=64), server_default="", nullable=False))
        batch_op.add_column(sa.Column("pdf_url", sa.String(length=500), server_default="", nullable=False))
        batch_op.add_column(sa.Column("attempts", sa.Integer(), server_default="0", nullable=False))
        batch_op.add_column(sa.Column("last_error", sa.String(length=200), server_default="", nullable=False))
        batch_op.add_column(sa.Column("red_serial_no", sa.String(length=64), server_default="", nullable=False))
        batch_op.add_column(sa.Column("red_number", sa.String(length=32), server_default="", nullable=False))
        batch_op.add_column(sa.Column("reversed_at", parking.common.db.UTCDateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f("ix_invoices_openid"), ["openid"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("invoices", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_invoices_openid"))
        batch_op.drop_column("reversed_at")
        batch_op.drop_column("red_number")
        batch_op.drop_column("red_serial_no")
        batch_op.drop_column("last_error")
        batch_op.drop_column("attempts")
        batch_op.drop_column("pdf_url")
        batch_op.drop_column("serial_no")
        batch_op.drop_column("buyer_kind")
        batch_op.drop_column("openid")
        batch_op.drop_column("order_ids")

    with op.batch_alter_table("invoice_orders", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_invoice_orders_invoice_id"))

    op.drop_table("invoice_orders")
    with op.batch_alter_table("lot_invoice_settings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_lot_invoice_settings_lot_id"))
        batch_op.drop_index(batch_op.f("ix_lot_invoice_settings_customer_id"))
        batch_op.drop_index(batch_op.f("ix_lot_invoice_settings_agent_id"))

    op.drop_table("lot_invoice_settings")
