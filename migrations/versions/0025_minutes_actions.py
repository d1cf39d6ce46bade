"""Minutes (notulen), decisions and follow-up actions

Revision ID: 0025_minutes_actions
Revises: 0024_meeting_presenters
Create Date: 2026-12-04 13:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0025_minutes_actions"
down_revision: str | None = "0024_meeting_presenters"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('action_settings',
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('daily_reminders', sa.Boolean(), nullable=False),
    sa.Column('hour', sa.Integer(), nullable=False),
    sa.Column('channel', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('base_url', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('last_run_on', sa.Date(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['organization_id'], ['organization.id'], name=op.f('fk_action_settings_organization_id_organization'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('organization_id', name=op.f('pk_action_settings'))
    )
    op.create_table('minutes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('training_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('chair_name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('chair_nip', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('chair_position', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('note_taker_name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('note_taker_nip', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('place', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=True),
    sa.Column('updated_by', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['training_id'], ['training.id'], name=op.f('fk_minutes_training_id_training'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['updated_by'], ['user.id'], name=op.f('fk_minutes_updated_by_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_minutes')),
    sa.UniqueConstraint('training_id', name=op.f('uq_minutes_training_id'))
    )
    op.create_table('unit_link',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['created_by'], ['user.id'], name=op.f('fk_unit_link_created_by_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['unit_id'], ['org_unit.id'], name=op.f('fk_unit_link_unit_id_org_unit'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_unit_link')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_unit_link_token_hash'))
    )
    op.create_index(op.f('ix_unit_link_unit_id'), 'unit_link', ['unit_id'], unique=False)
    op.create_table('minutes_decision',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('minutes_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('text', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
    sa.Column('since_version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['minutes_id'], ['minutes.id'], name=op.f('fk_minutes_decision_minutes_id_minutes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_minutes_decision'))
    )
    op.create_index('ix_minutes_decision_minutes_position', 'minutes_decision', ['minutes_id', 'position'], unique=False)
    op.create_table('minutes_revision',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('minutes_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('own_text', sa.Text(), nullable=True),
    sa.Column('base_version', sa.Integer(), nullable=True),
    sa.Column('merged', sa.Boolean(), nullable=False),
    sa.Column('conflict', sa.Boolean(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('user_name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['minutes_id'], ['minutes.id'], name=op.f('fk_minutes_revision_minutes_id_minutes'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_minutes_revision_user_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_minutes_revision')),
    sa.UniqueConstraint('minutes_id', 'version', name=op.f('uq_minutes_revision_minutes_id_version'))
    )
    op.create_table('follow_up_action',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('training_id', sa.Integer(), nullable=False),
    sa.Column('meeting_on', sa.Date(), nullable=False),
    sa.Column('decision_id', sa.Integer(), nullable=True),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.Column('owner', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('due_date', sa.Date(), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
    sa.Column('note', sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by'], ['user.id'], name=op.f('fk_follow_up_action_created_by_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['decision_id'], ['minutes_decision.id'], name=op.f('fk_follow_up_action_decision_id_minutes_decision'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organization_id'], ['organization.id'], name=op.f('fk_follow_up_action_organization_id_organization'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['training_id'], ['training.id'], name=op.f('fk_follow_up_action_training_id_training'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['unit_id'], ['org_unit.id'], name=op.f('fk_follow_up_action_unit_id_org_unit'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_follow_up_action'))
    )
    op.create_index('ix_follow_up_action_org_status_due', 'follow_up_action', ['organization_id', 'status', 'due_date'], unique=False)
    op.create_index('ix_follow_up_action_training_meeting', 'follow_up_action', ['training_id', 'meeting_on'], unique=False)
    op.create_index(op.f('ix_follow_up_action_unit_id'), 'follow_up_action', ['unit_id'], unique=False)
    op.create_table('action_evidence',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('action_id', sa.Integer(), nullable=False),
    sa.Column('file_name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('file_type', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('file_size', sa.Integer(), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.Column('by_name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('via_link', sa.Boolean(), nullable=False),
    sa.Column('uploaded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['action_id'], ['follow_up_action.id'], name=op.f('fk_action_evidence_action_id_follow_up_action'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_action_evidence')),
    sa.UniqueConstraint('action_id', name=op.f('uq_action_evidence_action_id'))
    )
    op.create_table('action_update',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('action_id', sa.Integer(), nullable=False),
    sa.Column('status_from', sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
    sa.Column('status_to', sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
    sa.Column('note', sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('by_name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('via_link', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['action_id'], ['follow_up_action.id'], name=op.f('fk_action_update_action_id_follow_up_action'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_action_update_user_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_action_update'))
    )
    op.create_index(op.f('ix_action_update_action_id'), 'action_update', ['action_id'], unique=False)
    # "action_reminder" (a unit's overdue actions) is longer than the 12 characters the
    # outbox's kinds had.
    with op.batch_alter_table('message', schema=None) as batch_op:
        batch_op.alter_column('kind', existing_type=sa.VARCHAR(length=12),
                              type_=sqlmodel.sql.sqltypes.AutoString(length=20),
                              existing_nullable=False)


def downgrade() -> None:
    op.execute("DELETE FROM message WHERE kind = 'action_reminder'")
    with op.batch_alter_table('message', schema=None) as batch_op:
        batch_op.alter_column('kind', existing_type=sqlmodel.sql.sqltypes.AutoString(length=20),
                              type_=sa.VARCHAR(length=12), existing_nullable=False)
    op.drop_index(op.f('ix_action_update_action_id'), table_name='action_update')
    op.drop_table('action_update')
    op.drop_table('action_evidence')
    op.drop_index('ix_follow_up_action_org_status_due', table_name='follow_up_action')
    op.drop_index('ix_follow_up_action_training_meeting', table_name='follow_up_action')
    op.drop_index(op.f('ix_follow_up_action_unit_id'), table_name='follow_up_action')
    op.drop_table('follow_up_action')
    op.drop_table('minutes_revision')
    op.drop_index('ix_minutes_decision_minutes_position', table_name='minutes_decision')
    op.drop_table('minutes_decision')
    op.drop_index(op.f('ix_unit_link_unit_id'), table_name='unit_link')
    op.drop_table('unit_link')
    op.drop_table('minutes')
    op.drop_table('action_settings')
