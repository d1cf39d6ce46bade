"""accounts: superusers who set up offices; a training's report signature block

Revision ID: 0011_accounts
Revises: 0010_day_places
Create Date: 2026-12-03 19:30:00

Password reset and office setup links need no table of their own: they are one-time
rows of auth_token (kinds "reset" and "welcome"), stored as hashes like every token.
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0011_accounts'
down_revision: str | None = '0010_day_places'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('is_superuser', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
    op.create_table(
        'report_signature',
        sa.Column('training_id', sa.Integer(), nullable=False),
        sa.Column('place', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column('signed_on', sa.Date(), nullable=True),
        sa.Column('signer_name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column('signer_position', sqlmodel.sql.sqltypes.AutoString(length=200),
                  nullable=False),
        sa.Column('signer_nip', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column('updated_by', sa.Integer(), nullable=True),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['training_id'], ['training.id'],
                                name=op.f('fk_report_signature_training_id_training'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['updated_by'], ['user.id'],
                                name=op.f('fk_report_signature_updated_by_user'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('training_id', name=op.f('pk_report_signature')),
    )


def downgrade() -> None:
    op.drop_table('report_signature')
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_column('is_superuser')
