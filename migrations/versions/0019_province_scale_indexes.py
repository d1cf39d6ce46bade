"""Indexes for a province's worth of people, registrations and Kampung KB

People's search within an office of 15,000: by name (sort_name), and by the last 4-6
digits of a NIK or phone through the number written backwards (a prefix of it), kept
beside the number and filled here for the people already there.

Revision ID: 0019_province_scale_indexes
Revises: 0018_distinct_people
Create Date: 2026-12-04 04:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0019_province_scale_indexes"
down_revision: str | None = "0018_distinct_people"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_CHUNK = 5000


def _backfill() -> None:
    conn = op.get_bind()
    if conn.dialect.name == "postgresql":
        conn.execute(sa.text("UPDATE participant SET nik_reversed = reverse(nik), "
                             "phone_reversed = reverse(phone) "
                             "WHERE nik IS NOT NULL OR phone IS NOT NULL"))
        return
    # SQLite has no reverse(): in Python.
    rows = conn.execute(sa.text("SELECT id, nik, phone FROM participant "
                                "WHERE nik IS NOT NULL OR phone IS NOT NULL")).all()
    values = [{"id": pid, "nik": nik[::-1] if nik else None,
               "phone": phone[::-1] if phone else None} for pid, nik, phone in rows]
    update = sa.text("UPDATE participant SET nik_reversed = :nik, phone_reversed = :phone "
                     "WHERE id = :id")
    for start in range(0, len(values), _CHUNK):
        conn.execute(update, values[start:start + _CHUNK])


def upgrade() -> None:
    with op.batch_alter_table("participant") as batch:
        batch.add_column(sa.Column("nik_reversed", sqlmodel.sql.sqltypes.AutoString(length=16),
                                   nullable=True))
        batch.add_column(sa.Column("phone_reversed",
                                   sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True))
    _backfill()
    op.create_index("ix_participant_org_sort_name", "participant",
                    ["organization_id", "sort_name"])
    for column in ("nik_reversed", "phone_reversed"):
        op.create_index(f"ix_participant_org_{column}", "participant",
                        ["organization_id", column],
                        postgresql_ops={column: "text_pattern_ops"})


def downgrade() -> None:
    for name in ("phone_reversed", "nik_reversed", "sort_name"):
        op.drop_index(f"ix_participant_org_{name}", table_name="participant")
    with op.batch_alter_table("participant") as batch:
        batch.drop_column("phone_reversed")
        batch.drop_column("nik_reversed")
