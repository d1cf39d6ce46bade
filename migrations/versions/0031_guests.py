"""Guests, committee members and narasumber attendance per training

Revision ID: 0031_guests
Revises: 0030_nominations
Create Date: 2026-12-04 17:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0031_guests"
down_revision: str | None = "0030_nominations"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('event_person',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('training_id', sa.Integer(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('nip', sqlmodel.sql.sqltypes.AutoString(length=18), nullable=False),
    sa.Column('position', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('institution', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('committee_role', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('phone', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('email', sqlmodel.sql.sqltypes.AutoString(length=254), nullable=False),
    sa.Column('token', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['training_id'], ['training.id'], name=op.f('fk_event_person_training_id_training'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_event_person')),
    sa.UniqueConstraint('token', name=op.f('uq_event_person_token'))
    )
    op.create_index(op.f('ix_event_person_training_id'), 'event_person', ['training_id'], unique=False)
    op.create_table('event_person_attendance',
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('present', sa.Boolean(), nullable=False),
    sa.Column('via', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['event_person.id'], name=op.f('fk_event_person_attendance_person_id_event_person'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_event_person_attendance_user_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('person_id', 'day', name=op.f('pk_event_person_attendance'))
    )
    op.create_table('speaker_attendance',
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('speaker_id', sa.Integer(), nullable=False),
    sa.Column('present', sa.Boolean(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('via_link', sa.Boolean(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['session_id'], ['agenda_session.id'], name=op.f('fk_speaker_attendance_session_id_agenda_session'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['speaker_id'], ['speaker.id'], name=op.f('fk_speaker_attendance_speaker_id_speaker'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_speaker_attendance_user_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('session_id', 'speaker_id', name=op.f('pk_speaker_attendance'))
    )
    op.create_index(op.f('ix_speaker_attendance_speaker_id'), 'speaker_attendance', ['speaker_id'], unique=False)
    op.create_table('event_person_scan',
    sa.Column('nonce', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('scanned_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['event_person.id'], name=op.f('fk_event_person_scan_person_id_event_person'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('nonce', name=op.f('pk_event_person_scan'))
    )
    op.create_index(op.f('ix_event_person_scan_person_id'), 'event_person_scan', ['person_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_event_person_scan_person_id'), table_name='event_person_scan')
    op.drop_table('event_person_scan')
    op.drop_index(op.f('ix_speaker_attendance_speaker_id'), table_name='speaker_attendance')
    op.drop_table('speaker_attendance')
    op.drop_table('event_person_attendance')
    op.drop_index(op.f('ix_event_person_training_id'), table_name='event_person')
    op.drop_table('event_person')
