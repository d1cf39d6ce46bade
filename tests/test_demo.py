"""The Padang 2018 demo: what `bimtek demo` seeds, checked against the real event's shape."""

import re
from collections import Counter
from datetime import UTC, date
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, func, select

from service.models import (
    AgendaSession,
    AttendanceMark,
    Batch,
    CheckIn,
    Organization,
    Participant,
    Registration,
    Scan,
    SessionSpeaker,
    Speaker,
    Training,
    TrainingCategory,
    User,
    Venue,
)
from service.services import attendance, auth
from service.services.demo import DemoResult, demo_participants
from service.services.demo import province as demo_province
from service.services.erasure.scrub import is_erased_name
from service.services.participant_fields import parse_nip
from tests.conftest import DEMO_EMAIL as EMAIL
from tests.conftest import DEMO_PASSWORD as PASSWORD

SEPT = {d: date(2018, 9, d) for d in (12, 13, 17, 18)}


@pytest.fixture
def db(demo_db: Session) -> Session:
    """The demo is seeded once for this module (conftest's seeded_demo)."""
    return demo_db


@pytest.fixture
def demo(seeded_demo: tuple[object, DemoResult]) -> DemoResult:
    return seeded_demo[1]


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
    # One cadre asked to be forgotten (UU PDP, demo_erasure): her data is gone.
    erased = [p for p in people if is_erased_name(p.name)]
    assert len(erased) == 1 and erased[0].nik is None and erased[0].phone is None
    people = [p for p in people if p not in erased]
    niks = [p.nik or "" for p in people]
    assert all(re.fullmatch(r"1371\d{12}", n) for n in niks)
    assert len(set(niks)) == 420
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
                          .join(Speaker, col(Speaker.id) == SessionSpeaker.speaker_id)
                          .where(Speaker.organization_id == demo.organization_id)
                          .group_by(col(SessionSpeaker.speaker_id))).all()
    assert len(per_speaker) == 7 and all(n == 4 for _sid, n in per_speaker)


def test_admin_can_log_in(db: Session, demo: DemoResult) -> None:
    user = auth.authenticate(db, EMAIL, PASSWORD)
    assert user.role == "admin" and user.organization_id == demo.organization_id
    with pytest.raises(auth.InvalidCredentials):
        auth.authenticate(db, EMAIL, "not-the-password")


# --- the attendance history -------------------------------------------------------------

def _attendance(db: Session, demo: DemoResult
                ) -> dict[tuple[str, date], attendance.Attendance]:
    training = db.get(Training, demo.training_id)
    assert training is not None
    return {(b.name, d): attendance.attendance(db, training, b, d)
            for b in _batches(db, demo).values() for d in (b.start_date, b.end_date)}


def test_attendance_history_nearly_everyone_then_a_handful_away(db: Session,
                                                                demo: DemoResult) -> None:
    days = _attendance(db, demo)
    assert len(days) == 8
    for name, batch in _batches(db, demo).items():
        first, second = days[(name, batch.start_date)], days[(name, batch.end_date)]
        assert first.total.expected == second.total.expected == batch.capacity
        assert 2 <= first.total.missing <= 4, name
        assert 5 <= second.total.missing <= 9, name
        away1 = {m.registration_id for m in first.missing}
        away2 = {m.registration_id for m in second.missing}
        assert len(away1 & away2) <= 1, name  # mostly other people on day 2
        assert [(d.day, d.present) for d in second.per_day] == [
            (batch.start_date, first.total.present), (batch.end_date, second.total.present)]
    # The same history every time (fixed seed): the figures of the demo (799 scans, and
    # one missed scan the committee recorded from the daftar hadir).
    assert sum(a.total.present for a in days.values()) == 800
    assert {k: a.total.missing for k, a in days.items()} == {
        ("Angkatan I", SEPT[12]): 4, ("Angkatan I", SEPT[13]): 5,
        ("Angkatan II", SEPT[12]): 3, ("Angkatan II", SEPT[13]): 6,
        ("Angkatan III", SEPT[17]): 4, ("Angkatan III", SEPT[18]): 8,
        ("Angkatan IV", SEPT[17]): 3, ("Angkatan IV", SEPT[18]): 9}


def test_attendance_history_has_the_committees_corrections_from_the_daftar_hadir(
        db: Session, demo: DemoResult) -> None:
    days = _attendance(db, demo)
    first = days[("Angkatan I", SEPT[13])]
    excused = [m for m in first.missing if m.status == "excused"]
    assert [(m.excuse, m.reason) for m in excused] == [
        ("sick", "Demam tinggi, surat keterangan dari puskesmas")]
    assert first.total.excused == 1
    third = days[("Angkatan III", SEPT[18])]
    assert [m.excuse for m in third.missing if m.status == "excused"] == ["leave"]
    marks = db.exec(select(AttendanceMark)).all()
    assert sorted(m.status for m in marks) == ["excused", "excused", "present"]
    admin = auth.authenticate(db, EMAIL, PASSWORD)
    assert {m.user_id for m in marks} == {admin.id}


def test_attendance_history_scanned_at_the_two_gates_in_the_morning(db: Session,
                                                                    demo: DemoResult) -> None:
    gates = {u.id: u for u in db.exec(select(User).where(User.role == "scanner"))}
    assert sorted(u.name for u in gates.values()) == ["Gerbang 1", "Gerbang 2"]
    assert all(u.training_id == demo.training_id and u.is_active for u in gates.values())
    assert all(u.organization_id == demo.organization_id for u in gates.values())
    rows = db.exec(select(CheckIn).where(col(CheckIn.batch_id).in_(demo.batch_ids))).all()
    assert len(rows) == 799 and len({r.nonce for r in rows}) == 799
    wib = ZoneInfo("Asia/Jakarta")
    for r in rows:
        local = (r.scanned_at if r.scanned_at.tzinfo else r.scanned_at.replace(
            tzinfo=UTC)).astimezone(wib)
        assert local.date() == r.day and "07:25" <= local.strftime("%H:%M") <= "08:40"
        assert r.user_id in gates and r.slot == 0
    by_gate = Counter(gates[r.user_id].name for r in rows)
    assert min(by_gate.values()) > 300
    methods = Counter((r.method, r.offline) for r in rows)
    assert 10 <= methods[("manual", False)] <= 40
    assert 5 <= methods[("qr", True)] <= 25  # the signal dropped one morning
    assert {r.day for r in rows if r.offline} == {SEPT[17]}


def test_attendance_history_has_two_conflicts_the_earliest_scan_kept(db: Session,
                                                                    demo: DemoResult) -> None:
    training = db.get(Training, demo.training_id)
    assert training is not None
    conflicts = attendance.conflicts(db, training)
    assert len(conflicts) == 2
    assert {c.batch for c in conflicts} == {"Angkatan III", "Angkatan IV"}
    for c in conflicts:
        assert c.day == SEPT[17] and c.first.at < c.second.at
        assert c.first.offline and c.second.offline
        assert {c.first.by, c.second.by} == {"Gerbang 1", "Gerbang 2"}
    scans = db.exec(select(Scan)).all()
    assert Counter(s.flagged for s in scans) == {True: 2, False: 4}  # and a repeat a day
    assert {s.result for s in scans} == {"already_checked_in"}


# --- the provincial workshop (Palembang 2022) -------------------------------------------

@pytest.fixture
def province(demo: DemoResult) -> demo_province.ProvinceResult:
    assert demo.province is not None
    return demo.province


def test_demo_seeds_the_provincial_workshop_beside_padang(db: Session,
                                                          demo: DemoResult) -> None:
    assert demo.province is not None
    training = db.get(Training, demo.province.training_id)
    assert training is not None and training.organization_id != demo.organization_id
    assert training.title == "Workshop Penguatan Kampung KB Provinsi Sumatera Selatan"


def test_province_workshop_is_a_three_day_regency_level_event_at_a_hotel(
        db: Session, province: demo_province.ProvinceResult) -> None:
    training = db.get(Training, province.training_id)
    assert training is not None
    assert (training.kind, training.region_level) == ("workshop", "regency")
    assert (training.start_date, training.end_date) == (date(2022, 8, 24), date(2022, 8, 26))
    org = db.get(Organization, training.organization_id)
    assert org is not None and (org.name, org.city) == (
        "Perwakilan BKKBN Provinsi Sumatera Selatan", "Palembang")
    venue = db.get(Venue, training.venue_id)
    assert venue is not None and venue.name.startswith("Hotel") and venue.city == "Palembang"
    assert province.summary.startswith(training.title)


def test_province_144_officials_of_17_regencies_with_nip_position_and_rank(
        db: Session, province: demo_province.ProvinceResult) -> None:
    regs = db.exec(select(Registration).where(
        Registration.training_id == province.training_id)).all()
    assert len(regs) == 144 and {r.status for r in regs} == {"confirmed"}
    assert {r.batch_id for r in regs} == {province.batch_id}
    people = db.exec(select(Participant)
                     .where(Participant.organization_id == province.organization_id)).all()
    assert len(people) == 144 and len({p.regency for p in people}) == 17
    assert len({p.nip for p in people}) == 144
    for p in people:
        assert p.nip is not None and p.position and p.rank and p.phone
        info = parse_nip(p.nip)
        assert (info.birth_date, info.gender) == (p.birth_date, p.gender)
        assert p.institution is not None and p.institution.endswith(p.regency or "")
    # Names with titles, as offices write them, sorted without them.
    titled = [p for p in people if p.sort_name[0] != p.name[0].casefold()]
    assert len(titled) > 30
    categories = Counter(c for c in db.exec(
        select(TrainingCategory.name).join(Registration, col(Registration.category_id)
                                           == TrainingCategory.id)
        .where(Registration.training_id == province.training_id)).all())
    assert categories == {"Bappeda": 34, "Dinas Kesehatan": 34, "Dinas PMD": 34,
                          "Dinas PPKB": 42}


def test_province_field_visit_day_has_its_own_place_and_its_daftar_hadir_says_so(
        db: Session, province: demo_province.ProvinceResult) -> None:
    from service.services import overview, rosters

    training = db.get(Training, province.training_id)
    batch = db.get(Batch, province.batch_id)
    assert training is not None and batch is not None
    info = overview.batch_info(db, batch, training)
    visit = info.own_place_on(province.field_visit_day)
    assert visit is not None and visit.name == "Kampung KB Seroja, Desa Sembadak"
    assert [d for d in info.days if info.own_place_on(d)] == [date(2022, 8, 26)]
    sheet = rosters.attendance_sheet(rosters.roster(db, training, batch),
                                     province.field_visit_day, grouped=True)
    assert dict(sheet.details)["Tempat"].startswith("Kampung KB Seroja, Desa Sembadak")
    # Back at the hotel for the close: a session with its own place.
    closing = [i for i in info.sessions_on(province.field_visit_day)
               if info.session_place(i) is not None]
    assert [i.session.title for i in closing] == ["Rencana tindak lanjut per kabupaten/kota",
                                                  "Penutupan"]


def test_province_five_narasumber_with_titles(db: Session,
                                              province: demo_province.ProvinceResult) -> None:
    rows = db.exec(select(Speaker)
                   .where(Speaker.organization_id == province.organization_id)).all()
    assert len(rows) == 5 and all(s.title and s.institution for s in rows)
    assert all(s.name.split()[0].rstrip(".") in ("Dr", "Ir", "dr", "Drs", "Hj") for s in rows)


def test_province_admin_logs_in_to_its_own_office(db: Session,
                                                  province: demo_province.ProvinceResult) -> None:
    user = auth.authenticate(db, demo_province.EMAIL, PASSWORD)
    assert user.role == "admin" and user.organization_id == province.organization_id


def test_the_committees_messages_show_every_state(db: Session, demo: DemoResult) -> None:
    from service.models import Message, MessageOptOut
    from service.services.messaging import reminders

    training = db.get(Training, demo.training_id)
    assert training is not None
    kinds = Counter(db.exec(select(Message.kind).where(
        Message.training_id == demo.training_id)).all())
    statuses = Counter(db.exec(select(Message.status).where(
        Message.training_id == demo.training_id)).all())
    # A WhatsApp ticket to each of the 421, a reminder per person, Angkatan I's links.
    assert kinds["ticket"] >= 421 and kinds["reminder"] == 421 and kinds["certificate"] > 50
    assert {"sent", "delivered", "read", "failed"} <= set(statuses)
    assert statuses["queued"] == 0  # no channel is set up: nothing waits forever
    assert all(r.enabled for r in reminders.rules(db, training).values())
    assert db.exec(select(func.count()).select_from(MessageOptOut)).one() == 1


def test_the_register_shows_coverage_against_the_target(db: Session, demo: DemoResult) -> None:
    from service.services import coverage

    found = coverage.coverage(db, demo.organization_id)
    assert found.target == 104 and 0 < found.registered < 104
    assert 0 < found.covered <= found.registered


def test_demo_evaluations_most_cadres_rated_each_session_and_the_event(
        db: Session, demo: DemoResult) -> None:
    from service.models import Training
    from service.services.evaluations import results

    training = db.get(Training, demo.training_id)
    assert training is not None
    ev = results.training_evaluations(db, training)
    assert ev.sessions and all(0.7 < s.rate.share < 1 for s in ev.sessions)
    assert all(s.result and s.result.shown and s.result.mean for s in ev.sessions)
    assert 0.7 < ev.event_rate.share < 0.9 and ev.event and ev.event.comments
