"""A training to check people into: two batches side by side, a few confirmed people,
their ticket codes, and moments on the batch days (WIB) to scan at.

Built through tests/factories.py (services, not HTTP); `training`, `batches` and
`people` hold what the API answers for them, for tests that speak JSON."""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import Session

from service.models import Organization, Registration, User
from service.schemas.participants import registration_read
from service.services import auth, registrations
from tests import factories
from tests.factories import DAY1

# 12 September 2018, 08:00 WIB = 01:00 UTC: Angkatan I and II's first day.
DAY1_0800 = datetime(2018, 9, 12, 1, 0, tzinfo=UTC)


@dataclass
class Setup:
    training: dict[str, Any]
    batches: list[dict[str, Any]]
    people: list[dict[str, Any]] = field(default_factory=list)
    codes: list[str] = field(default_factory=list)
    user_id: int = 0  # who the API client acts for: the committee's admin

    @property
    def tid(self) -> int:
        return int(self.training["id"])


def at(day_offset: int = 0, hour: int = 8, minute: int = 0) -> str:
    """An ISO moment on a batch day at a WIB wall-clock time."""
    moment = DAY1_0800 + timedelta(days=day_offset, hours=hour - 8, minutes=minute)
    return moment.isoformat()


def code_of(db: Session, registration_id: int) -> str:
    reg = db.get(Registration, registration_id)
    assert reg is not None
    return factories.ticket_code(db, reg)


def user_of(api: TestClient, db: Session) -> User:
    """The user whose bearer token the client carries."""
    raw = api.headers["Authorization"].removeprefix("Bearer ")
    found = auth.resolve_token(db, raw, "api")
    assert found is not None, "the client carries no valid bearer token"
    return found[0]


def registration(db: Session, s: Setup, person: int) -> Registration:
    reg = db.get(Registration, s.people[person]["id"])
    assert reg is not None
    return reg


def check_in(db: Session, s: Setup, person: int, day: int) -> None:
    """Person `person` scanned in by their ticket's QR on batch day `day` (0-based) at
    08:00, by the setup's user (through the check-in service)."""
    by = db.get(User, s.user_id)
    assert by is not None
    reg = registration(db, s, person)
    first = date.fromisoformat(s.batches[0]["start_date"])
    factories.check_in(db, reg, first + timedelta(days=day), by, code=True)
    factories.committed(db)


def make_setup(api: TestClient, db: Session, people: int = 4, mode: str = "day",
               start: date = DAY1) -> Setup:
    """The world of the check-in tests, in the organization of `api`'s user: training,
    Angkatan I and II on `start` and the day after, `people` cadres in Angkatan I."""
    user = user_of(api, db)
    org = db.get(Organization, user.organization_id)
    assert org is not None
    training = factories.training(db, org, start=start, mode=mode)
    batches = [factories.batch(db, training, name) for name in ("Angkatan I", "Angkatan II")]
    regs = factories.register_many(db, training, batches[0], people)
    factories.committed(db)
    base = str(api.base_url).rstrip("/")
    # As an admin's API client reads them (whole NIKs).
    return Setup(
        training=factories.training_json(db, training),
        batches=[factories.batch_json(db, training, b) for b in batches],
        people=[registration_read(registrations.registration_row(db, r), base, full_nik=True)
                .model_dump(mode="json") for r in regs],
        codes=[factories.ticket_code(db, r) for r in regs], user_id=user.id or 0)
