"""driver plates (openid -> plate, 5 slots per account), an operator's WeChat openid, payment messages

driver_messages gains ``ref`` (the paid order's id for a payment message, "" for the entry message), so a stay
has one entry message and one message per paid order.

Revision ID: 0129m
Revises: 0128d
Create Date: 2026-12-06 13:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import parking.common.db

revision: str = "0129m"
down_revision: str | None = "0128d"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "driver_plates",
        sa.Column("openid", sa.String(length=64), nullable=False),
        sa.Column("plate", sa.String(length=16), nullable=False),
        sa.Column("slot", sa.Integer(), nullable=False),
        sa.Column("bound_at", parking.common.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("id", _ID, autoincrement=True, nullable=False),
        sa.CheckConstraint("slot >= 1 AND slot <= 5", name=op.f("ck_driver_plates_slot_in_range")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_driver_plates")),
        sa.UniqueConstraint("plate", name=op.f("uq_driver_plates_plate")),
        sa.UniqueConstraint("openid", "slot", name=op.f("uq_driver_plates_openid_slot")),
    )
    op.create_index(op.f("ix_driver_plates_openid"), "driver_plates", ["openid"], unique=False)
    with op.batch_alter_table("operators") as batch:
        batch.add_column(sa.Column("wechat_openid", sa.String(length=64), nullable=True))
        batch.create_unique_constraint(batch.f("uq_operators_wechat_openid"), ["wechat_openid"])
    with op.batch_alter_table("driver_messages") as batch:
        batch.add_column(sa.Column("ref", sa.String(length=32), server_default="", nullable=False))
        batch.drop_constraint(batch.f("uq_driver_messages_session_id_kind"), type_="unique")
        batch.create_unique_constraint(batch.f("uq_driver_messages_session_id_kind_ref"), ["session_id", "kind", "ref"])


def downgrade() -> None:
    op.execute("DELETE FROM driver_messages WHERE kind <> 'entry'")
    with op.batch_alter_table("driver_messages") as batch:
        batch.drop_constraint(batch.f("uq_driver_messages_session_id_kind_ref"), type_="unique")
        batch.create_unique_constraint(batch.f("uq_driver_messages_session_id_kind"), ["session_id", "kind"])
        batch.drop_column("ref")
    with op.batch_alter_table("operators") as batch:
        batch.drop_constraint(batch.f("uq_operators_wechat_openid"), type_="unique")
        batch.drop_column("wechat_openid")
    op.drop_index(op.f("ix_driver_plates_openid"), table_name="driver_plates")
    op.drop_table("driver_plates")
