"""A training to check people into: two batches side by side, a few confirmed people,
their ticket codes, and moments on the batch days (WIB) to scan at."""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import Session

from service.models import Registration, Training
from service.services import tickets
from service.services.trainings import get_batch

# 12 September 2018, 08:00 WIB = 01:00 UTC: Angkatan I and II's first day.
DAY1 = date(2018, 9, 12)
DAY1_0800 = datetime(2018, 9, 12, 1, 0, tzinfo=UTC)


@dataclass
class Setup:
    training: dict[str, Any]
    batches: list[dict[str, Any]]
    people: list[dict[str, Any]] = field(default_factory=list)
    codes: list[str] = field(default_factory=list)

    @property
    def tid(self) -> int:
        return int(self.training["id"])


def at(day_offset: int = 0, hour: int = 8, minute: int = 0) -> str:
    """An ISO moment on a batch day at a WIB wall-clock time."""
    moment = DAY1_0800 + timedelta(days=day_offset, hours=hour - 8, minutes=minute)
    return moment.isoformat()


def code_of(db: Session, registration_id: int) -> str:
    reg = db.get(Registration, registration_id)
    assert reg is not None and reg.batch_id is not None
    training = db.get(Training, reg.training_id)
    assert training is not None
    batch, _ = get_batch(db, training.organization_id, reg.batch_id)
    code = tickets.ticket_code(db, training, reg, batch)
    assert code is not None
    return code


def make_setup(api: TestClient, db: Session, people: int = 4, mode: str = "day",
               start: date = DAY1) -> Setup:
    end = start + timedelta(days=1)
    r = api.post("/api/trainings", json={
        "title": "Pelatihan Kader Kampung KB", "kind": "pelatihan",
        "start_date": start.isoformat(), "end_date": (start + timedelta(days=10)).isoformat(),
        "categories": [{"name": "Kader BKB"}, {"name": "PKB"}]})
    assert r.status_code == 201, r.text
    training = r.json()
    if mode != "day":
        db.get(Training, training["id"]).checkin_mode = mode  # type: ignore[union-attr]
        db.flush()
    batches = []
    for name in ("Angkatan I", "Angkatan II"):
        b = api.post(f"/api/trainings/{training['id']}/batches", json={
            "name": name, "start_date": start.isoformat(), "end_date": end.isoformat(),
            "capacity": 50})
        assert b.status_code == 201, b.text
        batches.append(b.json())
    setup = Setup(training, batches)
    for n in range(people):
        body = {"name": f"Kader {n + 1:02d} Nur'aini", "phone": f"0812663400{n:02d}",
                "nik": f"13710152038500{n + 10:02d}", "district": "Padang Utara" if n % 2
                else "Kuranji", "category": "Kader BKB" if n % 2 else "PKB",
                "batch_id": batches[0]["id"]}
        reg = api.post(f"/api/trainings/{setup.tid}/registrations", json=body)
        assert reg.status_code == 201, reg.text
        setup.people.append(reg.json())
        setup.codes.append(code_of(db, reg.json()["id"]))
    return setup
