"""device mac: the MAC a device reported, how Hikvision alerts name their camera

Revision ID: 0121
Revises: 0120
Create Date: 2026-12-06 03:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0121"
down_revision: str | None = "0120"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("devices") as batch:
        batch.add_column(sa.Column("mac", sa.String(length=17), nullable=True))
        batch.create_unique_constraint("uq_devices_mac", ["mac"])


def downgrade() -> None:
    with op.batch_alter_table("devices") as batch:
        batch.drop_constraint("uq_devices_mac", type_="unique")
        batch.drop_column("mac")
