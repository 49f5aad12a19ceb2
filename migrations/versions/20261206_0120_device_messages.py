"""device messages: camera messages that are no plate reading (IO inputs, RS485 data, snapshots, unknown types)

Revision ID: 0120
Revises: 0115
Create Date: 2026-12-06 03:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import parking.common.db

revision: str = "0120"
down_revision: str | None = "0115"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "device_messages",
        sa.Column("device_id", _ID, nullable=False),
        sa.Column("lane_id", _ID, nullable=True),
        sa.Column(
            "kind",
            sa.Enum(
                "io_input",
                "serial_data",
                "snapshot",
                "unknown",
                "reversed",
                "dropped_fields",
                "open_by_push",
                name="devicemessagekind",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("at", parking.common.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("io_input", sa.Integer(), nullable=True),
        sa.Column("io_value", sa.Integer(), nullable=True),
        sa.Column("detail", sa.String(length=200), nullable=False),
        sa.Column("image_ref", sa.String(length=200), nullable=False),
        sa.Column("id", _ID, autoincrement=True, nullable=False),
        sa.Column("agent_id", _ID, nullable=False),
        sa.Column("customer_id", _ID, nullable=False),
        sa.Column("lot_id", _ID, nullable=False),
        sa.ForeignKeyConstraint(["agent_id"], ["agents.id"], name=op.f("fk_device_messages_agent_id_agents")),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customers.id"], name=op.f("fk_device_messages_customer_id_customers")
        ),
        sa.ForeignKeyConstraint(
            ["device_id"], ["devices.id"], name=op.f("fk_device_messages_device_id_devices"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["lane_id"], ["lanes.id"], name=op.f("fk_device_messages_lane_id_lanes"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["lot_id"], ["lots.id"], name=op.f("fk_device_messages_lot_id_lots"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_device_messages")),
    )
    with op.batch_alter_table("device_messages", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_device_messages_agent_id"), ["agent_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_device_messages_customer_id"), ["customer_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_device_messages_device_id"), ["device_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_device_messages_lot_id"), ["lot_id"], unique=False)
        batch_op.create_index("ix_device_messages_lane_kind_at", ["lane_id", "kind", "at"], unique=False)


def downgrade() -> None:
    op.drop_table("device_messages")
