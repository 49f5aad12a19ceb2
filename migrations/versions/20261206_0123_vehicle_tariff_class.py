"""vehicle tariff class and exemption kind: a lot's own class (tricycle) and what the vehicle is (环卫, 殡葬)

Revision ID: 0123
Revises: 0122
Create Date: 2026-12-06 03:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0123"
down_revision: str | None = "0122"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

EXEMPT_KINDS = (
    "monthly",
    "exempt",
    "emergency",
    "military",
    "police",
    "fire",
    "ambulance",
    "disaster_relief",
    "municipal_repair",
    "sanitation",
    "funeral",
    "disabled",
    "school_bus",
)


def upgrade() -> None:
    with op.batch_alter_table("vehicles") as batch:
        batch.add_column(sa.Column("tariff_class", sa.String(length=32), nullable=True))
        batch.add_column(
            sa.Column(
                "exempt_kind",
                sa.Enum(*EXEMPT_KINDS, name="exemptkind", native_enum=False, length=32),
                nullable=True,
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("vehicles") as batch:
        batch.drop_column("exempt_kind")
        batch.drop_column("tariff_class")
