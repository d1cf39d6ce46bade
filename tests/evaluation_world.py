"""A training whose sessions and event the tests evaluate: one batch of five cadres, a
narasumber teaching two material sessions, an opening (not evaluated), and a second
narasumber's session in another batch."""

from dataclasses import dataclass
from datetime import date, time

from sqlmodel import Session

from service.models import AgendaSession, Batch, Organization, Registration, Speaker, Training
from service.models.base import pk
from service.schemas.evaluations import AnswerIn
from service.services.evaluations import answers
from tests import factories


@dataclass
class World:
    org: Organization
    training: Training
    batch: Batch
    other_batch: Batch
    speaker: Speaker
    other_speaker: Speaker
    material: AgendaSession
    second: AgendaSession
    opening: AgendaSession
    other: AgendaSession
    regs: list[Registration]


def build(db: Session, org: Organization | None = None, start: date | None = None) -> World:
    org = org or factories.organization(db)
    t = factories.training(db, org, start=start or factories.DAY1, days=4)
    b = factories.batch(db, t, days=2)
    b2 = factories.batch(db, t, name="Angkatan II", start=b.start_date, days=2)
    sp = factories.speaker(db, org, name="Dr. Siti Rahma", institution="BKKBN Sumbar")
    sp2 = factories.speaker(db, org, name="Drs. Hendra Putra")
    opening = factories.session(db, t, b, title="Pembukaan", start=time(7, 30),
                                end=time(8), jpl=0, kind="opening")
    material = factories.session(db, t, b, title="Kesehatan Reproduksi Remaja",
                                 teachers=[sp])
    second = factories.session(db, t, b, title="Pengasuhan Balita", day=b.end_date,
                               teachers=[sp])
    other = factories.session(db, t, b2, title="Ketahanan Keluarga", teachers=[sp2],
                              start=time(10), end=time(11))
    regs = factories.register_many(db, t, b, 5)
    factories.register_many(db, t, b2, 2, first=5)
    return World(org, t, b, b2, sp, sp2, material, second, opening, other, regs)


def scores(value: int = 4, **special: int) -> dict[str, int]:
    base = {"mastery": value, "delivery": value, "time": value, "relevance": value}
    return {**base, **special}


def event_scores(value: int = 4) -> dict[str, int]:
    return {"venue": value, "food": value, "organisation": value, "materials": value}


def answer_session(db: Session, reg: Registration, session: AgendaSession, value: int = 4,
                   comment: str | None = None) -> None:
    answers.submit(db, reg.ticket_token, "narasumber",
                   AnswerIn(session_id=pk(session), answers=scores(value), comment=comment))


def answer_event(db: Session, reg: Registration, value: int = 4,
                 comment: str | None = None) -> None:
    answers.submit(db, reg.ticket_token, "event",
                   AnswerIn(answers=event_scores(value), comment=comment))
