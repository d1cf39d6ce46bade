"""Nominations by unit: a training's units with quota, deadline, private links, delegates and surat tugas

Revision ID: 0030_nominations
Revises: 0029_letters
Create Date: 2026-12-04 17:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0030_nominations"
down_revision: str | None = "0029_letters"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('training_unit',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('training_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('quota', sa.Integer(), nullable=False),
    sa.Column('deadline', sa.DateTime(timezone=True), nullable=True),
    sa.Column('surat_tugas', sa.LargeBinary(), nullable=True),
    sa.Column('surat_tugas_type', sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
    sa.Column('surat_tugas_name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('surat_tugas_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['training_id'], ['training.id'], name=op.f('fk_training_unit_training_id_training'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['unit_id'], ['org_unit.id'], name=op.f('fk_training_unit_unit_id_org_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_training_unit')),
    sa.UniqueConstraint('training_id', 'unit_id', name=op.f('uq_training_unit_training_id_unit_id'))
    )
    op.create_index(op.f('ix_training_unit_training_id'), 'training_unit', ['training_id'], unique=False)
    op.create_index(op.f('ix_training_unit_unit_id'), 'training_unit', ['unit_id'], unique=False)
    op.create_table('nomination_link',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('training_unit_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['created_by'], ['user.id'], name=op.f('fk_nomination_link_created_by_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['training_unit_id'], ['training_unit.id'], name=op.f('fk_nomination_link_training_unit_id_training_unit'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_nomination_link')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_nomination_link_token_hash'))
    )
    op.create_index(op.f('ix_nomination_link_training_unit_id'), 'nomination_link', ['training_unit_id'], unique=False)
    op.create_table('nominee',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('training_unit_id', sa.Integer(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('nip', sqlmodel.sql.sqltypes.AutoString(length=18), nullable=False),
    sa.Column('position', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('phone', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('email', sqlmodel.sql.sqltypes.AutoString(length=254), nullable=False),
    sa.Column('registration_id', sa.Integer(), nullable=True),
    sa.Column('via_link', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['registration_id'], ['registration.id'], name=op.f('fk_nominee_registration_id_registration'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['training_unit_id'], ['training_unit.id'], name=op.f('fk_nominee_training_unit_id_training_unit'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_nominee'))
    )
    op.create_index(op.f('ix_nominee_registration_id'), 'nominee', ['registration_id'], unique=False)
    op.create_index(op.f('ix_nominee_training_unit_id'), 'nominee', ['training_unit_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_nominee_training_unit_id'), table_name='nominee')
    op.drop_index(op.f('ix_nominee_registration_id'), table_name='nominee')
    op.drop_table('nominee')
    op.drop_index(op.f('ix_nomination_link_training_unit_id'), table_name='nomination_link')
    op.drop_table('nomination_link')
    op.drop_index(op.f('ix_training_unit_unit_id'), table_name='training_unit')
    op.drop_index(op.f('ix_training_unit_training_id'), table_name='training_unit')
    op.drop_table('training_unit')
