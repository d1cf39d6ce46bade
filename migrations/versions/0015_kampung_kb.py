"""Kampung KB register: kampung_kb, participant.kampung_kb_id, organization.kampung_kb_target

Revision ID: 0015_kampung_kb
Revises: 0014_programs
Create Date: 2026-12-04 02:15:11.692014
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0015_kampung_kb"
down_revision: str | None = "0014_programs"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "kampung_kb",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("village", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("district", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("year_formed", sa.Integer(), nullable=True),
        sa.Column("poktan", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organization.id"],
            name=op.f("fk_kampung_kb_organization_id_organization"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kampung_kb")),
        sa.UniqueConstraint(
            "organization_id",
            "name",
            "village",
            name=op.f("uq_kampung_kb_organization_id_name_village"),
        ),
    )
    with op.batch_alter_table("kampung_kb", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_kampung_kb_organization_id"), ["organization_id"], unique=False
        )

    with op.batch_alter_table("organization", schema=None) as batch_op:
        batch_op.add_column(sa.Column("kampung_kb_target", sa.Integer(), nullable=True))

    with op.batch_alter_table("participant", schema=None) as batch_op:
        batch_op.add_column(sa.Column("kampung_kb_id", sa.Integer(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_participant_kampung_kb_id"), ["kampung_kb_id"], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_participant_kampung_kb_id_kampung_kb"),
            "kampung_kb",
            ["kampung_kb_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade() -> None:
    with op.batch_alter_table("participant", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_participant_kampung_kb_id_kampung_kb"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_participant_kampung_kb_id"))
        batch_op.drop_column("kampung_kb_id")

    with op.batch_alter_table("organization", schema=None) as batch_op:
        batch_op.drop_column("kampung_kb_target")

    with op.batch_alter_table("kampung_kb", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_kampung_kb_organization_id"))

    op.drop_table("kampung_kb")
