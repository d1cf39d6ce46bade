"""Follow-up actions: carried to the next meeting of a programme, a unit's link to its own
actions only, evidence limits, the overdue filter and pagination, reminders once a day."""

from datetime import date, timedelta

import pytest
from sqlmodel import Session, select

from service.errors import FieldError, NotFound
from service.models import Message, Organization, Training
from service.models.base import pk, utcnow
from service.schemas.actions import ActionCreate
from service.schemas.programs import ProgramCreate
from service.services import programs, units
from service.services.actions import core, evidence, links, reminders
from tests import factories
from tests.report_photos_util import phone_jpeg

TODAY = date(2018, 12, 1)


def _program(db: Session, org: Organization, title: str = "Pokja Kampung KB 2018") -> int:
    return pk(programs.create_program(db, pk(org), ProgramCreate(
        title=title, start_date=date(2018, 1, 1), end_date=date(2018, 12, 31))))


def _meeting(db: Session, org: Organization, start: date, program_id: int | None,
             title: str = "Rapat Pokja") -> Training:
    return factories.training(db, org, title=title, start=start, days=1, kind="pertemuan",
                              program_id=program_id)


def _action(db: Session, t: Training, title: str, unit: str = "Kecamatan Serpong",
            due: date = date(2018, 11, 30)) -> int:
    return pk(core.create_action(db, t, ActionCreate(title=title, unit=unit, due_date=due),
                                 None))


def test_open_actions_of_an_earlier_meeting_of_the_programme_carry_over(db: Session) -> None:
    org = factories.organization(db, "DP3AP2KB Kota Tangerang Selatan")
    pid = _program(db, org)
    september = _meeting(db, org, date(2018, 9, 6), pid)
    october = _meeting(db, org, date(2018, 10, 4), pid)
    other_programme = _meeting(db, org, date(2018, 8, 1), _program(db, org, "Program lain"))
    stray = _meeting(db, org, date(2018, 8, 2), None)
    open_id = _action(db, september, "Data PUS per RW")
    done_id = _action(db, september, "Surat edaran camat")
    core.set_status(db, core.get_action(db, pk(org), done_id), "done", "terkirim", "Panitia")
    _action(db, other_programme, "Bukan program ini")
    _action(db, stray, "Tanpa program")
    other_org = factories.organization(db, "DP3AP2KB Kota Pontianak")
    foreign = _meeting(db, other_org, date(2018, 9, 1), _program(db, other_org))
    _action(db, foreign, "Kantor lain")
    carried = core.carried_over(db, october)
    assert [pk(r.action) for r in carried] == [open_id]
    # Not backwards: the earlier meeting shows nothing of the later one.
    _action(db, october, "Rencana Oktober")
    assert core.carried_over(db, september) == []


def test_monthly_meetings_of_one_training_carry_from_date_to_date(db: Session) -> None:
    org = factories.organization(db, "DP3AP2KB Kota Pontianak")
    t = factories.training(db, org, title="Pembinaan Bulanan", start=date(2018, 10, 9),
                           days=70, kind="pembinaan")
    factories.batch(db, t, days=1, dates=["2018-10-09", "2018-11-13", "2018-12-11"])
    assert core.meeting_days(db, t) == [date(2018, 10, 9), date(2018, 11, 13),
                                        date(2018, 12, 11)]
    oct_id = pk(core.create_action(db, t, ActionCreate(
        title="Rekap poktan", unit="Kecamatan Pontianak Barat", due_date=date(2018, 11, 1),
        meeting_on=date(2018, 10, 9)), None))
    core.create_action(db, t, ActionCreate(title="Kunjungan BKR", due_date=date(2018, 12, 1),
                                           meeting_on=date(2018, 11, 13)), None)
    nov = core.carried_over(db, t, date(2018, 11, 13))
    dec = core.carried_over(db, t, date(2018, 12, 11))
    assert [r.action.title for r in nov] == ["Rekap poktan"]
    assert [r.action.title for r in dec] == ["Rekap poktan", "Kunjungan BKR"]
    assert pk(nov[0].action) == oct_id
    with pytest.raises(FieldError):
        core.create_action(db, t, ActionCreate(title="x", due_date=date(2018, 12, 30),
                                               meeting_on=date(2018, 10, 10)), None)


def test_a_units_link_reaches_only_its_own_actions(db: Session) -> None:
    org = factories.organization(db, "DP3AP2KB Kota Tangerang Selatan")
    t = _meeting(db, org, date(2018, 10, 4), None)
    mine = _action(db, t, "Data PUS", unit="Kecamatan Pamulang")
    theirs = _action(db, t, "Data KB", unit="Kecamatan Ciputat")
    pamulang = units.find_unit(db, pk(org), "Kecamatan Pamulang")
    assert pamulang is not None
    raw, _link = links.issue(db, pamulang, None)
    _l, unit = links.resolve(db, raw)
    assert pk(links.unit_action(db, unit, mine)) == mine
    with pytest.raises(NotFound):
        links.unit_action(db, unit, theirs)


def test_a_revoked_or_expired_unit_link_opens_nothing(db: Session) -> None:
    org = factories.organization(db, "DP3AP2KB Kota Tangerang Selatan")
    unit = units.create_unit(db, pk(org), "Dinas Kesehatan")
    old, _ = links.issue(db, unit, None, now=utcnow() - timedelta(days=links.DAYS_VALID + 1))
    with pytest.raises(NotFound):
        links.resolve(db, old)
    live, _ = links.issue(db, unit, None)
    assert links.resolve(db, live)[1].id == unit.id
    links.revoke(db, unit)
    with pytest.raises(NotFound):
        links.resolve(db, live)
    with pytest.raises(NotFound):
        links.resolve(db, "x" * 32)


def test_evidence_is_a_photo_or_a_pdf_within_the_limit(db: Session) -> None:
    kept, kind, name = evidence.check(phone_jpeg(640, 480), "IMG_2018.JPG")
    assert (kind, name) == ("jpeg", "IMG_2018.jpg") and kept.startswith(b"\xff\xd8")
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    assert evidence.check(pdf, "laporan.pdf")[1] == "pdf"
    with pytest.raises(FieldError) as too_big:
        evidence.check(b"%PDF-1.4\n" + b"0" * evidence.MAX_BYTES + b"%%EOF", "besar.pdf")
    assert too_big.value.code == "evidence_too_large"
    for bad in (b"MZ\x90\x00 not a photo", b"<html>laporan</html>", b"%PDF-1.4 truncated", b""):
        with pytest.raises(FieldError):
            evidence.check(bad, "bukti.pdf")


def test_overdue_filter_and_pagination(db: Session) -> None:
    org = factories.organization(db, "DP3AP2KB Kota Tangerang Selatan")
    t = _meeting(db, org, date(2018, 10, 4), None)
    for i in range(7):
        _action(db, t, f"Lewat {i}", due=date(2018, 11, 1) + timedelta(days=i))
    _action(db, t, "Belum jatuh tempo", due=date(2018, 12, 20))
    done = _action(db, t, "Sudah selesai", due=date(2018, 10, 20))
    core.set_status(db, core.get_action(db, pk(org), done), "done", None, "Panitia")
    rows, total = core.list_actions(db, pk(org), core.Filters(overdue=True), page=2,
                                    per_page=3, today=TODAY)
    assert total == 7
    assert [r.action.title for r in rows] == ["Lewat 3", "Lewat 4", "Lewat 5"]
    assert all(r.overdue for r in rows)
    rows, total = core.list_actions(db, pk(org), core.Filters(status="done"), today=TODAY)
    assert (total, rows[0].action.title, rows[0].overdue) == (1, "Sudah selesai", False)


def test_status_changes_are_kept_with_who_and_note(db: Session) -> None:
    org = factories.organization(db, "DP3AP2KB Kota Tangerang Selatan")
    t = _meeting(db, org, date(2018, 10, 4), None)
    action = core.get_action(db, pk(org), _action(db, t, "Data PUS"))
    core.set_status(db, action, "in_progress", "sedang direkap", "Bu Camat", via_link=True)
    core.set_status(db, action, "done", "selesai", "Panitia A", user_id=None)
    hist = core.history(db, action)
    assert [(h.status_from, h.status_to, h.by_name, h.via_link) for h in hist] == [
        ("in_progress", "done", "Panitia A", False),
        ("open", "in_progress", "Bu Camat", True)]
    assert action.note == "selesai"


def test_reminders_are_queued_once_a_day(db: Session) -> None:
    org = factories.organization(db, "DP3AP2KB Kota Tangerang Selatan")
    t = _meeting(db, org, date(2018, 10, 4), None)
    unit = units.create_unit(db, pk(org), "Kecamatan Setu", "kecamatan", focal_name="Ibu Rina",
                             focal_phone="0812-6610-4521", focal_email="setu@tangsel.test")
    _action(db, t, "Data PUS", unit=unit.name, due=date(2018, 11, 1))
    _action(db, t, "Belum jatuh tempo", unit=unit.name, due=date(2018, 12, 30))
    _action(db, t, "Tanpa kontak", unit="Kecamatan Tanpa Kontak", due=date(2018, 11, 1))
    both = ("whatsapp", "email")
    first = reminders.queue_overdue(db, pk(org), "https://bimtek.test", today=TODAY,
                                    channels=both)
    again = reminders.queue_overdue(db, pk(org), "https://bimtek.test", today=TODAY,
                                    channels=both)
    nextday = reminders.queue_overdue(db, pk(org), "https://bimtek.test",
                                      today=TODAY + timedelta(days=1), channels=both)
    assert (first, again, nextday) == (2, 0, 2)
    sent = db.exec(select(Message).where(Message.kind == "action_reminder")
                   .order_by(Message.id)).all()
    assert sorted({m.recipient for m in sent}) == ["+6281266104521", "setu@tangsel.test"]
    assert "https://bimtek.test/u/" in sent[0].body and "Data PUS" in sent[0].body
    raw = sent[0].body.split("/u/")[1].split()[0]
    assert links.resolve(db, raw)[1].id == unit.id
