"""Backups taken by the worker and their outcome

Revision ID: 0026_backups
Revises: 0025_minutes_actions
Create Date: 2026-12-04 13:50:00
"""

from collections.abc import Sequence

revision: str = "0026_backups"
down_revision: str | None = "0025_minutes_actions"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
