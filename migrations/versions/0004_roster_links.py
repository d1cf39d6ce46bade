"""roster links: a narasumber's private, revocable link to their batches' rosters

Revision ID: 0004_roster_links
Revises: 0003
Create Date: 2026-11-29 18:55:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0004_roster_links'
# 0003_checkins.py declares its revision id as '0003'.
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('roster_link',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('speaker_id', sa.Integer(), nullable=False),
    sa.Column('training_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['speaker_id'], ['speaker.id'], name=op.f('fk_roster_link_speaker_id_speaker'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['training_id'], ['training.id'], name=op.f('fk_roster_link_training_id_training'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by'], ['user.id'], name=op.f('fk_roster_link_created_by_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_roster_link')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_roster_link_token_hash'))
    )
    with op.batch_alter_table('roster_link', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_roster_link_speaker_id'), ['speaker_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_roster_link_training_id'), ['training_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('roster_link', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_roster_link_training_id'))
        batch_op.drop_index(batch_op.f('ix_roster_link_speaker_id'))

    op.drop_table('roster_link')
