"""Worlds for the guests, committee and narasumber-attendance tests: Padang's training
with two batches side by side (12-13 and 17-18 September 2018), its opening guests and
committee, and a narasumber per session."""

from dataclasses import dataclass
from datetime import date, time

from sqlmodel import Session

from service.models import AgendaSession, Batch, EventPerson, Organization, Speaker, Training
from service.schemas.guests import PersonCreate
from service.services.guests import people
from tests import factories

DAY1, DAY2 = date(2018, 9, 12), date(2018, 9, 13)
DAY3 = date(2018, 9, 17)


@dataclass
class World:
    org: Organization
    training: Training
    first: Batch
    second: Batch
    guest: EventPerson
    chair: EventPerson
    speaker: Speaker
    other_speaker: Speaker
    session: AgendaSession
    other_session: AgendaSession


def guest(db: Session, t: Training, name: str = "Drs. H. Ahmad Syafei", **fields: str
          ) -> EventPerson:
    return people.add_person(db, t, PersonCreate(**{
        "kind": "guest", "name": name, "position": "Wakil Wali Kota",
        "institution": "Pemerintah Kota Padang", **fields}))


def committee(db: Session, t: Training, name: str = "Hj. Nurhayati, S.Sos.",
              role: str = "Ketua", **fields: str) -> EventPerson:
    return people.add_person(db, t, PersonCreate(**{
        "kind": "committee", "name": name, "committee_role": role,
        "position": "Kepala Bidang KB", "institution": "DP3AP2KB Kota Padang", **fields}))


def world(db: Session, org: Organization | None = None) -> World:
    org = org or factories.organization(db)
    t = factories.training(db, org, days=7)
    first = factories.batch(db, t, "Angkatan I", start=DAY1)
    second = factories.batch(db, t, "Angkatan III", start=DAY3)
    speaker = factories.speaker(db, org, "Dr. Siti Rahma", institution="BKKBN Sumbar")
    other = factories.speaker(db, org, "dr. Yusrizal", institution="Dinas Kesehatan")
    s1 = factories.session(db, t, first, "Kebijakan Kampung KB", start=time(8),
                           end=time(9, 30), teachers=[speaker])
    s2 = factories.session(db, t, first, "Kesehatan Reproduksi", start=time(10),
                           end=time(11, 30), teachers=[other])
    return World(org, t, first, second, guest(db, t), committee(db, t), speaker, other,
                 s1, s2)
