"""programmes: program, training.program_id and program_stage; person_merge (the audit
of two people found to be one)

Revision ID: 0014_programs
Revises: 0013_messages
Create Date: 2026-12-04 01:31:08

Existing trainings belong to no programme (program_id NULL) until the committee says.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0014_programs"
down_revision: str | None = "0013_messages"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "program",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=False),
        sa.Column("description", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organization.id"],
            name=op.f("fk_program_organization_id_organization"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_program")),
    )
    with op.batch_alter_table("program", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_program_organization_id"), ["organization_id"], unique=False
        )

    op.create_table(
        "person_merge",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("kept_id", sa.Integer(), nullable=False),
        sa.Column("merged_id", sa.Integer(), nullable=False),
        sa.Column("merged_name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("merged_nik_tail", sqlmodel.sql.sqltypes.AutoString(length=4), nullable=True),
        sa.Column("registrations_moved", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["kept_id"],
            ["participant.id"],
            name=op.f("fk_person_merge_kept_id_participant"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organization.id"],
            name=op.f("fk_person_merge_organization_id_organization"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user.id"], name=op.f("fk_person_merge_user_id_user"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person_merge")),
    )
    with op.batch_alter_table("person_merge", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_person_merge_kept_id"), ["kept_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_person_merge_organization_id"), ["organization_id"], unique=False
        )

    with op.batch_alter_table("training", schema=None) as batch_op:
        batch_op.add_column(sa.Column("program_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("program_stage", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_training_program_id"), ["program_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_training_program_id_program"),
            "program",
            ["program_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade() -> None:
    with op.batch_alter_table("training", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_training_program_id_program"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_training_program_id"))
        batch_op.drop_column("program_stage")
        batch_op.drop_column("program_id")

    with op.batch_alter_table("person_merge", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_person_merge_organization_id"))
        batch_op.drop_index(batch_op.f("ix_person_merge_kept_id"))

    op.drop_table("person_merge")
    with op.batch_alter_table("program", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_program_organization_id"))

    op.drop_table("program")
