"""The Padang 2018 demo: what `bimtek demo` seeds, checked against the real event's shape."""

import re
from collections import Counter
from datetime import date

import pytest
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, func, select

from service.models import (
    AgendaSession,
    Batch,
    Organization,
    Participant,
    Registration,
    SessionSpeaker,
    Speaker,
    Training,
    TrainingCategory,
    Venue,
)
from service.services import auth
from service.services.demo import DemoResult, demo_participants, seed_demo

EMAIL, PASSWORD = "Admin@Padang.Demo", "demo-padang-2018"
SEPT = {d: date(2018, 9, d) for d in (12, 13, 17, 18)}


@pytest.fixture
def demo(db: Session) -> DemoResult:
    return seed_demo(db, admin_email=EMAIL, admin_password=PASSWORD)


def _batches(db: Session, demo: DemoResult) -> dict[str, Batch]:
    rows = db.exec(select(Batch).where(Batch.training_id == demo.training_id)).all()
    return {b.name: b for b in rows}


def test_training_organization_and_venue(db: Session, demo: DemoResult) -> None:
    training = db.get(Training, demo.training_id)
    assert training is not None
    assert training.title == "Pelatihan Pengelolaan Kelompok Kegiatan Kampung KB Kota Padang"
    assert training.kind == "pelatihan" and training.timezone == "Asia/Jakarta"
    assert (training.start_date, training.end_date) == (SEPT[12], date(2018, 9, 18))
    org = db.get(Organization, training.organization_id)
    assert org is not None and (org.name, org.city) == ("DP3AP2KB Kota Padang", "Padang")
    venue = db.get(Venue, training.venue_id)
    assert venue is not None and venue.name == "Hotel Pangeran Beach"
    quotas = {c.name: c.quota for c in db.exec(
        select(TrainingCategory).where(TrainingCategory.training_id == training.id))}
    assert set(quotas) == {"Kader BKB", "Kader BKR", "Kader BKL", "UPPKS", "PKB",
                           "TP-PKK Kelurahan", "Pokja Kampung KB"}
    assert sum(q or 0 for q in quotas.values()) == 421
    assert demo.summary == ("Pelatihan Pengelolaan Kelompok Kegiatan Kampung KB Kota Padang: "
                            "4 angkatan, 421 peserta, 7 narasumber, 16 JPL per angkatan")


def test_four_batches_two_pairs_side_by_side(db: Session, demo: DemoResult) -> None:
    batches = _batches(db, demo)
    got = {n: (b.start_date, b.end_date, b.capacity) for n, b in batches.items()}
    assert got == {
        "Angkatan I": (SEPT[12], SEPT[13], 106), "Angkatan II": (SEPT[12], SEPT[13], 105),
        "Angkatan III": (SEPT[17], SEPT[18], 105), "Angkatan IV": (SEPT[17], SEPT[18], 105),
    }
    assert sum(b.capacity for b in batches.values()) == 421
    assert sorted(demo.batch_ids) == sorted(b.id or 0 for b in batches.values())


def test_seven_speakers_one_per_institution(db: Session, demo: DemoResult) -> None:
    rows = db.exec(select(Speaker).where(Speaker.organization_id == demo.organization_id)).all()
    assert {s.institution for s in rows} == {
        "BKKBN Perwakilan Sumatera Barat", "AKU Sumbar", "Dinas Pendidikan Kota Padang",
        "Dinas Kesehatan Kota Padang", "BNN Kota Padang", "DP3AP2KB Kota Padang",
        "TP-PKK Kota Padang"}
    assert all(s.title and s.position for s in rows)


def test_participants_unique_padang_niks(db: Session, demo: DemoResult) -> None:
    people = db.exec(select(Participant)
                     .where(Participant.organization_id == demo.organization_id)).all()
    assert len(people) == 421 == demo.participant_count
    niks = [p.nik or "" for p in people]
    assert all(re.fullmatch(r"1371\d{12}", n) for n in niks)
    assert len(set(niks)) == 421
    for p in people:
        # The NIK encodes the birth date, with 40 added to the day for women.
        assert p.birth_date is not None and p.gender in ("P", "L")
        day = p.birth_date.day + (40 if p.gender == "P" else 0)
        assert p.nik is not None and p.nik[6:12] == p.birth_date.strftime(f"{day:02d}%m%y")
        assert p.phone is not None and re.fullmatch(r"\+628\d{9,11}", p.phone)
        assert p.regency == "Kota Padang" and p.province == "Sumatera Barat"
        assert p.kampung_kb == f"Kampung KB {p.village}"
    women = Counter(p.gender for p in people)["P"]
    assert women > 0.8 * 421
    assert len({p.district for p in people}) == 11


def test_everyone_is_registered_confirmed_and_batches_are_full(db: Session,
                                                               demo: DemoResult) -> None:
    regs = db.exec(select(Registration).where(Registration.training_id == demo.training_id)).all()
    assert len(regs) == 421
    assert {r.status for r in regs} == {"confirmed"}
    per_batch = Counter(r.batch_id for r in regs)
    for batch in _batches(db, demo).values():
        assert per_batch[batch.id] == batch.capacity == batch.confirmed_count
    assert len({r.ticket_token for r in regs}) == 421


def test_every_demo_ticket_verifies(db: Session, demo: DemoResult) -> None:
    from service.services import tickets

    training = db.get(Training, demo.training_id)
    assert training is not None
    regs = db.exec(select(Registration).where(Registration.training_id == demo.training_id)).all()
    for reg in regs[:: 20]:
        batch = db.get(Batch, reg.batch_id)
        code = tickets.ticket_code(db, training, reg, batch)
        assert code is not None
        assert tickets.check_code(db, demo.organization_id, code).registration.id == reg.id


def test_participants_are_the_same_every_time() -> None:
    first, second = demo_participants(1), demo_participants(1)
    assert [(p.nik, p.name, p.phone) for p in first] == [(p.nik, p.name, p.phone) for p in second]


def test_every_batch_has_sessions_on_both_days_and_equal_jpl(db: Session,
                                                             demo: DemoResult) -> None:
    batches = _batches(db, demo)
    for batch in batches.values():
        days = set(db.exec(select(col(AgendaSession.date))
                           .where(AgendaSession.batch_id == batch.id)).all())
        assert days == {batch.start_date, batch.end_date}, batch.name
    jpl = dict(db.exec(select(Batch.name, func.sum(AgendaSession.jpl))
                       .join(AgendaSession, col(AgendaSession.batch_id) == Batch.id)
                       .where(Batch.training_id == demo.training_id)
                       .group_by(Batch.name)).all())
    assert jpl == {n: 16 for n in batches}
    third = set(db.exec(select(col(AgendaSession.date))
                        .where(AgendaSession.batch_id == batches["Angkatan III"].id)).all())
    assert third == {SEPT[17], SEPT[18]}


def test_no_speaker_is_in_two_places_at_once(db: Session, demo: DemoResult) -> None:
    a, b = aliased(AgendaSession), aliased(AgendaSession)
    sa, sb = aliased(SessionSpeaker), aliased(SessionSpeaker)
    clashes = db.exec(
        select(func.count()).select_from(sa)
        .join(a, col(a.id) == sa.session_id)
        .join(sb, col(sb.speaker_id) == sa.speaker_id)
        .join(b, col(b.id) == sb.session_id)
        .where(col(a.id) < col(b.id), col(a.date) == b.date,
               col(a.start_time) < b.end_time, col(b.start_time) < a.end_time)).one()
    assert clashes == 0
    # The check means something: every narasumber teaches all four angkatan,
    # two of them side by side on the same days.
    per_speaker = db.exec(select(SessionSpeaker.speaker_id,
                                 func.count(func.distinct(AgendaSession.batch_id)))
                          .join(AgendaSession, col(AgendaSession.id) == SessionSpeaker.session_id)
                          .group_by(col(SessionSpeaker.speaker_id))).all()
    assert len(per_speaker) == 7 and all(n == 4 for _sid, n in per_speaker)


def test_admin_can_log_in(db: Session, demo: DemoResult) -> None:
    user = auth.authenticate(db, EMAIL, PASSWORD)
    assert user.role == "admin" and user.organization_id == demo.organization_id
    with pytest.raises(auth.InvalidCredentials):
        auth.authenticate(db, EMAIL, "not-the-password")
