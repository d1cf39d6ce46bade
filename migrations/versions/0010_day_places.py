"""day places: a batch day's own place (batch_day) and a session's own place
(agenda_session.venue_id), for a field visit away from the batch's venue

Revision ID: 0010_day_places
Revises: 0009_attendance_marks
Create Date: 2026-12-03 19:30:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0010_day_places'
down_revision: str | None = '0009_attendance_marks'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'batch_day',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('batch_id', sa.Integer(), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('venue_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['batch_id'], ['batch.id'],
                                name=op.f('fk_batch_day_batch_id_batch'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['venue_id'], ['venue.id'],
                                name=op.f('fk_batch_day_venue_id_venue')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_batch_day')),
        sa.UniqueConstraint('batch_id', 'day', name=op.f('uq_batch_day_batch_id_day')),
    )
    with op.batch_alter_table('batch_day', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_batch_day_batch_id'), ['batch_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_batch_day_venue_id'), ['venue_id'], unique=False)
    with op.batch_alter_table('agenda_session', schema=None) as batch_op:
        batch_op.add_column(sa.Column('venue_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_agenda_session_venue_id'), ['venue_id'],
                              unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_agenda_session_venue_id_venue'), 'venue',
                                    ['venue_id'], ['id'])


def downgrade() -> None:
    with op.batch_alter_table('agenda_session', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_agenda_session_venue_id_venue'),
                                 type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_agenda_session_venue_id'))
        batch_op.drop_column('venue_id')
    with op.batch_alter_table('batch_day', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_batch_day_venue_id'))
        batch_op.drop_index(batch_op.f('ix_batch_day_batch_id'))
    op.drop_table('batch_day')
