"""What old trainings' nominations hold of people who never became participants: with the
retention setting on, the delegates a unit named and the committee never accepted, and
the units' surat tugas, go no sooner than GRACE_DAYS after the setting took its value and
after their training passed the cutoff; the preview counts them and says from when.
Erasing a person also removes the surat tugas naming them."""

from datetime import UTC, date, datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from service.models import Nominee, Organization, Participant, Training, TrainingUnit
from service.models.base import pk
from service.services.erasure import retention, scrub
from service.services.nominations import nominees, surat_tugas
from service.services.nominations import units as training_units
from tests import factories as f
from tests.conftest import PASSWORD
from tests.helpers import login_page_client

NOW = datetime(2026, 12, 4, 2, 0, tzinfo=UTC)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _unit(db: Session, training: Training, name: str, *, accepted: tuple[str, str],
          unaccepted: str) -> tuple[TrainingUnit, Nominee, Nominee]:
    """A unit with its surat tugas, one delegate accepted (name, NIP) and one never
    accepted."""
    tu = training_units.add_unit(db, training, name=name, quota=3)
    kept = nominees.add(db, tu, {"name": accepted[0], "nip": accepted[1]})
    left = nominees.add(db, tu, {"name": unaccepted, "nip": "198203112006042001",
                                 "phone": "081266340099"})
    reg = f.register(db, training, f.batch(db, training), name=accepted[0], nip=accepted[1])
    kept.registration_id = pk(reg)
    db.add(kept)
    surat_tugas.attach(db, tu, PDF, "surat-tugas.pdf", check_deadline=False)
    return tu, kept, left


def _world(db: Session, org: Organization) -> dict[str, Any]:
    """A 2018 workshop (past a 5-year cutoff) and a 2025 one, each with a unit."""
    old = f.training(db, org, "Workshop Kampung KB 2018", start=date(2018, 9, 12), days=3)
    new = f.training(db, org, "Workshop Kampung KB 2025", start=date(2025, 3, 3), days=3)
    old_unit, old_kept, old_left = _unit(db, old, "Kabupaten Lahat",
                                         accepted=("Yusnimar Chaniago", "197608172005012003"),
                                         unaccepted="Rahmi Dt. Bungsu")
    new_unit, _new_kept, new_left = _unit(db, new, "Kota Prabumulih",
                                          accepted=("Siti Aminah", "198507212010012004"),
                                          unaccepted="Dewi Lestari")
    f.committed(db)
    return {"old_unit": pk(old_unit), "old_kept": pk(old_kept), "old_left": pk(old_left),
            "new_unit": pk(new_unit), "new_left": pk(new_left)}


def _letter_kept(db: Session, unit_id: int) -> bool:
    db.expire_all()
    tu = db.get(TrainingUnit, unit_id)
    assert tu is not None
    return tu.surat_tugas is not None and tu.surat_tugas_at is not None


def test_the_preview_counts_the_old_trainings_papers(db: Session, org: Organization) -> None:
    _world(db, org)
    retention.set_years(db, org.id or 0, 5, NOW)
    preview = retention.preview(db, org.id or 0, NOW)
    assert (preview.papers.nominees, preview.papers.letters) == (1, 1)
    assert preview.papers_on == date(2026, 12, 11)  # 7 days after the setting was turned on
    retention.set_years(db, org.id or 0, None, NOW)
    assert retention.preview(db, org.id or 0, NOW).papers == (
        retention.unit_papers.Papers(0, 0))


def test_they_go_seven_days_after_the_setting_is_turned_on(db: Session,
                                                           org: Organization) -> None:
    ids = _world(db, org)
    retention.set_years(db, org.id or 0, 5, NOW)
    # The 2018 workshop passed the cutoff years ago, but turning the setting on announces
    # its papers for 7 days first, as it does people.
    retention.run(db, NOW + timedelta(days=6, hours=23))
    assert db.get(Nominee, ids["old_left"]) is not None and _letter_kept(db, ids["old_unit"])
    retention.run(db, NOW + timedelta(days=7))
    assert not _letter_kept(db, ids["old_unit"])
    assert db.get(Nominee, ids["old_left"]) is None
    kept = db.get(Nominee, ids["old_kept"])
    assert kept is not None  # accepted: a participant, erased with the person
    # The newer workshop keeps its delegates and its letter.
    assert db.get(Nominee, ids["new_left"]) is not None
    assert _letter_kept(db, ids["new_unit"])


def test_a_new_period_is_announced_afresh(db: Session, org: Organization) -> None:
    ids = _world(db, org)
    retention.set_years(db, org.id or 0, 10, NOW)  # the 2018 workshop is inside 10 years
    retention.set_years(db, org.id or 0, 5, NOW + timedelta(days=30))
    retention.run(db, NOW + timedelta(days=31))
    assert db.get(Nominee, ids["old_left"]) is not None and _letter_kept(db, ids["old_unit"])
    retention.run(db, NOW + timedelta(days=37))
    assert not _letter_kept(db, ids["old_unit"]) and db.get(Nominee, ids["old_left"]) is None


def test_a_training_just_past_the_cutoff_waits_for_the_grace(db: Session,
                                                             org: Organization) -> None:
    # Ends 2021-12-01. With the setting on since long before, the 5-year cutoff on
    # 4 December 2026 is 2021-12-04, three days later: announced in the preview, removed
    # once 7 days have passed since the workshop passed the cutoff.
    recent = f.training(db, org, "Bimtek 2021", start=date(2021, 11, 30), days=2)
    tu, _kept, left = _unit(db, recent, "Kecamatan Koto Tangah",
                            accepted=("Ani Suryani", "199001012015032001"),
                            unaccepted="Budi Santoso")
    f.committed(db)
    unit_id, left_id = pk(tu), pk(left)
    retention.set_years(db, org.id or 0, 5, NOW - timedelta(days=60))
    assert retention.preview(db, org.id or 0, NOW).papers.nominees == 1
    retention.run(db, NOW)
    assert db.get(Nominee, left_id) is not None and _letter_kept(db, unit_id)
    retention.run(db, NOW + timedelta(days=5))
    assert not _letter_kept(db, unit_id) and db.get(Nominee, left_id) is None


def test_nothing_goes_while_the_setting_is_off(db: Session, org: Organization) -> None:
    ids = _world(db, org)
    retention.run(db, NOW + timedelta(days=365))
    assert db.get(Nominee, ids["old_left"]) is not None and _letter_kept(db, ids["old_unit"])


def test_erasing_a_delegate_removes_the_surat_tugas_naming_her(db: Session,
                                                               org: Organization) -> None:
    ids = _world(db, org)
    kept = db.get(Nominee, ids["old_kept"])
    assert kept is not None and kept.registration_id is not None
    person = db.exec(select(Participant).where(Participant.name == "Yusnimar Chaniago")).one()
    scrub.erase(db, person, "P-0002")
    assert not _letter_kept(db, ids["old_unit"])
    assert _letter_kept(db, ids["new_unit"])  # another unit's letter, not naming her


def test_the_api_and_the_page_show_the_counts(client: TestClient, db: Session,
                                              admin: Any) -> None:
    org = db.get(Organization, admin.organization_id)
    assert org is not None
    _world(db, org)
    token = client.post("/api/auth/token", data={"username": admin.email,
                                                 "password": PASSWORD}).json()["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    preview = client.put("/api/erasure/retention", json={"years": 5}, headers=headers).json()
    assert (preview["unaccepted_nominees"], preview["surat_tugas"]) == (1, 1)
    assert preview["papers_on"] == preview["items"][0]["erase_on"]  # both: in 7 days
    login_page_client(client, admin.email)
    page = client.get("/erasure/retention")
    assert page.status_code == 200
    assert 'id="papers"' in page.text and "1 surat tugas" in page.text
