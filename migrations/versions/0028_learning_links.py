"""Learning results: a training's own evaluation questionnaire

An assessment of kind "evaluation" has questions without an answer key
(assessment_question.answer becomes nullable); its answers are kept anonymously in
evaluation_response like the standard forms', with the questionnaire (assessment_id) and
the respondent's batch (batch_id) so results split per batch. SQLite keeps the table
WITHOUT ROWID through the rebuild.

Revision ID: 0028_learning_links
Revises: 0027_erasure
Create Date: 2026-12-04 13:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0028_learning_links"
down_revision: str | None = "0027_erasure"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_NO_ROWID = {"sqlite_with_rowid": False}


def upgrade() -> None:
    with op.batch_alter_table("assessment_question") as batch_op:
        batch_op.alter_column("answer", existing_type=sa.Integer(), nullable=True)
    with op.batch_alter_table("evaluation_response", table_kwargs=_NO_ROWID) as batch_op:
        batch_op.add_column(sa.Column("assessment_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("batch_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(op.f("fk_evaluation_response_assessment_id_assessment"),
                                    "assessment", ["assessment_id"], ["id"],
                                    ondelete="CASCADE")
        batch_op.create_foreign_key(op.f("fk_evaluation_response_batch_id_batch"),
                                    "batch", ["batch_id"], ["id"], ondelete="CASCADE")
        batch_op.create_index(op.f("ix_evaluation_response_assessment_id"),
                              ["assessment_id"], unique=False)


def downgrade() -> None:
    op.execute("DELETE FROM evaluation_response WHERE assessment_id IS NOT NULL")
    with op.batch_alter_table("evaluation_response", table_kwargs=_NO_ROWID) as batch_op:
        batch_op.drop_index(op.f("ix_evaluation_response_assessment_id"))
        batch_op.drop_constraint(op.f("fk_evaluation_response_batch_id_batch"),
                                 type_="foreignkey")
        batch_op.drop_constraint(op.f("fk_evaluation_response_assessment_id_assessment"),
                                 type_="foreignkey")
        batch_op.drop_column("batch_id")
        batch_op.drop_column("assessment_id")
    op.execute("DELETE FROM assessment WHERE kind = 'evaluation'")
    with op.batch_alter_table("assessment_question") as batch_op:
        batch_op.alter_column("answer", existing_type=sa.Integer(), nullable=False)
