"""The outbox: every WhatsApp or email to a participant is a row here, with its delivery
state; plus who asked for no more messages, each channel's pace, and each training's
reminder rules."""

from datetime import datetime

from sqlalchemy import DateTime, Index, Text
from sqlmodel import Field, SQLModel

from service.models.base import created_at_field, timestamp_field

CHANNELS = ("whatsapp", "email")
# test / evaluation: a participant's own link to a pre/post-test or to the evaluations.
KINDS = ("ticket", "reminder", "certificate", "custom", "test", "evaluation")
# queued -> sending -> sent -> delivered -> read; or failed (permanently, with the reason).
STATUSES = ("queued", "sending", "sent", "delivered", "read", "failed")
# Rules a training turns on: H-1 before each batch's days, and the certificate link once
# it is issued.
RULES = ("day_before", "certificate_ready")


class Message(SQLModel, table=True):
    """One message to one person on one channel. Written in the same transaction as the
    action that caused it; a worker claims it (status "sending", next_attempt_at moved to
    the end of its lease, when another worker may take it over), sends
    it, and records what happened. The idempotency key makes a repeated action (a double
    click, a reminder rule looked at twice) queue it once."""

    __table_args__ = (
        # What the worker looks for: a channel's due messages, oldest first.
        Index("ix_message_due", "channel", "status", "next_attempt_at"),
        # A training's log, and each registration's last message.
        Index("ix_message_training_registration", "training_id", "registration_id", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id", index=True)
    training_id: int = Field(foreign_key="training.id", ondelete="CASCADE")
    registration_id: int | None = Field(default=None, foreign_key="registration.id",
                                        ondelete="CASCADE")
    channel: str = Field(max_length=10)
    # 20: "action_reminder" (a unit's overdue follow-up actions, services/actions/).
    kind: str = Field(max_length=20)
    recipient: str = Field(max_length=254)
    name: str = Field(max_length=200)
    subject: str | None = Field(default=None, max_length=300)
    body: str = Field(sa_type=Text)
    html: str | None = Field(default=None, sa_type=Text)
    template: str | None = Field(default=None, max_length=120)
    # The address its links point to (for the email's stop link, made when it is sent).
    base_url: str = Field(max_length=200)
    # JSON list of the template's body parameters.
    params: str = Field(default="[]", sa_type=Text)
    idempotency_key: str = Field(max_length=200, unique=True)
    status: str = Field(default="queued", max_length=12)
    attempts: int = Field(default=0)
    next_attempt_at: datetime = Field(sa_type=DateTime(timezone=True))
    provider_message_id: str | None = Field(default=None, max_length=200, index=True)
    error: str | None = Field(default=None, max_length=500)
    created_by: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    created_at: datetime = created_at_field()
    sent_at: datetime | None = timestamp_field()
    delivered_at: datetime | None = timestamp_field()
    read_at: datetime | None = timestamp_field()
    failed_at: datetime | None = timestamp_field()


class MessageOptOut(SQLModel, table=True):
    """An address that asked for no more messages on a channel (a STOP reply on
    WhatsApp, the link in an email): nothing more is queued or sent to it."""

    __tablename__ = "message_opt_out"

    channel: str = Field(primary_key=True, max_length=10)
    address: str = Field(primary_key=True, max_length=254)
    source: str = Field(max_length=10)  # "reply" | "link"
    created_at: datetime = created_at_field()


class ChannelPace(SQLModel, table=True):
    """When a channel may next send: every worker reserves its sends here, so the
    configured rate holds across processes, and a provider's "slow down" pauses all."""

    __tablename__ = "channel_pace"

    channel: str = Field(primary_key=True, max_length=10)
    next_at: datetime = Field(sa_type=DateTime(timezone=True))


class MessageRule(SQLModel, table=True):
    """A reminder rule of a training, on or off; `hour` is the local hour of the day
    before (day_before)."""

    __tablename__ = "message_rule"

    training_id: int = Field(foreign_key="training.id", primary_key=True, ondelete="CASCADE")
    rule: str = Field(primary_key=True, max_length=20)
    enabled: bool = Field(default=False)
    hour: int = Field(default=16)
    channel: str = Field(default="both", max_length=10)
    # The address the committee used when it set the rule: the links of the reminders
    # the worker writes later, outside any request (BIMTEK_PUBLIC_BASE_URL wins).
    base_url: str = Field(default="", max_length=200)
    updated_at: datetime = created_at_field()
