"""device clocks: each camera's clock offset against the server and its last silence, to place replayed records

Revision ID: 0122
Revises: 0121
Create Date: 2026-12-06 03:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import parking.common.db

revision: str = "0122"
down_revision: str | None = "0121"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "device_clocks",
        sa.Column("device_id", _ID, nullable=False),
        sa.Column("offset_ms", sa.BigInteger(), nullable=True),
        sa.Column("sampled_at", parking.common.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("silent_from", parking.common.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("silent_until", parking.common.db.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["device_id"], ["devices.id"], name=op.f("fk_device_clocks_device_id_devices"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("device_id", name=op.f("pk_device_clocks")),
    )


def downgrade() -> None:
    op.drop_table("device_clocks")
