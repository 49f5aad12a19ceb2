"""driver messages: one subscribe message (entry notification) per stay and kind, and what WeChat answered

Revision ID: 0109
Revises: 0103
Create Date: 2026-11-22 00:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import parking.common.db

revision: str = "0109"
down_revision: str | None = "0103"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "driver_messages",
        sa.Column("session_id", _ID, nullable=False),
        sa.Column("kind", sa.Enum("entry", name="messagekind", native_enum=False, length=32), nullable=False),
        sa.Column(
            "status",
            sa.Enum("pending", "sent", "refused", name="messagestatus", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column("openid", sa.String(length=64), nullable=False),
        sa.Column("template_id", sa.String(length=64), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("errcode", sa.Integer(), nullable=False),
        sa.Column("msgid", sa.String(length=32), nullable=False),
        sa.Column("claimed_until", parking.common.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("id", _ID, autoincrement=True, nullable=False),
        sa.Column("created_at", parking.common.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", parking.common.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("agent_id", _ID, nullable=False),
        sa.Column("customer_id", _ID, nullable=False),
        sa.Column("lot_id", _ID, nullable=False),
        sa.ForeignKeyConstraint(["agent_id"], ["agents.id"], name=op.f("fk_driver_messages_agent_id_agents")),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customers.id"], name=op.f("fk_driver_messages_customer_id_customers")
        ),
        sa.ForeignKeyConstraint(
            ["lot_id"], ["lots.id"], name=op.f("fk_driver_messages_lot_id_lots"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["parking_sessions.id"],
            name=op.f("fk_driver_messages_session_id_parking_sessions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_driver_messages")),
        sa.UniqueConstraint("session_id", "kind", name=op.f("uq_driver_messages_session_id_kind")),
    )
    with op.batch_alter_table("driver_messages", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_driver_messages_agent_id"), ["agent_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_driver_messages_customer_id"), ["customer_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_driver_messages_lot_id"), ["lot_id"], unique=False)


def downgrade() -> None:
    op.drop_table("driver_messages")
