"""An organization's units (OPD, kecamatan, kabupaten/kota, Kampung KB) with their focal
points

Revision ID: 0023_org_units
Revises: 0022_report_sections
Create Date: 2026-12-04 13:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0023_org_units"
down_revision: str | None = "0022_report_sections"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'org_unit',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('organization_id', sa.Integer(), nullable=False),
        sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column('focal_name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column('focal_phone', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column('focal_email', sqlmodel.sql.sqltypes.AutoString(length=254), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['organization_id'], ['organization.id'],
                                name=op.f('fk_org_unit_organization_id_organization'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_org_unit')),
        sa.UniqueConstraint('organization_id', 'name',
                            name=op.f('uq_org_unit_organization_id_name')),
    )
    op.create_index(op.f('ix_org_unit_organization_id'), 'org_unit', ['organization_id'],
                    unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_org_unit_organization_id'), table_name='org_unit')
    op.drop_table('org_unit')
