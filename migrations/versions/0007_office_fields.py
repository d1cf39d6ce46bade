"""office fields: participants' NIP, pangkat/golongan and sort name; a training's region level

Revision ID: 0007_office_fields
Revises: 0006_used_form_stamps
Create Date: 2026-12-03 19:00:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

from service.i18n.names import sort_key

revision: str = '0007_office_fields'
down_revision: str | None = '0006_used_form_stamps'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('participant', schema=None) as batch_op:
        batch_op.add_column(sa.Column('rank', sqlmodel.sql.sqltypes.AutoString(length=60),
                                      nullable=True))
        batch_op.add_column(sa.Column('nip', sqlmodel.sql.sqltypes.AutoString(length=18),
                                      nullable=True))
        batch_op.add_column(sa.Column('sort_name',
                                      sqlmodel.sql.sqltypes.AutoString(length=240),
                                      nullable=False, server_default=''))
        batch_op.create_index(batch_op.f('ix_participant_nip'), ['nip'], unique=False)
    with op.batch_alter_table('training', schema=None) as batch_op:
        batch_op.add_column(sa.Column('region_level',
                                      sqlmodel.sql.sqltypes.AutoString(length=10),
                                      nullable=False, server_default='district'))
    # Existing people get their sort names (the same function the model uses from now on).
    conn = op.get_bind()
    people = sa.table('participant', sa.column('id', sa.Integer),
                      sa.column('name', sa.String), sa.column('sort_name', sa.String))
    rows = conn.execute(sa.select(people.c.id, people.c.name)).all()
    if rows:
        conn.execute(people.update().where(people.c.id == sa.bindparam('pid'))
                     .values(sort_name=sa.bindparam('key')),
                     [{'pid': pid, 'key': sort_key(name)} for pid, name in rows])


def downgrade() -> None:
    with op.batch_alter_table('training', schema=None) as batch_op:
        batch_op.drop_column('region_level')
    with op.batch_alter_table('participant', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_participant_nip'))
        batch_op.drop_column('sort_name')
        batch_op.drop_column('nip')
        batch_op.drop_column('rank')
