"""Learning results: what the rest of issue 15 needs

Revision ID: 0028_learning_links
Revises: 0027_erasure
Create Date: 2026-12-04 13:50:00
"""

from collections.abc import Sequence

revision: str = "0028_learning_links"
down_revision: str | None = "0027_erasure"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
