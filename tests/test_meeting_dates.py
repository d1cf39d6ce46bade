"""A batch that meets on dates rather than every day: Pontianak's monthly coaching, one
batch per kecamatan meeting on the second Tuesday of each month for a year. Its days are
those dates, everywhere: attendance, the door, the daftar hadir, certificate eligibility
("at least 10 of 12 meetings"), the report, the manifest, reminders; and one meeting can
be moved or cancelled."""

from datetime import date, timedelta
from typing import Any

import pytest
from sqlmodel import Session, select

from service.errors import DomainError
from service.i18n import use_locale
from service.models import AgendaSession, Batch, BatchDay, Organization, Training, User
from service.models.base import pk
from service.schemas.planning import BatchCreate, BatchLine, RecurrenceIn, RecurringBatches
from service.services import (
    activity_report,
    attendance,
    batch_dates,
    checkin_manifest,
    meeting_days,
    places,
    recurrence,
    rosters,
    trainings,
)
from service.services.certificates import eligibility
from service.services.messaging import reminders
from tests import factories

START = date(2018, 1, 1)
# The second Tuesday of each month of 2018.
SECOND_TUESDAYS = [date(2018, 1, 9), date(2018, 2, 13), date(2018, 3, 13), date(2018, 4, 10),
                   date(2018, 5, 8), date(2018, 6, 12), date(2018, 7, 10), date(2018, 8, 14),
                   date(2018, 9, 11), date(2018, 10, 9), date(2018, 11, 13), date(2018, 12, 11)]
KECAMATAN = ["Pontianak Barat", "Pontianak Kota", "Pontianak Selatan", "Pontianak Tenggara",
             "Pontianak Timur", "Pontianak Utara"]


@pytest.fixture
def coaching(db: Session, org: Organization) -> Training:
    return factories.training(db, org, title="Pembinaan Bulanan Pengelola Kampung KB",
                              start=START, days=365, kind="pembinaan")


def _monthly(**rule: Any) -> RecurrenceIn:
    return RecurrenceIn(**{"frequency": "monthly_weekday", "start": START, "weekday": 1,
                           "nth": 2, "count": 12, **rule})


def _six(db: Session, t: Training) -> list[Batch]:
    return trainings.create_recurring(db, t, RecurringBatches(rule=_monthly(), batches=[
        BatchLine(name=f"Kec. {k}", venue=f"Aula Kantor Camat {k}", capacity=12)
        for k in KECAMATAN]))


def test_the_rule_gives_the_second_tuesdays() -> None:
    assert recurrence.dates(_monthly()) == SECOND_TUESDAYS
    weekly = recurrence.dates(RecurrenceIn(frequency="weekly", start=date(2018, 3, 1),
                                           weekday=3, until=date(2018, 3, 31)))
    assert weekly == [date(2018, 3, 1), date(2018, 3, 8), date(2018, 3, 15),
                      date(2018, 3, 22), date(2018, 3, 29)]
    last_friday = recurrence.dates(_monthly(nth=-1, weekday=4, count=2))
    assert last_friday == [date(2018, 1, 26), date(2018, 2, 23)]


def test_a_rule_without_an_end_or_with_too_many_dates_is_refused() -> None:
    with pytest.raises(DomainError) as no_end:
        recurrence.dates(_monthly(count=None))
    assert no_end.value.code == "invalid_rule"
    with pytest.raises(DomainError) as too_many:
        recurrence.dates(RecurrenceIn(frequency="weekly", start=START, weekday=0,
                                      until=date(2026, 1, 1)))
    assert too_many.value.code == "too_many_dates"


def test_one_form_makes_six_batches_of_twelve_meetings(db: Session,
                                                       coaching: Training) -> None:
    made = _six(db, coaching)
    assert [b.name for b in made] == [f"Kec. {k}" for k in KECAMATAN]
    for b in made:
        assert meeting_days.days_of(b) == SECOND_TUESDAYS
        assert (b.start_date, b.end_date) == (SECOND_TUESDAYS[0], SECOND_TUESDAYS[-1])
        assert not meeting_days.every_day(b)
    assert sum(len(meeting_days.days_of(b)) for b in made) == 72
    assert len({b.venue_id for b in made}) == 6  # each kecamatan at its own place


def test_the_set_is_all_or_nothing(db: Session, coaching: Training) -> None:
    factories.batch(db, coaching, name="Kec. Pontianak Kota", start=START, days=1)
    with pytest.raises(DomainError) as refused:
        _six(db, coaching)
    assert refused.value.code == "duplicate"
    db.rollback()


def test_dates_are_sorted_and_each_kept_once(db: Session, coaching: Training) -> None:
    b = trainings.create_batch(db, coaching, BatchCreate(
        name="Kec. Pontianak Barat", capacity=10,
        dates=[date(2018, 3, 13), date(2018, 1, 9), date(2018, 3, 13), date(2018, 2, 13)]))
    assert meeting_days.days_of(b) == [date(2018, 1, 9), date(2018, 2, 13), date(2018, 3, 13)]


def test_consecutive_dates_are_stored_as_a_range(db: Session, coaching: Training) -> None:
    b = trainings.create_batch(db, coaching, BatchCreate(
        name="Angkatan I", capacity=10, dates=[date(2018, 1, 10), date(2018, 1, 9)]))
    assert b.meeting_dates is None and meeting_days.every_day(b)
    assert meeting_days.days_of(b) == [date(2018, 1, 9), date(2018, 1, 10)]


def test_dates_outside_the_training_are_refused(db: Session, coaching: Training) -> None:
    with pytest.raises(DomainError) as outside:
        trainings.create_batch(db, coaching, BatchCreate(
            name="X", capacity=10, dates=[date(2018, 6, 12), date(2019, 1, 8)]))
    assert outside.value.code == "batch_outside_training"
    with pytest.raises(DomainError) as missing:
        trainings.create_batch(db, coaching, BatchCreate(name="X", capacity=10))
    assert missing.value.code == "missing_dates"


def _coached(db: Session, coaching: Training) -> tuple[Batch, list[Any], User]:
    b = _six(db, coaching)[0]
    admin = _admin(db, coaching)
    regs = factories.register_many(db, coaching, b, 3)
    return b, regs, admin


def _admin(db: Session, t: Training) -> User:
    org = db.get(Organization, t.organization_id)
    assert org is not None
    return factories.user(db, org, role="admin", name="Admin")


def test_the_door_admits_on_meeting_dates_only(db: Session, coaching: Training) -> None:
    b, regs, admin = _coached(db, coaching)
    for by_code in (False, True):
        reg = regs[int(by_code)]
        ok = factories.check_in(db, reg, SECOND_TUESDAYS[1], admin, code=by_code)
        assert ok.status == "checked_in" and ok.day == SECOND_TUESDAYS[1]
        with pytest.raises(DomainError) as between:
            factories.check_in(db, reg, date(2018, 2, 20), admin, code=by_code)
        assert between.value.code == "wrong_day"
        assert "13 Maret 2018" in str(between.value.params.get("next"))
    with pytest.raises(DomainError) as after:
        factories.check_in(db, regs[2], date(2018, 12, 12), admin)
    assert after.value.code == "wrong_day"


def test_attendance_is_recorded_per_meeting(db: Session, coaching: Training) -> None:
    b, regs, admin = _coached(db, coaching)
    factories.mark(db, regs, SECOND_TUESDAYS[0], admin, "present")
    with pytest.raises(DomainError) as refused:
        attendance.check_day(b, date(2018, 1, 10))
    assert refused.value.code == "day_outside_batch"
    sheet = rosters.roster(db, coaching, b)
    assert sheet.days == SECOND_TUESDAYS
    assert all(row.present[0] and not any(row.present[1:]) for row in sheet.rows)
    daftar = rosters.attendance_sheet(sheet, SECOND_TUESDAYS[0])
    assert len(daftar.rows) == 3
    # The roster counts meetings, each under its date.
    with use_locale("id"):
        labels = [c.label for c in rosters.sheet(sheet, "committee").columns]
    assert labels[-12:][0] == "Pertemuan 1 (09/01)" and labels[-1] == "Pertemuan 12 (11/12)"


def test_eligibility_counts_meetings_ten_of_twelve(db: Session, coaching: Training) -> None:
    b, regs, admin = _coached(db, coaching)
    for n, day in enumerate(SECOND_TUESDAYS):
        present = [regs[0]] + ([regs[1]] if n < 10 else []) + ([regs[2]] if n < 9 else [])
        factories.mark(db, present, day, admin, "present")
    factories.certificate_template_for(db, coaching, admin, rule="days", min_percent=83,
                                       issue_date=date(2018, 12, 20))
    template = eligibility.templates.current(db, coaching)
    people = {p.registration.id: p for p in eligibility.review(db, coaching, template)}
    assert [people[pk(r)].eligible for r in regs] == [True, True, False]
    assert len(people[pk(regs[1])].days_present) == 10
    assert people[pk(regs[1])].day_count == 12


def test_the_report_and_the_manifest_list_the_meetings(db: Session,
                                                       coaching: Training) -> None:
    b, regs, admin = _coached(db, coaching)
    factories.mark(db, regs[:2], SECOND_TUESDAYS[0], admin, "present")
    report = activity_report.activity_report(db, coaching)
    first = next(x for x in report.batches if x.id == pk(b))
    assert [d.day for d in first.days] == SECOND_TUESDAYS
    assert first.days[0].present == 2 and first.days[1].present == 0
    manifest = checkin_manifest.batch_manifest(db, b, coaching)
    assert manifest["batch"]["days"] == [d.isoformat() for d in SECOND_TUESDAYS]


def test_a_reminder_before_each_meeting(db: Session, coaching: Training) -> None:
    b = _six(db, coaching)[0]
    assert reminders.reminder_days(b) == SECOND_TUESDAYS


def test_a_meeting_moves_with_its_sessions_and_place(db: Session, coaching: Training) -> None:
    b = _six(db, coaching)[0]
    march, moved_to = SECOND_TUESDAYS[2], date(2018, 3, 20)
    session = factories.session(db, coaching, b, title="Pembinaan Bulan Maret", day=march)
    places.set_day_place(db, coaching.organization_id, b, march, venue="Kampung KB Seroja")
    batch_dates.move_meeting(db, coaching, b, march, moved_to)
    days = meeting_days.days_of(b)
    assert march not in days and moved_to in days and len(days) == 12
    db.refresh(session)
    assert session.date == moved_to
    assert db.exec(select(BatchDay.day).where(BatchDay.batch_id == b.id)).all() == [moved_to]


def test_a_held_meeting_does_not_move_or_go(db: Session, coaching: Training) -> None:
    b, regs, admin = _coached(db, coaching)
    factories.check_in(db, regs[0], SECOND_TUESDAYS[0], admin)
    with pytest.raises(DomainError) as moved:
        batch_dates.move_meeting(db, coaching, b, SECOND_TUESDAYS[0], date(2018, 1, 16))
    assert moved.value.code == "day_has_attendance"
    with pytest.raises(DomainError) as cancelled:
        batch_dates.cancel_meeting(db, b, SECOND_TUESDAYS[0])
    assert cancelled.value.code == "day_has_attendance"
    with pytest.raises(DomainError) as edited:
        trainings.update_batch(db, coaching, b, BatchCreate(
            name=b.name, capacity=b.capacity, dates=SECOND_TUESDAYS[1:]))
    assert edited.value.code == "day_has_attendance"
    assert meeting_days.days_of(b) == SECOND_TUESDAYS


def test_a_meeting_with_sessions_is_not_cancelled(db: Session, coaching: Training) -> None:
    b = _six(db, coaching)[0]
    factories.session(db, coaching, b, day=SECOND_TUESDAYS[4])
    with pytest.raises(DomainError) as refused:
        batch_dates.cancel_meeting(db, b, SECOND_TUESDAYS[4])
    assert refused.value.code == "meeting_has_sessions"
    batch_dates.cancel_meeting(db, b, SECOND_TUESDAYS[5])
    assert len(meeting_days.days_of(b)) == 11 and SECOND_TUESDAYS[5] not in b.meeting_dates


def test_sessions_only_on_meeting_days(db: Session, coaching: Training) -> None:
    b = _six(db, coaching)[0]
    with pytest.raises(DomainError) as refused:
        factories.session(db, coaching, b, day=date(2018, 1, 10))
    assert refused.value.code == "session_outside_batch"
    assert db.exec(select(AgendaSession).where(AgendaSession.batch_id == b.id)).all() == []


def test_cancelling_the_last_meeting_or_adding_a_held_one(db: Session,
                                                          coaching: Training) -> None:
    b = trainings.create_batch(db, coaching, BatchCreate(
        name="Solo", capacity=5, dates=[SECOND_TUESDAYS[0]]))
    with pytest.raises(DomainError) as only:
        batch_dates.cancel_meeting(db, b, SECOND_TUESDAYS[0])
    assert only.value.code == "last_meeting"
    batch_dates.add_meeting(db, coaching, b, SECOND_TUESDAYS[3])
    assert meeting_days.days_of(b) == [SECOND_TUESDAYS[0], SECOND_TUESDAYS[3]]
    with pytest.raises(DomainError) as again:
        batch_dates.add_meeting(db, coaching, b, SECOND_TUESDAYS[3])
    assert again.value.code == "already_a_meeting"
    assert meeting_days.days_of(b) == [SECOND_TUESDAYS[0], SECOND_TUESDAYS[3]]
    assert timedelta(0) < b.end_date - b.start_date
