"""Presenters by unit at a meeting, their presentations, and session materials

Revision ID: 0024_meeting_presenters
Revises: 0023_org_units
Create Date: 2026-12-04 13:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0024_meeting_presenters"
down_revision: str | None = "0023_org_units"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'meeting_presenter',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('training_id', sa.Integer(), nullable=False),
        sa.Column('batch_id', sa.Integer(), nullable=False),
        sa.Column('unit_id', sa.Integer(), nullable=False),
        sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column('position', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column('topic', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('start_time', sa.Time(), nullable=False),
        sa.Column('end_time', sa.Time(), nullable=False),
        sa.Column('sort_order', sa.Integer(), nullable=False),
        sa.Column('file_name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column('file_type', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column('file_size', sa.Integer(), nullable=False),
        sa.Column('file_data', sa.LargeBinary(), nullable=True),
        sa.Column('file_uploaded_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['training_id'], ['training.id'],
                                name=op.f('fk_meeting_presenter_training_id_training'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['batch_id'], ['batch.id'],
                                name=op.f('fk_meeting_presenter_batch_id_batch'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['unit_id'], ['org_unit.id'],
                                name=op.f('fk_meeting_presenter_unit_id_org_unit')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_meeting_presenter')),
    )
    op.create_index('ix_meeting_presenter_training_day', 'meeting_presenter',
                    ['training_id', 'day', 'start_time'], unique=False)
    op.create_index(op.f('ix_meeting_presenter_batch_id'), 'meeting_presenter', ['batch_id'],
                    unique=False)
    op.create_index(op.f('ix_meeting_presenter_unit_id'), 'meeting_presenter', ['unit_id'],
                    unique=False)
    op.create_table(
        'session_material',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('session_id', sa.Integer(), nullable=False),
        sa.Column('training_id', sa.Integer(), nullable=False),
        sa.Column('speaker_id', sa.Integer(), nullable=True),
        sa.Column('uploaded_by', sa.Integer(), nullable=True),
        sa.Column('title', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column('file_name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column('file_type', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column('file_size', sa.Integer(), nullable=False),
        sa.Column('data', sa.LargeBinary(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['session_id'], ['agenda_session.id'],
                                name=op.f('fk_session_material_session_id_agenda_session'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['training_id'], ['training.id'],
                                name=op.f('fk_session_material_training_id_training'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['speaker_id'], ['speaker.id'],
                                name=op.f('fk_session_material_speaker_id_speaker'),
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['uploaded_by'], ['user.id'],
                                name=op.f('fk_session_material_uploaded_by_user'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_session_material')),
    )
    op.create_index(op.f('ix_session_material_session_id'), 'session_material',
                    ['session_id'], unique=False)
    op.create_index(op.f('ix_session_material_training_id'), 'session_material',
                    ['training_id'], unique=False)
    with op.batch_alter_table('registration', schema=None) as batch_op:
        batch_op.add_column(sa.Column('unit_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_registration_unit_id'), ['unit_id'],
                              unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_registration_unit_id_org_unit'),
                                    'org_unit', ['unit_id'], ['id'], ondelete='SET NULL')


def downgrade() -> None:
    with op.batch_alter_table('registration', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_registration_unit_id_org_unit'),
                                 type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_registration_unit_id'))
        batch_op.drop_column('unit_id')
    op.drop_index(op.f('ix_session_material_training_id'), table_name='session_material')
    op.drop_index(op.f('ix_session_material_session_id'), table_name='session_material')
    op.drop_table('session_material')
    op.drop_index(op.f('ix_meeting_presenter_unit_id'), table_name='meeting_presenter')
    op.drop_index(op.f('ix_meeting_presenter_batch_id'), table_name='meeting_presenter')
    op.drop_index('ix_meeting_presenter_training_day', table_name='meeting_presenter')
    op.drop_table('meeting_presenter')
