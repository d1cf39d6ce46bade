"""Province offices and the offices that share their aggregates with them

Revision ID: 0017_province_sharing
Revises: 0016_meeting_dates
Create Date: 2026-12-04 04:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0017_province_sharing"
down_revision: str | None = "0016_meeting_dates"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("organization", schema=None) as batch_op:
        # Every office there is runs its own trainings: none is a province until the
        # superuser says so.
        batch_op.add_column(sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=10),
                                      nullable=False, server_default="office"))

    op.create_table(
        "province_share",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("province_id", sa.Integer(), nullable=False),
        sa.Column("office_id", sa.Integer(), nullable=False),
        sa.Column("agreed_by", sa.Integer(), nullable=True),
        sa.Column("agreed_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("province_id <> office_id",
                           name=op.f("ck_province_share_not_itself")),
        sa.ForeignKeyConstraint(["agreed_by"], ["user.id"],
                                name=op.f("fk_province_share_agreed_by_user"),
                                ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["office_id"], ["organization.id"],
                                name=op.f("fk_province_share_office_id_organization"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["province_id"], ["organization.id"],
                                name=op.f("fk_province_share_province_id_organization"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_province_share")),
        sa.UniqueConstraint("province_id", "office_id",
                            name=op.f("uq_province_share_province_id_office_id")),
    )
    with op.batch_alter_table("province_share", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_province_share_office_id"), ["office_id"],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table("province_share", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_province_share_office_id"))
    op.drop_table("province_share")

    with op.batch_alter_table("organization", schema=None) as batch_op:
        batch_op.drop_column("kind")
