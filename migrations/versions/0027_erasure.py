"""Erasure of a person's data on request, and the retention setting

Revision ID: 0027_erasure
Revises: 0026_backups
Create Date: 2026-12-04 13:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0027_erasure"
down_revision: str | None = "0026_backups"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("organization", schema=None) as batch_op:
        batch_op.add_column(sa.Column("retention_years", sa.Integer(), nullable=True))

    op.create_table(
        'erasure_request',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('organization_id', sa.Integer(), nullable=False),
        sa.Column('participant_id', sa.Integer(), nullable=True),
        sa.Column('source', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column('requested_by_text', sqlmodel.sql.sqltypes.AutoString(length=300),
                  nullable=False),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column('recorded_by', sa.Integer(), nullable=True),
        sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('decided_by', sa.Integer(), nullable=True),
        sa.Column('decided_by_text', sqlmodel.sql.sqltypes.AutoString(length=200),
                  nullable=True),
        sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('decision_note', sqlmodel.sql.sqltypes.AutoString(length=500),
                  nullable=True),
        sa.Column('pseudonym', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
        sa.Column('fields', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column('fields_count', sa.Integer(), nullable=False),
        sa.Column('copies_count', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['organization_id'], ['organization.id'],
                                name=op.f('fk_erasure_request_organization_id_organization')),
        sa.ForeignKeyConstraint(['participant_id'], ['participant.id'],
                                name=op.f('fk_erasure_request_participant_id_participant'),
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['recorded_by'], ['user.id'],
                                name=op.f('fk_erasure_request_recorded_by_user'),
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['decided_by'], ['user.id'],
                                name=op.f('fk_erasure_request_decided_by_user'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_erasure_request')),
        sa.UniqueConstraint('pseudonym', name=op.f('uq_erasure_request_pseudonym')),
    )
    op.create_index(op.f('ix_erasure_request_organization_id'), 'erasure_request',
                    ['organization_id'], unique=False)
    op.create_index(op.f('ix_erasure_request_participant_id'), 'erasure_request',
                    ['participant_id'], unique=False)

    op.create_table(
        'retention_listing',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('organization_id', sa.Integer(), nullable=False),
        sa.Column('participant_id', sa.Integer(), nullable=False),
        sa.Column('last_training_id', sa.Integer(), nullable=True),
        sa.Column('last_training_end', sa.Date(), nullable=False),
        sa.Column('listed_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['organization_id'], ['organization.id'],
                                name=op.f('fk_retention_listing_organization_id_organization')),
        sa.ForeignKeyConstraint(['participant_id'], ['participant.id'],
                                name=op.f('fk_retention_listing_participant_id_participant'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['last_training_id'], ['training.id'],
                                name=op.f('fk_retention_listing_last_training_id_training'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_retention_listing')),
        sa.UniqueConstraint('organization_id', 'participant_id',
                            name=op.f('uq_retention_listing_organization_id_participant_id')),
    )
    op.create_index(op.f('ix_retention_listing_organization_id'), 'retention_listing',
                    ['organization_id'], unique=False)
    op.create_index(op.f('ix_retention_listing_participant_id'), 'retention_listing',
                    ['participant_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_retention_listing_participant_id'), table_name='retention_listing')
    op.drop_index(op.f('ix_retention_listing_organization_id'), table_name='retention_listing')
    op.drop_table('retention_listing')
    op.drop_index(op.f('ix_erasure_request_participant_id'), table_name='erasure_request')
    op.drop_index(op.f('ix_erasure_request_organization_id'), table_name='erasure_request')
    op.drop_table('erasure_request')
    with op.batch_alter_table("organization", schema=None) as batch_op:
        batch_op.drop_column("retention_years")
