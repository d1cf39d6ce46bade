"""Pairs of people the committee marked as not the same person

Revision ID: 0018_distinct_people
Revises: 0017_province_sharing
Create Date: 2026-12-04 04:00:00

distinct_people: a pair of likely duplicates the committee said are two people, with who
and when (and who undid it, when). Nothing existing is marked.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018_distinct_people"
down_revision: str | None = "0017_province_sharing"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "distinct_people",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("first_id", sa.Integer(), nullable=False),
        sa.Column("second_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("undone_by_id", sa.Integer(), nullable=True),
        sa.Column("undone_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["first_id"], ["participant.id"],
            name=op.f("fk_distinct_people_first_id_participant"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["second_id"], ["participant.id"],
            name=op.f("fk_distinct_people_second_id_participant"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["organization_id"], ["organization.id"],
            name=op.f("fk_distinct_people_organization_id_organization")),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user.id"], name=op.f("fk_distinct_people_user_id_user"),
            ondelete="SET NULL"),
        sa.ForeignKeyConstraint(
            ["undone_by_id"], ["user.id"], name=op.f("fk_distinct_people_undone_by_id_user"),
            ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_distinct_people")),
        sa.UniqueConstraint("first_id", "second_id",
                            name=op.f("uq_distinct_people_first_id_second_id")),
    )
    with op.batch_alter_table("distinct_people", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_distinct_people_organization_id"),
                              ["organization_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_distinct_people_second_id"), ["second_id"],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table("distinct_people", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_distinct_people_second_id"))
        batch_op.drop_index(batch_op.f("ix_distinct_people_organization_id"))
    op.drop_table("distinct_people")
