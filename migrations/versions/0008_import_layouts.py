"""import layouts: an organization's remembered sheet layouts; corrections kept with an upload

Revision ID: 0008_import_layouts
Revises: 0007_office_fields
Create Date: 2026-12-03 19:30:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0008_import_layouts'
down_revision: str | None = '0007_office_fields'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('import_layout',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('signature', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('columns', sa.Text(), nullable=False),
    sa.Column('categories', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['organization_id'], ['organization.id'], name=op.f('fk_import_layout_organization_id_organization'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_import_layout')),
    sa.UniqueConstraint('organization_id', 'signature', name=op.f('uq_import_layout_organization_id_signature'))
    )
    with op.batch_alter_table('importupload', schema=None) as batch_op:
        batch_op.add_column(sa.Column('corrections', sa.Text(), nullable=False,
                                      server_default='{}'))


def downgrade() -> None:
    with op.batch_alter_table('importupload', schema=None) as batch_op:
        batch_op.drop_column('corrections')
    op.drop_table('import_layout')
