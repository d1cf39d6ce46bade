"""Evaluation forms of narasumber and of the event, and their anonymous responses

Revision ID: 0021_evaluations
Revises: 0020_assessments
Create Date: 2026-12-04 04:45:00

evaluation_form: an organization's own version of a standard form (narasumber, event);
evaluation_response: anonymous answer sheets (random UUID key, no registration, no time);
evaluation_receipt: who has answered which form (never what), one per person and form;
evaluation_code: the random code of a session's projector QR. SQLite keeps the response
and receipt tables WITHOUT ROWID, so their storage order is not the order of answers.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0021_evaluations"
down_revision: str | None = "0020_assessments"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _fk(table: str, column: str, target: str, ondelete: str = "CASCADE"
        ) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([column], [f"{target}.id"],
                                   name=op.f(f"fk_{table}_{column}_{target}"),
                                   ondelete=ondelete)


def upgrade() -> None:
    op.create_table(
        "evaluation_form",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=12), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("scale", sa.Integer(), nullable=False),
        sa.Column("items", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.Integer(), nullable=True),
        _fk("evaluation_form", "organization_id", "organization"),
        _fk("evaluation_form", "updated_by", "user", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evaluation_form")),
        sa.UniqueConstraint("organization_id", "key",
                            name=op.f("uq_evaluation_form_organization_id_key")),
    )
    op.create_table(
        "evaluation_response",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("training_id", sa.Integer(), nullable=False),
        sa.Column("form_key", sa.String(length=12), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=True),
        sa.Column("scale", sa.Integer(), nullable=False),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("comment", sa.String(length=1000), nullable=True),
        _fk("evaluation_response", "training_id", "training"),
        _fk("evaluation_response", "session_id", "agenda_session"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evaluation_response")),
        sqlite_with_rowid=False,
    )
    op.create_index(op.f("ix_evaluation_response_training_id"), "evaluation_response",
                    ["training_id"], unique=False)
    op.create_index(op.f("ix_evaluation_response_session_id"), "evaluation_response",
                    ["session_id"], unique=False)
    op.create_table(
        "evaluation_receipt",
        sa.Column("registration_id", sa.Integer(), nullable=False),
        sa.Column("scope", sa.String(length=24), nullable=False),
        sa.Column("training_id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=True),
        _fk("evaluation_receipt", "registration_id", "registration"),
        _fk("evaluation_receipt", "training_id", "training"),
        _fk("evaluation_receipt", "session_id", "agenda_session"),
        sa.PrimaryKeyConstraint("registration_id", "scope", name=op.f("pk_evaluation_receipt")),
        sqlite_with_rowid=False,
    )
    op.create_index(op.f("ix_evaluation_receipt_training_id"), "evaluation_receipt",
                    ["training_id"], unique=False)
    op.create_index(op.f("ix_evaluation_receipt_session_id"), "evaluation_receipt",
                    ["session_id"], unique=False)
    op.create_table(
        "evaluation_code",
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=16), nullable=False),
        _fk("evaluation_code", "session_id", "agenda_session"),
        sa.PrimaryKeyConstraint("session_id", name=op.f("pk_evaluation_code")),
        sa.UniqueConstraint("code", name=op.f("uq_evaluation_code_code")),
    )


def downgrade() -> None:
    op.drop_table("evaluation_code")
    op.drop_index(op.f("ix_evaluation_receipt_session_id"), table_name="evaluation_receipt")
    op.drop_index(op.f("ix_evaluation_receipt_training_id"), table_name="evaluation_receipt")
    op.drop_table("evaluation_receipt")
    op.drop_index(op.f("ix_evaluation_response_session_id"), table_name="evaluation_response")
    op.drop_index(op.f("ix_evaluation_response_training_id"), table_name="evaluation_response")
    op.drop_table("evaluation_response")
    op.drop_table("evaluation_form")
