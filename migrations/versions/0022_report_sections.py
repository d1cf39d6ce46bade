"""The laporan kegiatan's own text (background, objectives, conclusions, follow-up) and
its photos

Revision ID: 0022_report_sections
Revises: 0021_evaluations
Create Date: 2026-12-04 05:05:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0022_report_sections"
down_revision: str | None = "0021_evaluations"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'report_text',
        sa.Column('training_id', sa.Integer(), nullable=False),
        sa.Column('background', sa.Text(), nullable=False),
        sa.Column('objectives', sa.Text(), nullable=False),
        sa.Column('conclusions', sa.Text(), nullable=False),
        sa.Column('follow_up', sa.Text(), nullable=False),
        sa.Column('updated_by', sa.Integer(), nullable=True),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['training_id'], ['training.id'],
                                name=op.f('fk_report_text_training_id_training'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['updated_by'], ['user.id'],
                                name=op.f('fk_report_text_updated_by_user'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('training_id', name=op.f('pk_report_text')),
    )
    op.create_table(
        'report_photo',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('training_id', sa.Integer(), nullable=False),
        sa.Column('session_id', sa.Integer(), nullable=True),
        sa.Column('caption', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column('taken_on', sa.Date(), nullable=False),
        sa.Column('image', sa.LargeBinary(), nullable=False),
        sa.Column('thumbnail', sa.LargeBinary(), nullable=False),
        sa.Column('width', sa.Integer(), nullable=False),
        sa.Column('height', sa.Integer(), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('uploaded_by', sa.Integer(), nullable=True),
        sa.Column('uploaded_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['training_id'], ['training.id'],
                                name=op.f('fk_report_photo_training_id_training'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['session_id'], ['agenda_session.id'],
                                name=op.f('fk_report_photo_session_id_agenda_session'),
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['uploaded_by'], ['user.id'],
                                name=op.f('fk_report_photo_uploaded_by_user'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_report_photo')),
    )
    op.create_index('ix_report_photo_training_position', 'report_photo',
                    ['training_id', 'position'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_report_photo_training_position', table_name='report_photo')
    op.drop_table('report_photo')
    op.drop_table('report_text')
