"""fault ticket photos: the pictures a lot's staff attach to a fault ticket (refs into the image store)

Revision ID: 0130f
Revises: 0129m
Create Date: 2026-12-06 17:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import parking.common.db

revision: str = "0130f"
down_revision: str | None = "0129m"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "fault_ticket_photos",
        sa.Column("ticket_id", _ID, nullable=False),
        sa.Column("ref", sa.String(length=100), nullable=False),
        sa.Column("uploaded_by_id", _ID, nullable=True),
        sa.Column("created_at", parking.common.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("id", _ID, autoincrement=True, nullable=False),
        sa.Column("agent_id", _ID, nullable=False),
        sa.Column("customer_id", _ID, nullable=False),
        sa.Column("lot_id", _ID, nullable=False),
        sa.ForeignKeyConstraint(["agent_id"], ["agents.id"], name=op.f("fk_fault_ticket_photos_agent_id_agents")),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customers.id"], name=op.f("fk_fault_ticket_photos_customer_id_customers")
        ),
        sa.ForeignKeyConstraint(
            ["lot_id"], ["lots.id"], name=op.f("fk_fault_ticket_photos_lot_id_lots"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["ticket_id"],
            ["fault_tickets.id"],
            name=op.f("fk_fault_ticket_photos_ticket_id_fault_tickets"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["uploaded_by_id"], ["operators.id"], name=op.f("fk_fault_ticket_photos_uploaded_by_id_operators")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fault_ticket_photos")),
        sa.UniqueConstraint("ticket_id", "ref", name=op.f("uq_fault_ticket_photos_ticket_id_ref")),
    )
    with op.batch_alter_table("fault_ticket_photos") as batch:
        batch.create_index(batch.f("ix_fault_ticket_photos_agent_id"), ["agent_id"], unique=False)
        batch.create_index(batch.f("ix_fault_ticket_photos_customer_id"), ["customer_id"], unique=False)
        batch.create_index(batch.f("ix_fault_ticket_photos_lot_id"), ["lot_id"], unique=False)
        batch.create_index(batch.f("ix_fault_ticket_photos_ticket_id"), ["ticket_id"], unique=False)
        batch.create_index(batch.f("ix_fault_ticket_photos_ref"), ["ref"], unique=False)


def downgrade() -> None:
    op.drop_table("fault_ticket_photos")
