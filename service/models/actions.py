"""Follow-up actions (rencana tindak lanjut) agreed at a meeting: what, which unit and
person, by when, and how far along; the history of their status, the evidence that an
action was done, the units' private links, and an office's reminder setting."""

from datetime import date, datetime

from sqlalchemy import Index, LargeBinary
from sqlmodel import Field, SQLModel

from service.models.base import created_at_field, timestamp_field

ACTION_STATUSES = ("open", "in_progress", "done", "dropped")
OPEN_STATUSES = ("open", "in_progress")


class FollowUpAction(SQLModel, table=True):
    __tablename__ = "follow_up_action"
    __table_args__ = (
        # The board and the overdue reminders: an office's open actions by due date.
        Index("ix_follow_up_action_org_status_due", "organization_id", "status", "due_date"),
        Index("ix_follow_up_action_training_meeting", "training_id", "meeting_on"),
    )

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id", ondelete="CASCADE")
    # The meeting it was agreed at, and the meeting day (a training meeting monthly
    # carries an action from one meeting date to the next).
    training_id: int = Field(foreign_key="training.id", ondelete="CASCADE")
    meeting_on: date
    decision_id: int | None = Field(default=None, foreign_key="minutes_decision.id",
                                    ondelete="SET NULL")
    unit_id: int | None = Field(default=None, foreign_key="org_unit.id", index=True,
                                ondelete="SET NULL")
    title: str = Field(max_length=500)
    owner: str = Field(default="", max_length=200)  # the person, free text
    due_date: date
    status: str = Field(default="open", max_length=12)
    note: str = Field(default="", max_length=1000)  # the latest status note
    created_by: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    created_at: datetime = created_at_field()
    updated_at: datetime = created_at_field()


class ActionUpdate(SQLModel, table=True):
    """One change of an action's status (or a note), by a committee member or by the
    unit's focal point through its link."""

    __tablename__ = "action_update"

    id: int | None = Field(default=None, primary_key=True)
    action_id: int = Field(foreign_key="follow_up_action.id", index=True, ondelete="CASCADE")
    status_from: str = Field(max_length=12)
    status_to: str = Field(max_length=12)
    note: str = Field(default="", max_length=1000)
    user_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    by_name: str = Field(default="", max_length=200)
    via_link: bool = Field(default=False)
    created_at: datetime = created_at_field()


class ActionEvidence(SQLModel, table=True):
    """The evidence that an action was done: a photo (re-encoded, without metadata) or a
    PDF, recognised by its content. One per action; a new upload replaces it."""

    __tablename__ = "action_evidence"

    id: int | None = Field(default=None, primary_key=True)
    action_id: int = Field(foreign_key="follow_up_action.id", unique=True, ondelete="CASCADE")
    file_name: str = Field(max_length=200)
    file_type: str = Field(max_length=10)  # jpeg | pdf
    file_size: int
    data: bytes = Field(sa_type=LargeBinary)
    by_name: str = Field(default="", max_length=200)
    via_link: bool = Field(default=False)
    uploaded_at: datetime = created_at_field()


class UnitLink(SQLModel, table=True):
    """A unit's focal point's private link (/u/{token}) to that unit's actions. Only the
    SHA-256 of the token is stored; it dies at expires_at or when revoked."""

    __tablename__ = "unit_link"

    id: int | None = Field(default=None, primary_key=True)
    unit_id: int = Field(foreign_key="org_unit.id", index=True, ondelete="CASCADE")
    token_hash: str = Field(max_length=64, unique=True)
    created_by: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    created_at: datetime = created_at_field()
    expires_at: datetime = created_at_field()
    revoked_at: datetime | None = timestamp_field()


class ActionSettings(SQLModel, table=True):
    """An office's choice to have the worker remind units of overdue actions every day
    (off by default), at a local hour."""

    __tablename__ = "action_settings"

    organization_id: int = Field(foreign_key="organization.id", primary_key=True,
                                 ondelete="CASCADE")
    daily_reminders: bool = Field(default=False)
    hour: int = Field(default=8)
    channel: str = Field(default="both", max_length=10)
    # The address of the links in reminders the worker writes outside any request.
    base_url: str = Field(default="", max_length=200)
    # The local day the worker last queued them: once a day.
    last_run_on: date | None = Field(default=None)
    updated_at: datetime = created_at_field()
