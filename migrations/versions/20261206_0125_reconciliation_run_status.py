"""reconciliation run status: a failed bill download or check is stored with its reason

Revision ID: 0125
Revises: 0124
Create Date: 2026-12-06 03:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0125"
down_revision: str | None = "0124"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("reconciliation_runs") as batch:
        batch.add_column(
            sa.Column(
                "status",
                sa.Enum("succeeded", "failed", name="runstatus", native_enum=False, length=32),
                server_default="succeeded",
                nullable=False,
            )
        )
        batch.add_column(sa.Column("error", sa.String(length=500), server_default="", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("reconciliation_runs") as batch:
        batch.drop_column("error")
        batch.drop_column("status")
