"""lot retention: how many days a lot keeps its lane pictures and its records (GA/T 1742-2020)

Revision ID: 0132r
Revises: 0131o
Create Date: 2026-12-06 18:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0132r"
down_revision: str | None = "0131o"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("lots", schema=None) as batch_op:
        batch_op.add_column(sa.Column("image_retention_days", sa.Integer(), server_default="30", nullable=False))
        batch_op.add_column(sa.Column("record_retention_days", sa.Integer(), server_default="365", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("lots", schema=None) as batch_op:
        batch_op.drop_column("record_retention_days")
        batch_op.drop_column("image_retention_days")
