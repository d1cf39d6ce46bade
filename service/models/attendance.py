"""Check-ins (one per registration and day, or per session), the scans that did not
become one (repeats, and offline devices' conflicting scans), and the committee's marks
entered after the day from the signed daftar hadir."""

from datetime import date, datetime

from sqlalchemy import DateTime, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from service.models.base import created_at_field

CHECKIN_METHODS = ("qr", "manual")
# What a committee mark says about someone on a day (or at a session).
MARK_STATUSES = ("present", "absent", "excused")
# Why an excused person was away: izin (leave: asked beforehand) or sakit (sick).
EXCUSES = ("leave", "sick")


class CheckIn(SQLModel, table=True):
    """One participant present on one day of their batch (slot 0), or at one session
    (slot = the session id) when the training takes attendance per session."""

    __tablename__ = "checkin"
    # slot is 0 for a whole day, else the session id: one unique key serves both modes
    # (a NULL session id would not be unique in PostgreSQL). The database settles two
    # scanners checking the same person in at once.
    __table_args__ = (UniqueConstraint("registration_id", "day", "slot"),
                      Index("ix_checkin_batch_day", "batch_id", "day", "slot"))

    id: int | None = Field(default=None, primary_key=True)
    # No index of its own: the unique key (registration_id, day, slot) leads with it, and
    # every index is one more write per check-in at the door.
    registration_id: int = Field(foreign_key="registration.id", ondelete="CASCADE")
    # The batch the person was checked in for (a registration may move later).
    batch_id: int = Field(foreign_key="batch.id", ondelete="CASCADE")
    day: date = Field(index=True)
    slot: int = Field(default=0)
    session_id: int | None = Field(default=None, foreign_key="agenda_session.id")
    # When the door scanned it (the device's clock); the earliest scan wins.
    scanned_at: datetime = Field(sa_type=DateTime(timezone=True))
    recorded_at: datetime = created_at_field()
    device_id: str | None = Field(default=None, max_length=64)
    method: str = Field(default="qr", max_length=10)
    # The scan that made this check-in; the same nonce sent again changes nothing.
    nonce: str | None = Field(default=None, max_length=64, unique=True)
    user_id: int | None = Field(default=None, foreign_key="user.id")
    # Recorded by a device while it had no network, and synced later.
    offline: bool = Field(default=False)


class Scan(SQLModel, table=True):
    """A scan that did not make the check-in: a repeat, or a second offline device's
    scan of someone already checked in (flagged: a conflict for the committee)."""

    id: int | None = Field(default=None, primary_key=True)
    registration_id: int | None = Field(default=None, foreign_key="registration.id", index=True)
    nonce: str = Field(max_length=64, unique=True)
    device_id: str | None = Field(default=None, max_length=64)
    scanned_at: datetime = Field(sa_type=DateTime(timezone=True))
    recorded_at: datetime = created_at_field()
    result: str = Field(max_length=30)
    checkin_id: int | None = Field(default=None, foreign_key="checkin.id", index=True,
                                   ondelete="CASCADE")
    flagged: bool = Field(default=False)
    user_id: int | None = Field(default=None, foreign_key="user.id")
    method: str = Field(default="qr", max_length=10)
    offline: bool = Field(default=False)


class AttendanceMark(SQLModel, table=True):
    """The committee's word on one person on one day of their batch (slot 0), or at one
    session (slot = the session id) in per-session mode: present, absent, or excused
    (izin or sakit) with a reason, entered after the day from the signed daftar hadir.

    Rows are only added, never changed: for a (registration, day, slot) the newest row
    decides, over the door's check-in either way (an absent mark undoes a scan made by
    mistake, a present mark adds someone whose scan was missed); the older rows are the
    history (who changed what, when, and why). The check-ins themselves stay untouched:
    they are the door's log."""

    __tablename__ = "attendance_mark"
    __table_args__ = (Index("ix_attendance_mark_batch_day", "batch_id", "day", "id"),
                      Index("ix_attendance_mark_registration", "registration_id", "day",
                            "slot"))

    id: int | None = Field(default=None, primary_key=True)
    registration_id: int = Field(foreign_key="registration.id", ondelete="CASCADE")
    # The batch the mark was made for: a person moved to another batch starts afresh.
    batch_id: int = Field(foreign_key="batch.id", ondelete="CASCADE")
    day: date
    slot: int = Field(default=0)
    session_id: int | None = Field(default=None, foreign_key="agenda_session.id",
                                   ondelete="CASCADE")
    status: str = Field(max_length=10)  # present | absent | excused
    excuse: str | None = Field(default=None, max_length=10)  # leave | sick, when excused
    reason: str = Field(default="", max_length=500)
    user_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    created_at: datetime = created_at_field()
