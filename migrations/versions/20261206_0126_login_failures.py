"""login failures: sign-in throttling per (username, client address)

Revision ID: 0126
Revises: 0125
Create Date: 2026-12-06 03:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import parking.common.db

revision: str = "0126"
down_revision: str | None = "0125"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "login_failures",
        sa.Column("username", sa.String(length=100), nullable=False),
        sa.Column("ip", sa.String(length=64), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("first_at", parking.common.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("locked_until", parking.common.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("id", _ID, autoincrement=True, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_login_failures")),
        sa.UniqueConstraint("username", "ip", name=op.f("uq_login_failures_username_ip")),
    )
    op.create_index(op.f("ix_login_failures_ip"), "login_failures", ["ip"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_login_failures_ip"), table_name="login_failures")
    op.drop_table("login_failures")
