"""Organizations: when the retention setting took its present value, so that what it
removes by the training (old nominations) is announced for as long as people are

Revision ID: 0034_retention_since
Revises: 0033_checkin_index
Create Date: 2026-12-04 21:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0034_retention_since"
down_revision: str | None = "0033_checkin_index"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("organization") as batch:
        batch.add_column(sa.Column("retention_since", sa.DateTime(timezone=True),
                                   nullable=True))
    # A setting already on starts its announcement now.
    op.execute(sa.text("UPDATE organization SET retention_since = CURRENT_TIMESTAMP "
                       "WHERE retention_years IS NOT NULL"))


def downgrade() -> None:
    with op.batch_alter_table("organization") as batch:
        batch.drop_column("retention_since")
