"""One presence for everyone (service.services.presence): the door's check-ins corrected by
the committee's marks after the day, read alike by the live attendance page, the roster,
the activity report and certificate eligibility; in a fixed number of queries."""

from dataclasses import dataclass
from datetime import date, time, timedelta

from sqlmodel import Session

from service.models import AgendaSession, Batch, Organization, Registration, Training, User
from service.models.base import pk
from service.services import activity_report, presence, rosters
from service.services import attendance as att
from service.services.certificates import eligibility as certificate_eligibility
from tests import factories

DAY1 = factories.DAY1
DAY2 = DAY1 + timedelta(days=1)


@dataclass
class World:
    training: Training
    batch: Batch
    people: list[Registration]
    admin: User


def _world(db: Session, org: Organization, people: int = 3, mode: str = "day") -> World:
    """Angkatan I on 12-13 September 2018 with `people` cadres, all scanned on day 1, none
    on day 2."""
    admin = factories.user(db, org, role="admin", name="Ketua Panitia")
    training = factories.training(db, org, mode=mode)
    batch = factories.batch(db, training)
    regs = factories.register_many(db, training, batch, people)
    if mode == "day":
        for reg in regs:
            factories.check_in(db, reg, DAY1, admin)
    return World(training, batch, regs, admin)


def _state(db: Session, w: World, reg: Registration, day: date,
           session_id: int | None = None) -> presence.State:
    return presence.load(db, w.training, [w.batch]).state(pk(reg), day, session_id)


# --- the rule --------------------------------------------------------------------------

def test_a_scan_makes_present_and_nothing_makes_absent(db: Session, org: Organization) -> None:
    w = _world(db, org)
    assert _state(db, w, w.people[0], DAY1) == presence.State("present", scanned=True)
    assert _state(db, w, w.people[0], DAY2) == presence.State("absent")


def test_a_present_mark_adds_someone_whose_scan_was_missed(db: Session,
                                                            org: Organization) -> None:
    w = _world(db, org)
    factories.mark(db, w.people[0], DAY2, w.admin, "present", "Tanda tangan di daftar hadir")
    state = _state(db, w, w.people[0], DAY2)
    assert (state.status, state.scanned, state.marked) == ("present", False, True)


def test_an_absent_mark_removes_a_scan_made_by_mistake(db: Session, org: Organization) -> None:
    w = _world(db, org)
    factories.mark(db, w.people[1], DAY1, w.admin, "absent", "Tiket dipindai oleh temannya")
    state = _state(db, w, w.people[1], DAY1)
    assert (state.status, state.scanned, state.marked) == ("absent", True, True)


def test_an_excused_day_is_not_present_and_keeps_its_excuse_and_reason(
        db: Session, org: Organization) -> None:
    w = _world(db, org)
    factories.mark(db, w.people[0], DAY2, w.admin, "excused", "Demam, surat dari puskesmas",
                   excuse="sick")
    state = _state(db, w, w.people[0], DAY2)
    assert not state.present
    assert (state.status, state.excuse, state.reason) == ("excused", "sick",
                                                          "Demam, surat dari puskesmas")


def test_the_newest_mark_decides(db: Session, org: Organization) -> None:
    w = _world(db, org)
    factories.mark(db, w.people[0], DAY2, w.admin, "excused", "Izin acara keluarga")
    factories.mark(db, w.people[0], DAY2, w.admin, "present", "Datang siang, tanda tangan")
    assert _state(db, w, w.people[0], DAY2).status == "present"
    factories.mark(db, w.people[0], DAY2, w.admin, "absent", "Tanda tangan ternyata bukan")
    assert _state(db, w, w.people[0], DAY2).status == "absent"


def test_a_mark_for_another_batch_does_not_follow_a_moved_person(
        db: Session, org: Organization) -> None:
    w = _world(db, org)
    factories.mark(db, w.people[0], DAY2, w.admin, "present", "Dari daftar hadir")
    other = factories.batch(db, w.training, "Angkatan II")  # the same days
    w.people[0].batch_id = pk(other)
    db.add(w.people[0])
    db.flush()
    assert not presence.load(db, w.training, [other]).present(pk(w.people[0]), DAY2)


def test_only_confirmed_registrations_count(db: Session, org: Organization) -> None:
    w = _world(db, org)
    w.people[0].status = "cancelled"
    db.add(w.people[0])
    db.flush()
    assert not presence.load(db, w.training).present(pk(w.people[0]), DAY1)


# --- per-session mode ------------------------------------------------------------------

def _sessions(db: Session, w: World) -> list[AgendaSession]:
    return [factories.session(db, w.training, w.batch, f"Materi {n}", day=DAY1,
                              start=time(8 + 2 * n), end=time(9 + 2 * n)) for n in (1, 2)]


def test_per_session_a_session_mark_overrides_that_sessions_scan_only(
        db: Session, org: Organization) -> None:
    w = _world(db, org, mode="session")
    first, second = _sessions(db, w)
    reg = w.people[0]
    factories.check_in(db, reg, DAY1, w.admin, at=time(9), session_id=pk(first))
    factories.check_in(db, reg, DAY1, w.admin, at=time(11), session_id=pk(second))
    factories.mark(db, reg, DAY1, w.admin, "absent", "Pulang sebelum sesi kedua",
                   session_id=pk(second))
    found = presence.load(db, w.training, [w.batch])
    assert found.present(pk(reg), DAY1, pk(first))
    assert not found.present(pk(reg), DAY1, pk(second))
    assert found.present(pk(reg), DAY1)  # present at a session: present that day


def test_per_session_a_whole_day_mark_applies_to_every_session(
        db: Session, org: Organization) -> None:
    w = _world(db, org, mode="session")
    first, second = _sessions(db, w)
    reg = w.people[0]
    factories.mark(db, reg, DAY1, w.admin, "present", "Tanda tangan daftar hadir hari ke-1")
    found = presence.load(db, w.training, [w.batch])
    assert found.sessions_present(pk(reg), DAY1, [pk(first), pk(second)]) == [pk(first),
                                                                             pk(second)]
    assert found.present(pk(reg), DAY1)


def test_per_session_a_newer_session_mark_beats_an_older_whole_day_mark(
        db: Session, org: Organization) -> None:
    w = _world(db, org, mode="session")
    first, second = _sessions(db, w)
    reg = w.people[0]
    factories.mark(db, reg, DAY1, w.admin, "excused", "Sakit", excuse="sick")
    factories.mark(db, reg, DAY1, w.admin, "present", "Datang untuk sesi kedua",
                   session_id=pk(second))
    found = presence.load(db, w.training, [w.batch])
    assert found.state(pk(reg), DAY1, pk(first)).status == "excused"
    assert found.present(pk(reg), DAY1, pk(second)) and found.present(pk(reg), DAY1)


# --- everyone follows it ---------------------------------------------------------------

def test_one_change_moves_the_page_the_report_the_roster_and_eligibility(
        db: Session, org: Organization) -> None:
    w = _world(db, org)
    for reg in w.people[1:]:
        factories.check_in(db, reg, DAY2, w.admin)
    factories.certificate_template_for(db, w.training, w.admin)
    missed = w.people[0]  # scanned on day 1 only: "1 of 2 days"

    def figures() -> tuple[int, int, bool, bool]:
        page = att.attendance(db, w.training, w.batch, DAY2)
        report = activity_report.activity_report(db, w.training)
        roster = rosters.roster(db, w.training, w.batch)
        row = next(r for r in roster.rows if r.registration_id == pk(missed))
        person = next(p for p in certificate_eligibility.review_summary(db, w.training).people
                      if pk(p.registration) == pk(missed))
        return page.total.present, report.batches[0].complete, row.present[1], person.eligible

    assert figures() == (2, 2, False, False)
    factories.mark(db, missed, DAY2, w.admin, "present", "Lupa scan, tanda tangan ada")
    assert figures() == (3, 3, True, True)


def test_an_excused_day_shows_as_excused_everywhere(db: Session, org: Organization) -> None:
    w = _world(db, org)
    factories.certificate_template_for(db, w.training, w.admin)
    reg = w.people[0]
    factories.mark(db, reg, DAY2, w.admin, "excused", "Anak sakit", excuse="leave")
    page = att.attendance(db, w.training, w.batch, DAY2)
    assert (page.total.present, page.total.excused) == (0, 1)
    assert [(m.registration_id, m.status, m.reason) for m in page.missing
            if m.status == "excused"] == [(pk(reg), "excused", "Anak sakit")]
    assert [d.excused for d in activity_report.activity_report(db, w.training).batches[0].days
            ] == [0, 1]
    roster = rosters.roster(db, w.training, w.batch)
    sheet = rosters.sheet(roster, "committee")
    row = next(r for r in sheet.rows if reg.id and r[1] == roster.rows[0].name)
    assert row[-2:] == [rosters.PRESENT, "I"]
    person = next(p for p in certificate_eligibility.review_summary(db, w.training).people
                  if pk(p.registration) == pk(reg))
    assert not person.eligible
    assert person.why == ["Izin hari ke-2 (13 September 2018): Anak sakit"]


def test_a_sick_day_is_named_sakit_by_a_days_rule(db: Session, org: Organization) -> None:
    w = _world(db, org)
    factories.certificate_template_for(db, w.training, w.admin, rule="days", min_percent=50)
    reg = w.people[0]
    factories.mark(db, reg, DAY2, w.admin, "excused", "Demam", excuse="sick")
    person = next(p for p in certificate_eligibility.review_summary(db, w.training).people
                  if pk(p.registration) == pk(reg))
    assert person.eligible and person.why[-1] == "Sakit hari ke-2 (13 September 2018): Demam"


# --- cost ------------------------------------------------------------------------------

def _bulk_batch(db: Session, training: Training, name: str, people: int,
                admin: User) -> Batch:
    batch = factories.batch(db, training, name, capacity=500)
    regs = [factories.register(db, training, batch, name=f"Peserta {name} {n:03d}")
            for n in range(people)]
    for n, reg in enumerate(regs):
        if n % 3:
            factories.check_in(db, reg, DAY1, admin)
    factories.mark(db, regs[:: 7], DAY2, admin, "present", "Daftar hadir")
    factories.mark(db, regs[1:: 11], DAY1, admin, "excused", "Izin", excuse="leave")
    return batch


def test_presence_of_a_421_person_batch_takes_a_fixed_number_of_queries(
        db: Session, org: Organization, count_queries: list[str]) -> None:
    admin = factories.user(db, org, role="admin")
    training = factories.training(db, org)
    small = _bulk_batch(db, training, "Kecil", 4, admin)
    large = _bulk_batch(db, training, "Besar", 421, admin)
    counts = []
    for batch in (small, large):
        count_queries.clear()
        found = presence.load(db, training, [batch])
        page = att.attendance(db, training, batch, DAY1)
        counts.append(len(count_queries))
        assert found.per_session is False and page.total.expected in (4, 421)
    assert counts[0] == counts[1], counts
    count_queries.clear()
    presence.load(db, training, [large])
    assert len(count_queries) == 2  # the check-ins and the marks (day mode)
