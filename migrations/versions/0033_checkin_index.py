"""Check-ins: drop the index on registration_id alone, which the unique key
(registration_id, day, slot) already serves (one index fewer to write per scan)

Revision ID: 0033_checkin_index
Revises: 0032_spj
Create Date: 2026-12-04 21:10:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0033_checkin_index"
down_revision: str | None = "0032_spj"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("checkin") as batch:
        batch.drop_index("ix_checkin_registration_id")


def downgrade() -> None:
    with op.batch_alter_table("checkin") as batch:
        batch.create_index("ix_checkin_registration_id", ["registration_id"])
