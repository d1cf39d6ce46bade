"""Letters: letter templates (kop surat, numbering, signatory) and issued letters

Revision ID: 0029_letters
Revises: 0028_learning_links
Create Date: 2026-12-04 17:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0029_letters"
down_revision: str | None = "0028_learning_links"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "letter_settings",
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("header_lines", sa.JSON(), nullable=False),
        sa.Column("place", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("signatory_name", sqlmodel.sql.sqltypes.AutoString(length=200),
                  nullable=False),
        sa.Column("signatory_nip", sqlmodel.sql.sqltypes.AutoString(length=18), nullable=False),
        sa.Column("signatory_position", sqlmodel.sql.sqltypes.AutoString(length=200),
                  nullable=False),
        sa.Column("contact", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("invitation_pattern", sqlmodel.sql.sqltypes.AutoString(length=120),
                  nullable=False),
        sa.Column("invitation_code", sqlmodel.sql.sqltypes.AutoString(length=30),
                  nullable=False),
        sa.Column("speaker_request_pattern", sqlmodel.sql.sqltypes.AutoString(length=120),
                  nullable=False),
        sa.Column("speaker_request_code", sqlmodel.sql.sqltypes.AutoString(length=30),
                  nullable=False),
        sa.Column("committee_assignment_pattern",
                  sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("committee_assignment_code", sqlmodel.sql.sqltypes.AutoString(length=30),
                  nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["organization_id"], ["organization.id"],
                                name=op.f("fk_letter_settings_organization_id_organization"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["updated_by"], ["user.id"],
                                name=op.f("fk_letter_settings_updated_by_user"),
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("organization_id", name=op.f("pk_letter_settings")),
    )
    op.create_table(
        "issued_letter",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("training_id", sa.Integer(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=30), nullable=False),
        sa.Column("number", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("letter_date", sa.Date(), nullable=False),
        sa.Column("recipient", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("speaker_id", sa.Integer(), nullable=True),
        sa.Column("link_url", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column("issued_by", sa.Integer(), nullable=True),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("replaced_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["organization_id"], ["organization.id"],
                                name=op.f("fk_issued_letter_organization_id_organization"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["training_id"], ["training.id"],
                                name=op.f("fk_issued_letter_training_id_training"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["unit_id"], ["org_unit.id"],
                                name=op.f("fk_issued_letter_unit_id_org_unit"),
                                ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["speaker_id"], ["speaker.id"],
                                name=op.f("fk_issued_letter_speaker_id_speaker"),
                                ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["issued_by"], ["user.id"],
                                name=op.f("fk_issued_letter_issued_by_user"),
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_issued_letter")),
        sa.UniqueConstraint("organization_id", "kind", "year", "seq",
                            name=op.f("uq_issued_letter_organization_id_kind_year_seq")),
    )
    op.create_index(op.f("ix_issued_letter_organization_id"), "issued_letter",
                    ["organization_id"], unique=False)
    op.create_index("ix_issued_letter_training_kind", "issued_letter",
                    ["training_id", "kind"], unique=False)
    op.create_index(op.f("ix_issued_letter_unit_id"), "issued_letter", ["unit_id"],
                    unique=False)
    op.create_index(op.f("ix_issued_letter_speaker_id"), "issued_letter", ["speaker_id"],
                    unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_issued_letter_speaker_id"), table_name="issued_letter")
    op.drop_index(op.f("ix_issued_letter_unit_id"), table_name="issued_letter")
    op.drop_index("ix_issued_letter_training_kind", table_name="issued_letter")
    op.drop_index(op.f("ix_issued_letter_organization_id"), table_name="issued_letter")
    op.drop_table("issued_letter")
    op.drop_table("letter_settings")
