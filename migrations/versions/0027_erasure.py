"""Erasure of a person's data on request, and the retention setting

Revision ID: 0027_erasure
Revises: 0026_backups
Create Date: 2026-12-04 13:50:00
"""

from collections.abc import Sequence

revision: str = "0027_erasure"
down_revision: str | None = "0026_backups"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
