"""index gate_commands.session_id and alarms.session_id: a stay's delete (the retention purge) checks each

Without them, deleting a stay scans every gate command (one per lane decision) for its foreign key: a purge
batch of 500 stays took 2.7 s of its 3.0 s in that check against 9,000 gate commands.

Revision ID: 0135g
Revises: 0135r
Create Date: 2026-12-07 05:20:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0135g"
down_revision: str | None = "0135r"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_gate_commands_session_id", "gate_commands", ["session_id"])
    op.create_index("ix_alarms_session_id", "alarms", ["session_id"])


def downgrade() -> None:
    op.drop_index("ix_alarms_session_id", table_name="alarms")
    op.drop_index("ix_gate_commands_session_id", table_name="gate_commands")
