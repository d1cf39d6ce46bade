"""attendance marks: the committee's attendance records after the day (present, absent,
excused with a reason), kept as an append-only history

Revision ID: 0009_attendance_marks
Revises: 0008_import_layouts
Create Date: 2026-12-03 19:30:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0009_attendance_marks'
down_revision: str | None = '0008_import_layouts'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'attendance_mark',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('registration_id', sa.Integer(), nullable=False),
        sa.Column('batch_id', sa.Integer(), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('slot', sa.Integer(), nullable=False),
        sa.Column('session_id', sa.Integer(), nullable=True),
        sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column('excuse', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=True),
        sa.Column('reason', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['batch_id'], ['batch.id'],
                                name=op.f('fk_attendance_mark_batch_id_batch'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['registration_id'], ['registration.id'],
                                name=op.f('fk_attendance_mark_registration_id_registration'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['session_id'], ['agenda_session.id'],
                                name=op.f('fk_attendance_mark_session_id_agenda_session'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['user_id'], ['user.id'],
                                name=op.f('fk_attendance_mark_user_id_user'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_attendance_mark')))
    with op.batch_alter_table('attendance_mark', schema=None) as batch_op:
        batch_op.create_index('ix_attendance_mark_batch_day', ['batch_id', 'day', 'id'],
                              unique=False)
        batch_op.create_index('ix_attendance_mark_registration',
                              ['registration_id', 'day', 'slot'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('attendance_mark', schema=None) as batch_op:
        batch_op.drop_index('ix_attendance_mark_registration')
        batch_op.drop_index('ix_attendance_mark_batch_day')
    op.drop_table('attendance_mark')
