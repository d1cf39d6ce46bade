"""Presenters by unit at a meeting, their presentations, and session materials

Revision ID: 0024_meeting_presenters
Revises: 0023_org_units
Create Date: 2026-12-04 13:50:00
"""

from collections.abc import Sequence

revision: str = "0024_meeting_presenters"
down_revision: str | None = "0023_org_units"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
