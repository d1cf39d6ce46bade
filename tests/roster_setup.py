"""A training for roster tests: two batches, two narasumber (one per batch), confirmed
people with awkward names in the first batch, and check-ins on some days.

The training, batches, narasumber and sessions come from tests/factories.py (the
services). Participants and check-ins are inserted directly: some names hold
spreadsheet formulas, which the registration form refuses but older data or another
path could still carry, and the exports must make them harmless whatever the source;
the check-ins fall on days to come (the batches run a week from now), which the door
refuses to record.
"""

import secrets
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlmodel import Session

from service.models import (
    Batch,
    CheckIn,
    Participant,
    Registration,
    Speaker,
    Training,
    TrainingCategory,
)
from service.models.base import pk
from service.services import trainings, venues
from tests import factories

# name, NIK, phone, institution (Ani and Budi come first: the check-ins below use them)
PEOPLE: tuple[tuple[str, str | None, str | None, str | None], ...] = (
    ("Ani Suryani", "1371015203850011", "+6281266340011", "Kelompok BKB Kel. Air Pacah"),
    ("Budi Santoso", "1371015203850012", "+6281266340012", "=HYPERLINK(\"http://x\")"),
    ("Ḥalimah Ṣalihah Nur'aini", None, "+6282283140655", None),
    ("Hj. Nur Aisyah Binti Muhammad Syafii, S.Pd., M.Pd.", "1371015203850013", None,
     "TP-PKK Kelurahan Lubuk Buaya"),
    ("abdul Rahman", "1371015203850014", None, "Kelompok UPPKS"),  # typed in lower case
)
# How the roster lists them: by name without case or diacritics (Ḥalimah before Hj.).
ROSTER_ORDER = ("abdul Rahman", "Ani Suryani", "Budi Santoso", "Ḥalimah Ṣalihah Nur'aini",
                "Hj. Nur Aisyah Binti Muhammad Syafii, S.Pd., M.Pd.")
# Formula-looking values a spreadsheet would run (OWASP CSV injection).
FORMULAS = ("=cmd|' /C calc'!A0", "+1", "@SUM(1)", "-2", "\tTab", "\rCarriage")


@dataclass
class RosterSetup:
    training: Training
    batch: Batch  # where the people are; narasumber A teaches here
    other: Batch  # narasumber B teaches here
    third: Batch  # nobody teaches here
    speaker_a: Speaker
    speaker_b: Speaker
    regs: list[Registration] = field(default_factory=list)
    days: list[date] = field(default_factory=list)


def _person(db: Session, org_id: int, training: Training, batch: Batch,
            category: TrainingCategory | None, **fields: Any) -> Registration:
    person = Participant(organization_id=org_id, **fields)
    db.add(person)
    db.flush()
    reg = Registration(training_id=pk(training), participant_id=pk(person),
                       batch_id=batch.id, category_id=category.id if category else None,
                       status="confirmed", ticket_token=secrets.token_urlsafe(18))
    db.add(reg)
    db.flush()
    return reg


def check_in(db: Session, reg: Registration, day: date, slot: int = 0) -> None:
    db.add(CheckIn(registration_id=pk(reg), batch_id=reg.batch_id or 0, day=day, slot=slot,
                   session_id=slot or None,
                   scanned_at=datetime.combine(day, time(1, 0), tzinfo=UTC)))
    db.flush()


def make_roster_setup(db: Session, org: Any, start: date | None = None,
                      formulas: bool = False, people: bool = True) -> RosterSetup:
    """Batches start a week from now unless `start` is given (links expire 30 days
    after the training, so a training of 2018 could not get one)."""
    org_id = pk(org)
    start = start or date.today() + timedelta(days=7)
    venue = venues.find_or_create_venue(db, org_id, "Hotel Pangeran Beach")
    training = factories.training(db, org, title="Pelatihan Kader Kampung KB Kota Padang",
                                  start=start, venue_id=venue.id)
    batch = factories.batch(db, training, "Angkatan I")
    other = factories.batch(db, training, "Angkatan II", start=start + timedelta(days=5))
    third = factories.batch(db, training, "Angkatan III", start=start + timedelta(days=9))
    a = factories.speaker(db, org, "Dr. Siti Rahma", title="M.Kes.",
                          institution="Dinas Kesehatan", phone="081277001122")
    b = factories.speaker(db, org, "Drs. Syahrul", institution="BKKBN Sumbar")
    factories.session(db, training, batch, "Kesehatan Reproduksi Remaja", teachers=[a])
    factories.session(db, training, other, "Kebijakan Program Bangga Kencana", teachers=[b])
    cats = trainings.list_categories(db, pk(training))
    setup = RosterSetup(training, batch, other, third, a, b,
                        days=[start, start + timedelta(days=1)])
    if not people:
        db.commit()
        return setup
    for n, (name, nik, phone, institution) in enumerate(PEOPLE):
        setup.regs.append(_person(db, org_id, training, batch, cats[n % 2], name=name,
                                  nik=nik, phone=phone, institution=institution,
                                  village="Lubuk Buaya", district="Koto Tangah"))
    if formulas:
        for bad in FORMULAS:
            # Each formula starts the name (sorted after the others by its "zz") and
            # fills the other text columns.
            setup.regs.append(_person(db, org_id, training, batch, None,
                                      name=bad, institution=bad, village=bad,
                                      district=bad, phone=None, nik=None))
    # Someone in the other batch, who must not appear in the first batch's lists.
    _person(db, org_id, training, other, cats[0], name="Zainal Arifin", nik="1371015203850099",
            phone="+6281266340099", institution="PKB Kuranji")
    # Ani both days, Budi day 1 only, the others never.
    check_in(db, setup.regs[0], setup.days[0])
    check_in(db, setup.regs[0], setup.days[1])
    check_in(db, setup.regs[1], setup.days[0])
    # Committed (a savepoint in tests): a refused request must not roll the setup back.
    db.commit()
    return setup
