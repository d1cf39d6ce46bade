"""A narasumber's private link to the rosters of the batches where they teach."""

from datetime import datetime

from sqlmodel import Field, SQLModel

from service.models.base import created_at_field, timestamp_field


class RosterLink(SQLModel, table=True):
    """One private link for one speaker in one training.

    Only the SHA-256 of the token is stored (like AuthToken): a leaked database does
    not open any roster. The link dies at expires_at (the training's end + 30 days)
    or when the committee revokes it.
    """

    __tablename__ = "roster_link"

    id: int | None = Field(default=None, primary_key=True)
    speaker_id: int = Field(foreign_key="speaker.id", index=True, ondelete="CASCADE")
    training_id: int = Field(foreign_key="training.id", index=True, ondelete="CASCADE")
    token_hash: str = Field(max_length=64, unique=True)
    created_by: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    created_at: datetime = created_at_field()
    expires_at: datetime = created_at_field()
    revoked_at: datetime | None = timestamp_field()
