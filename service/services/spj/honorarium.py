"""Narasumber honorarium: the JP of the sessions each narasumber taught and was recorded
present for (SpeakerAttendance), times their class's rate; PPh 21 by golongan and NPWP.

A session taught without a recorded presence is not paid: it is listed as a warning, so
the committee ticks it (or the narasumber's own link does) before the SPJ is closed."""

from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal

from sqlmodel import Session, col, select

from service.i18n.names import sort_key
from service.models import AgendaSession, Batch, SessionSpeaker, Speaker, Training
from service.models.speaker_attendance import SpeakerAttendance
from service.schemas.spj import RateTableIn
from service.services.spj import money, rates


@dataclass(frozen=True)
class Taught:
    session_id: int
    title: str
    day: date
    batch: str
    jp: int
    minutes: int
    present: bool | None  # None: not recorded


@dataclass
class HonorariumLine:
    speaker: Speaker
    sessions: list[Taught] = field(default_factory=list)
    jp: int = 0
    quantity: Decimal = Decimal(0)
    rate: int = 0
    tax_percent: Decimal = Decimal(0)
    gross: int = 0
    tax: int = 0

    @property
    def net(self) -> int:
        return self.gross - self.tax


def _minutes(start: time, end: time) -> int:
    return max(0, int((datetime.combine(date.min, end)
                       - datetime.combine(date.min, start)).total_seconds() // 60))


def lines(db: Session, training: Training, data: RateTableIn) -> list[HonorariumLine]:
    rows = db.exec(select(AgendaSession, SessionSpeaker, Speaker, Batch)
                   .join(SessionSpeaker, col(SessionSpeaker.session_id) == AgendaSession.id)
                   .join(Speaker, col(Speaker.id) == SessionSpeaker.speaker_id)
                   .join(Batch, col(Batch.id) == AgendaSession.batch_id)
                   .where(Batch.training_id == training.id)
                   .order_by(col(AgendaSession.date), col(AgendaSession.start_time),
                             col(AgendaSession.id))).all()
    marks = {(a.session_id, a.speaker_id): a.present for a in db.exec(
        select(SpeakerAttendance).where(col(SpeakerAttendance.session_id).in_(
            {s.id for s, _ss, _sp, _b in rows}))).all()} if rows else {}
    by_speaker: dict[int, HonorariumLine] = {}
    for session, _link, speaker, batch in rows:
        line = by_speaker.setdefault(speaker.id or 0, HonorariumLine(speaker))
        line.sessions.append(Taught(session.id or 0, session.title, session.date, batch.name,
                                    session.counted_jpl,
                                    _minutes(session.start_time, session.end_time),
                                    marks.get((session.id or 0, speaker.id or 0))))
    per_hour = data.honorarium_unit == "orang_jam"
    for line in by_speaker.values():
        paid = [t for t in line.sessions if t.present and t.jp > 0]
        line.jp = sum(t.jp for t in paid)
        # Per orang-jam: the hours (60 minutes) of the paid sessions, to the hundredth.
        line.quantity = (Decimal(sum(t.minutes for t in paid)) / Decimal(60)).quantize(
            Decimal("0.01")) if per_hour else Decimal(line.jp)
        line.rate = rates.class_rate(data, line.speaker.honorarium_class) or 0
        line.gross = money.scaled(line.rate, line.quantity)
        line.tax_percent = rates.pph21(data, line.speaker.golongan, bool(line.speaker.npwp))
        line.tax = money.tax(line.gross, line.tax_percent)
    return sorted(by_speaker.values(), key=lambda x: sort_key(x.speaker.name))


def unrecorded(line: HonorariumLine) -> list[Taught]:
    """Sessions with JP the narasumber teaches whose presence nobody recorded."""
    return [t for t in line.sessions if t.present is None and t.jp > 0]

