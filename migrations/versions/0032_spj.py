"""The SPJ: rate tables per year, narasumber finance fields, the treasurer role

Revision ID: 0032_spj
Revises: 0031_guests
Create Date: 2026-12-04 17:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0032_spj"
down_revision: str | None = "0031_guests"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


_SPEAKER_FIELDS = (("nip", 18), ("golongan", 3), ("npwp", 16), ("bank_name", 100),
                   ("bank_account", 30), ("account_holder", 200), ("honorarium_class", 100))


def upgrade() -> None:
    op.create_table(
        "rate_table",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("document", sa.JSON(), nullable=False),
        sa.Column("updated_by", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["organization_id"], ["organization.id"],
                                name=op.f("fk_rate_table_organization_id_organization"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["updated_by"], ["user.id"],
                                name=op.f("fk_rate_table_updated_by_user"),
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rate_table")),
        sa.UniqueConstraint("organization_id", "year",
                            name=op.f("uq_rate_table_organization_id_year")),
    )
    op.create_index(op.f("ix_rate_table_organization_id"), "rate_table", ["organization_id"],
                    unique=False)
    op.create_table(
        "spj_signers",
        sa.Column("training_id", sa.Integer(), nullable=False),
        sa.Column("pptk_name", sa.String(length=200), nullable=False),
        sa.Column("pptk_nip", sa.String(length=18), nullable=False),
        sa.Column("treasurer_name", sa.String(length=200), nullable=False),
        sa.Column("treasurer_nip", sa.String(length=18), nullable=False),
        sa.Column("place", sa.String(length=120), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["training_id"], ["training.id"],
                                name=op.f("fk_spj_signers_training_id_training"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("training_id", name=op.f("pk_spj_signers")),
    )
    with op.batch_alter_table("speaker") as batch_op:
        for name, length in _SPEAKER_FIELDS:
            batch_op.add_column(sa.Column(name, sa.String(length=length), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("speaker") as batch_op:
        for name, _length in reversed(_SPEAKER_FIELDS):
            batch_op.drop_column(name)
    op.drop_table("spj_signers")
    op.drop_index(op.f("ix_rate_table_organization_id"), table_name="rate_table")
    op.drop_table("rate_table")
