"""A training with units invited to name delegates (nominations by unit, issue 16), built
through the services."""

from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlmodel import Session

from service.models import Batch, Organization, OrgUnit, Training, TrainingUnit, User
from service.services import units as register
from service.services.nominations import links
from service.services.nominations import units as training_units
from tests import factories

# A moment well before the deadlines below, and one after.
BEFORE = datetime(2022, 8, 1, 3, 0, tzinfo=UTC)
AFTER = datetime(2022, 8, 6, 3, 0, tzinfo=UTC)
DEADLINE = date(2022, 8, 5)  # Jumat, 5 Agustus 2022 pukul 23.59 WIB
NIPS = ("198503152010012001", "197711202005011003", "199001012015032002",
        "198812122012121001", "196905051994031004")


@dataclass
class World:
    org: Organization
    user: User
    training: Training
    batch: Batch
    unit: OrgUnit
    tu: TrainingUnit
    raw: str  # the unit's link token


def delegate(n: int = 0, **fields: str) -> dict[str, str]:
    return {"name": f"Drs. Delegasi Nomor {n + 1}", "nip": NIPS[n % len(NIPS)],
            "position": "Kepala Bidang KB", "phone": f"0812 7000 {n:04d}",
            "email": f"delegasi{n}@lahat.go.id", **fields}


def world(db: Session, quota: int = 3, deadline: date | datetime | None = DEADLINE,
          unit_name: str = "Kabupaten Lahat", org_name: str = "Perwakilan BKKBN Sumsel",
          capacity: int = 50, link_made: datetime | None = BEFORE) -> World:
    """`link_made`: when the unit's link was made (None: now, for pages opened today)."""
    org = factories.organization(db, org_name)
    user = factories.user(db, org, name="Panitia Sumsel")
    training = factories.training(db, org, title="Workshop Kampung KB Sumsel",
                                  start=date(2022, 8, 24), days=3, categories=(),
                                  kind="workshop")
    batch = factories.batch(db, training, capacity=capacity, days=3)
    tu = training_units.add_unit(db, training, name=unit_name, quota=quota,
                                 deadline=deadline)
    unit = register.get_unit(db, org.id or 0, tu.unit_id)
    raw, _link = links.issue(db, tu, user, now=link_made)
    return World(org, user, training, batch, unit, tu, raw)


def second_unit(db: Session, w: World, name: str = "Kota Prabumulih", quota: int = 3,
                link_made: datetime | None = BEFORE) -> tuple[TrainingUnit, str]:
    tu = training_units.add_unit(db, w.training, name=name, quota=quota, deadline=DEADLINE)
    raw, _link = links.issue(db, tu, w.user, now=link_made)
    return tu, raw
