"""Minutes (notulen), decisions and follow-up actions

Revision ID: 0025_minutes_actions
Revises: 0024_meeting_presenters
Create Date: 2026-12-04 13:50:00
"""

from collections.abc import Sequence

revision: str = "0025_minutes_actions"
down_revision: str | None = "0024_meeting_presenters"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
