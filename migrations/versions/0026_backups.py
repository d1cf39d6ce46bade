"""Backups taken by the worker and their outcome

Revision ID: 0026_backups
Revises: 0025_minutes_actions
Create Date: 2026-12-04 13:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0026_backups"
down_revision: str | None = "0025_minutes_actions"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'backup_run',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('slot', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('path', sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
        sa.Column('size', sa.BigInteger(), nullable=True),
        sa.Column('error', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_backup_run')),
        sa.UniqueConstraint('slot', name=op.f('uq_backup_run_slot')),
    )
    op.create_index(op.f('ix_backup_run_started_at'), 'backup_run', ['started_at'],
                    unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_backup_run_started_at'), table_name='backup_run')
    op.drop_table('backup_run')
