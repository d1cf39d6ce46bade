"""used form stamps: one self-registration form stamp, one registration

Revision ID: 0006_used_form_stamps
Revises: 0005_certificates
Create Date: 2026-12-03 17:00:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0006_used_form_stamps'
down_revision: str | None = '0005_certificates'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('used_form_stamp',
    sa.Column('nonce', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('nonce', name=op.f('pk_used_form_stamp'))
    )
    with op.batch_alter_table('used_form_stamp', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_used_form_stamp_used_at'), ['used_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('used_form_stamp', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_used_form_stamp_used_at'))

    op.drop_table('used_form_stamp')
