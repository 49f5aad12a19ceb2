"""off-peak rental and pay on behalf: pass products sold online with a quota; orders paid on behalf with a note

Revision ID: 0128d
Revises: 0128e
Create Date: 2026-12-06 09:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0128d"
down_revision: str | None = "0128e"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("pass_products") as batch:
        batch.add_column(sa.Column("sold_online", sa.Boolean(), server_default=sa.false(), nullable=False))
        batch.add_column(sa.Column("quota", sa.Integer(), nullable=True))
        batch.create_check_constraint("quota_non_negative", "quota IS NULL OR quota >= 0")

    with op.batch_alter_table("payment_orders") as batch:
        batch.add_column(sa.Column("on_behalf", sa.Boolean(), server_default=sa.false(), nullable=False))
        batch.add_column(sa.Column("payer_note", sa.String(length=100), server_default="", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("payment_orders") as batch:
        batch.drop_column("payer_note")
        batch.drop_column("on_behalf")

    with op.batch_alter_table("pass_products") as batch:
        batch.drop_constraint(op.f("ck_pass_products_quota_non_negative"), type_="check")
        batch.drop_column("quota")
        batch.drop_column("sold_online")
