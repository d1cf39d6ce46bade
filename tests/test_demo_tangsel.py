"""The Tangerang Selatan Pokja Kampung KB demo meeting (issue 17)."""

import time as clock

from sqlmodel import Session, select

from service.models import OrgUnit, SessionMaterial
from service.services.demo import tangsel as demo_tangsel
from service.services.meetings import delegates, presenters


def test_the_pokja_meeting_has_units_presenters_and_delegates(db: Session) -> None:
    began = clock.perf_counter()
    training = demo_tangsel.seed_office(db, "demo-password-123")
    took = clock.perf_counter() - began
    assert training.kind == "pertemuan" and training.title == demo_tangsel.TITLE
    kinds = [u.kind for u in db.exec(select(OrgUnit).where(
        OrgUnit.organization_id == training.organization_id)).all()]
    assert kinds.count("kecamatan") == 7 and kinds.count("opd") == 6
    rows = presenters.list_presenters(db, training)
    assert [r.unit.name for r in rows][:3] == ["DP3AKB", "Dinas Kesehatan", "Disdukcapil"]
    assert [r.presenter.start_time.isoformat() for r in rows][:2] == ["09:00:00", "09:20:00"]
    assert sum(1 for r in rows if r.presenter.file_type == "pdf") == 5
    counts = {r.name: (r.present, r.expected) for r in delegates.unit_attendance(db, training)}
    assert counts["Kecamatan Ciputat"][1] == 4 and counts["Bappeda"][1] == 2
    assert sum(p for p, _e in counts.values()) < sum(e for _p, e in counts.values())
    assert len(db.exec(select(SessionMaterial)).all()) == 1
    assert took < 3, took
