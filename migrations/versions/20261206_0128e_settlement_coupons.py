"""settlement coupons: the coupon economy of a lot's day on its settlement statement

Revision ID: 0128e
Revises: 0127
Create Date: 2026-12-06 09:32:14
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0128e"
down_revision: str | None = "0127"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_FEN = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    with op.batch_alter_table("settlement_statements", schema=None) as batch_op:
        batch_op.add_column(sa.Column("coupon_bought_fen", _FEN, server_default="0", nullable=False))
        batch_op.add_column(sa.Column("coupon_charged_fen", _FEN, server_default="0", nullable=False))
        batch_op.add_column(sa.Column("coupons_redeemed", sa.Integer(), server_default="0", nullable=False))
        batch_op.add_column(sa.Column("coupon_discount_fen", _FEN, server_default="0", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("settlement_statements", schema=None) as batch_op:
        batch_op.drop_column("coupon_discount_fen")
        batch_op.drop_column("coupons_redeemed")
        batch_op.drop_column("coupon_charged_fen")
        batch_op.drop_column("coupon_bought_fen")
