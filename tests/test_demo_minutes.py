"""The demo's minutes and follow-up actions (demo_minutes): Tangsel's Pokja meeting has its
minutes, decisions, actions carried from the earlier Pokja meeting and an overdue action;
Pontianak's monthly coaching carries its open actions from month to month."""

from datetime import date

from sqlmodel import Session, select

from service.models import ActionEvidence, FollowUpAction, Training
from service.services.actions import core
from service.services.demo import minutes as demo_minutes
from service.services.demo import pontianak as demo_pontianak
from service.services.demo import tangsel as demo_tangsel
from service.services.minutes import document, editing

PASSWORD = "demo-tangsel-2018-x"


def test_tangsel_meeting_minutes_decisions_and_carried_actions(db: Session) -> None:
    meeting = demo_minutes.seed_tangsel(db, demo_tangsel.seed_office(db, PASSWORD))
    state = editing.current(db, meeting)
    assert state.version == 1 and "bukan sekadar seremonial" in state.text
    assert [d.text for d in state.decisions] == list(demo_minutes.MEETING_DECISIONS)
    assert state.chair_name == demo_minutes.CHAIR[0]

    own = core.meeting_actions(db, meeting)
    assert len(own) == len(demo_minutes.MEETING_ACTIONS)
    statuses = {r.action.status for r in own}
    assert statuses == {"open", "in_progress", "done", "dropped"}
    assert any(r.overdue for r in own)  # the demo's dates are past: open ones are late
    done = [r for r in own if r.action.status == "done"]
    assert done and all(r.evidence is not None for r in done)

    carried = core.carried_over(db, meeting)
    earlier = db.exec(select(Training).where(Training.title == demo_minutes.EARLIER_TITLE)
                      ).one()
    assert earlier.program_id == meeting.program_id is not None
    assert earlier.start_date == date(2018, 9, 18) < meeting.start_date
    # The earlier meeting's open actions (not its done ones) come to this meeting.
    assert sorted((r.unit.name if r.unit else "", r.action.status) for r in carried) == [
        ("Kecamatan Pamulang", "open"), ("Kecamatan Serpong Utara", "in_progress"),
        ("Kecamatan Setu", "open")]
    assert all(r.training.id == earlier.id and r.overdue for r in carried)

    doc = document.build(db, meeting)
    assert len(doc.decisions) == 3
    evidence = db.exec(select(ActionEvidence)).all()
    assert {e.file_type for e in evidence} == {"jpeg", "pdf"}


def test_pontianak_coaching_carries_month_to_month(db: Session) -> None:
    demo_pontianak.seed_office(db, PASSWORD)
    coaching = db.exec(select(Training).where(
        Training.title == demo_pontianak.COACHING_TITLE)).one()
    actions = db.exec(select(FollowUpAction).where(
        FollowUpAction.training_id == coaching.id)).all()
    assert len(actions) == len(demo_minutes.COACHING_ACTIONS)
    days = core.meeting_days(db, coaching)
    # At the fourth monthly meeting, the open actions of the first three months show.
    carried = core.carried_over(db, coaching, days[3])
    assert [r.action.title for r in carried] == [
        "Jadwal kegiatan BKB di Tambelan Sampit",
        "Sekretariat Kampung KB di Kelurahan Mariana",
        "Laporan kegiatan UPPKS Siantan Hulu",
        "Pendataan akseptor KB baru di Parit Tokaya"]
    # At the second meeting only the first month's open one does.
    assert [r.action.title for r in core.carried_over(db, coaching, days[1])] == [
        "Jadwal kegiatan BKB di Tambelan Sampit"]
