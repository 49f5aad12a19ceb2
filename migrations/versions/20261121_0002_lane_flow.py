"""lane flow: open-session uniqueness, pass coverage on sessions, gate commands tied to readings, refusals

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-21 19:57:54.323646
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import parking.common.db

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
OUTER_PLATE = "state = 'in_lot' AND parent_id IS NULL AND driver_key IS NULL"
OUTER_DRIVER = "state = 'in_lot' AND parent_id IS NULL AND driver_key IS NOT NULL"
INNER = "state = 'in_lot' AND parent_id IS NOT NULL"


def _partial(name: str, columns: list[str], where: str) -> None:
    op.create_index(
        name,
        "parking_sessions",
        columns,
        unique=True,
        postgresql_where=sa.text(where),
        sqlite_where=sa.text(where),
    )


def upgrade() -> None:
    op.create_table(
        "device_refusals",
        sa.Column("at", parking.common.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("protocol", sa.String(length=16), nullable=False),
        sa.Column("serial", sa.String(length=64), nullable=False),
        sa.Column("ip", sa.String(length=64), nullable=False),
        sa.Column("reason", sa.String(length=32), nullable=False),
        sa.Column("detail", sa.String(length=200), nullable=False),
        sa.Column("id", BigId, autoincrement=True, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_device_refusals")),
    )
    op.create_index(op.f("ix_device_refusals_at"), "device_refusals", ["at"], unique=False)
    op.create_index(op.f("ix_device_refusals_serial"), "device_refusals", ["serial"], unique=False)
    with op.batch_alter_table("areas") as batch:
        batch.add_column(sa.Column("free_minutes", sa.Integer(), nullable=False, server_default="0"))
    with op.batch_alter_table("gate_commands") as batch:
        batch.add_column(sa.Column("lane_event_id", BigId, nullable=True))
        batch.add_column(sa.Column("image_ref", sa.String(length=200), nullable=False, server_default=""))
        batch.create_foreign_key(
            op.f("fk_gate_commands_lane_event_id_lane_events"),
            "lane_events",
            ["lane_event_id"],
            ["id"],
            ondelete="SET NULL",
        )
    with op.batch_alter_table("parking_sessions") as batch:
        batch.add_column(sa.Column("pass_id", BigId, nullable=True))
        batch.add_column(sa.Column("group_id", BigId, nullable=True))
        batch.add_column(sa.Column("covered_from", parking.common.db.UTCDateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("group_overflow", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column("last_paid_at", parking.common.db.UTCDateTime(timezone=True), nullable=True))
        batch.create_index(batch.f("ix_parking_sessions_group_id"), ["group_id"], unique=False)
        batch.create_foreign_key(
            op.f("fk_parking_sessions_pass_id_passes"), "passes", ["pass_id"], ["id"], ondelete="SET NULL"
        )
        batch.create_foreign_key(
            op.f("fk_parking_sessions_group_id_vehicle_groups"),
            "vehicle_groups",
            ["group_id"],
            ["id"],
            ondelete="SET NULL",
        )
    _partial("uq_open_inner_session", ["parent_id", "area_id"], INNER)
    _partial("uq_open_session_driver", ["lot_id", "driver_key"], OUTER_DRIVER)
    _partial("uq_open_session_plate", ["lot_id", "plate"], OUTER_PLATE)


def downgrade() -> None:
    op.drop_index("uq_open_session_plate", table_name="parking_sessions")
    op.drop_index("uq_open_session_driver", table_name="parking_sessions")
    op.drop_index("uq_open_inner_session", table_name="parking_sessions")
    with op.batch_alter_table("parking_sessions") as batch:
        batch.drop_constraint(op.f("fk_parking_sessions_group_id_vehicle_groups"), type_="foreignkey")
        batch.drop_constraint(op.f("fk_parking_sessions_pass_id_passes"), type_="foreignkey")
        batch.drop_index(batch.f("ix_parking_sessions_group_id"))
        batch.drop_column("last_paid_at")
        batch.drop_column("group_overflow")
        batch.drop_column("covered_from")
        batch.drop_column("group_id")
        batch.drop_column("pass_id")
    with op.batch_alter_table("gate_commands") as batch:
        batch.drop_constraint(op.f("fk_gate_commands_lane_event_id_lane_events"), type_="foreignkey")
        batch.drop_column("image_ref")
        batch.drop_column("lane_event_id")
    with op.batch_alter_table("areas") as batch:
        batch.drop_column("free_minutes")
    op.drop_index(op.f("ix_device_refusals_serial"), table_name="device_refusals")
    op.drop_index(op.f("ix_device_refusals_at"), table_name="device_refusals")
    op.drop_table("device_refusals")
