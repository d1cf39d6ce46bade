"""The paperwork around the demo's trainings (issue 16), seeded in the order its parts
need one another: the Sumsel workshop's invited units and their delegates (nominations),
the guests, committee and narasumber attendance of both trainings (guests), the letters
(the invitations carry the units' links, the surat tugas names the committee), and the
SPJ (the honorarium pays the sessions a narasumber was present for, the transport the
days a participant was)."""

import random
from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import insert
from sqlmodel import Session, col, select

from service.models import Batch, CheckIn, Registration, Training, User
from service.models.base import pk
from service.services import meeting_days
from service.services.demo import guests as demo_guests
from service.services.demo import letters as demo_letters
from service.services.demo import nominations as demo_nominations
from service.services.demo import spj as demo_spj
from service.services.demo.province import ProvinceResult

SEED = 1622


def _workshop_check_ins(db: Session, training: Training, batch: Batch, user_id: int) -> int:
    """The officials' scans at the hotel's door: nearly all came each day; a few from far
    kabupaten left before the field visit on day 3 (so the SPJ's transport varies)."""
    rng = random.Random(SEED)
    tz = ZoneInfo(training.timezone)
    days = meeting_days.days_of(batch)
    rids = list(db.exec(select(Registration.id).where(
        Registration.training_id == pk(training), Registration.batch_id == pk(batch),
        Registration.status == "confirmed").order_by(col(Registration.id))).all())
    rows: list[dict[str, Any]] = []
    for n, day in enumerate(days):
        for rid in rids:
            if rng.random() < (0.10 if n == len(days) - 1 else 0.03):
                continue
            at = datetime.combine(day, time(7, 15), tz).astimezone(UTC) + timedelta(
                seconds=rng.randint(0, 3600))
            rows.append({"registration_id": rid, "batch_id": pk(batch), "day": day,
                         "slot": 0, "session_id": None, "scanned_at": at,
                         "recorded_at": at + timedelta(seconds=1), "device_id": "hp-pintu-1",
                         "method": "qr", "nonce": f"ss-{rng.getrandbits(96):024x}",
                         "user_id": user_id, "offline": False})
    if rows:
        db.connection().execute(insert(CheckIn.__table__), rows)  # type: ignore[attr-defined]
    return len(rows)


def seed_paperwork(db: Session, padang: Training, padang_admin: User,
                   province: ProvinceResult, admin_password: str) -> None:
    """Flushes only, like the rest of the demo."""
    workshop = db.get(Training, province.training_id)
    batch = db.get(Batch, province.batch_id)
    assert workshop is not None and batch is not None
    sumsel_admin = db.exec(select(User).where(
        User.organization_id == province.organization_id,
        User.role == "admin").order_by(col(User.id))).first()
    assert sumsel_admin is not None
    _workshop_check_ins(db, workshop, batch, pk(sumsel_admin))
    units = demo_nominations.seed_nominations(db, province)
    demo_guests.seed_guests(db, padang, workshop, pk(padang_admin))
    demo_letters.seed_letters(db, padang, workshop, units)
    demo_spj.seed_spj(db, admin_password, padang, workshop)
