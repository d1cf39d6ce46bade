"""certificate layout: the template can hide the category and batch line and put the
place and date above any signatory; narasumber phones normalised to +62 like participants'

Revision ID: 0012_certificate_layout
Revises: 0011_accounts
Create Date: 2026-12-03 19:30:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from service.services.participant_fields import FieldProblem, normalize_phone

revision: str = '0012_certificate_layout'
down_revision: str | None = '0011_accounts'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('certificate_template', schema=None) as batch_op:
        batch_op.add_column(sa.Column('show_category_batch', sa.Boolean(), nullable=False,
                                      server_default=sa.true()))
        batch_op.add_column(sa.Column('place_date_signatory', sa.Integer(), nullable=True))
    # Narasumber phones were stored as typed ("0812-6610-4521", "62 813..."); participants'
    # are +62...: the same function the service uses from now on. A number it cannot read
    # stays as it was (the committee sees it and can correct it).
    conn = op.get_bind()
    speakers = sa.table('speaker', sa.column('id', sa.Integer), sa.column('phone', sa.String))
    changed = []
    for sid, phone in conn.execute(sa.select(speakers.c.id, speakers.c.phone)
                                   .where(speakers.c.phone.is_not(None))).all():
        try:
            normal = normalize_phone(phone)
        except FieldProblem:
            continue
        if normal != phone:
            changed.append({'sid': sid, 'new_phone': normal})
    if changed:
        conn.execute(speakers.update().where(speakers.c.id == sa.bindparam('sid'))
                     .values(phone=sa.bindparam('new_phone')), changed)


def downgrade() -> None:
    # The phones stay normalised: the old way to write them is not kept, and +62 numbers
    # were valid before too.
    with op.batch_alter_table('certificate_template', schema=None) as batch_op:
        batch_op.drop_column('place_date_signatory')
        batch_op.drop_column('show_category_batch')
