"""lot region and lane booth: the district of a lot (南山区) and the booth (岗亭) of a lane, for the daily report

Revision ID: 0135r
Revises: 0134d
Create Date: 2026-12-07 05:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0135r"
down_revision: str | None = "0134d"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("lots") as batch:
        batch.add_column(sa.Column("region", sa.String(length=50), nullable=False, server_default=""))
    with op.batch_alter_table("lanes") as batch:
        batch.add_column(sa.Column("booth", sa.String(length=50), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("lanes") as batch:
        batch.drop_column("booth")
    with op.batch_alter_table("lots") as batch:
        batch.drop_column("region")
