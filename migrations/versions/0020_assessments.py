"""Question banks, pre-tests and post-tests, their responses, and the pass rule

Revision ID: 0020_assessments
Revises: 0019_province_scale_indexes
Create Date: 2026-12-04 04:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0020_assessments"
down_revision: str | None = "0019_province_scale_indexes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "assessment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("training_id", sa.Integer(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("public_code", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("pass_score", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["training_id"], ["training.id"],
                                name=op.f("fk_assessment_training_id_training"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessment")),
    )
    with op.batch_alter_table("assessment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_assessment_training_id"), ["training_id"],
                              unique=False)
        batch_op.create_index(batch_op.f("ix_assessment_public_code"), ["public_code"],
                              unique=True)

    op.create_table(
        "assessment_question",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("text", sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
        sa.Column("choices", sa.JSON(), nullable=False),
        sa.Column("answer", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["assessment_id"], ["assessment.id"],
                                name=op.f("fk_assessment_question_assessment_id_assessment"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessment_question")),
        sa.UniqueConstraint("assessment_id", "position",
                            name=op.f("uq_assessment_question_assessment_id_position")),
    )
    with op.batch_alter_table("assessment_question", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_assessment_question_assessment_id"),
                              ["assessment_id"], unique=False)

    op.create_table(
        "assessment_batch",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["assessment_id"], ["assessment.id"],
                                name=op.f("fk_assessment_batch_assessment_id_assessment"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["batch_id"], ["batch.id"],
                                name=op.f("fk_assessment_batch_batch_id_batch"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessment_batch")),
        sa.UniqueConstraint("assessment_id", "batch_id",
                            name=op.f("uq_assessment_batch_assessment_id_batch_id")),
    )
    with op.batch_alter_table("assessment_batch", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_assessment_batch_assessment_id"),
                              ["assessment_id"], unique=False)

    op.create_table(
        "assessment_response",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("registration_id", sa.Integer(), nullable=False),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("correct", sa.Integer(), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("source", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["assessment_id"], ["assessment.id"],
                                name=op.f("fk_assessment_response_assessment_id_assessment"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["registration_id"], ["registration.id"],
                                name=op.f("fk_assessment_response_registration_id_registration"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessment_response")),
        sa.UniqueConstraint(
            "assessment_id", "registration_id",
            name=op.f("uq_assessment_response_assessment_id_registration_id")),
    )
    with op.batch_alter_table("assessment_response", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_assessment_response_assessment_id"),
                              ["assessment_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_assessment_response_registration_id"),
                              ["registration_id"], unique=False)


def downgrade() -> None:
    for table, indexes in (
            ("assessment_response", ("ix_assessment_response_registration_id",
                                     "ix_assessment_response_assessment_id")),
            ("assessment_batch", ("ix_assessment_batch_assessment_id",)),
            ("assessment_question", ("ix_assessment_question_assessment_id",)),
            ("assessment", ("ix_assessment_public_code", "ix_assessment_training_id"))):
        with op.batch_alter_table(table, schema=None) as batch_op:
            for name in indexes:
                batch_op.drop_index(batch_op.f(name))
        op.drop_table(table)
