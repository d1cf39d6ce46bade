"""The demo's attendance history: the four Padang angkatan checked in at the hotel's two
doors on each of their two days, as it would have looked in September 2018.

Day 1 nearly everyone comes; on day 2 a handful more stay away (mostly other people).
People arrive between 07.25 and 08.40 WIB, most around 07.50. Two scanner logins,
"Gerbang 1" and "Gerbang 2", record them; a few forgot their phone and were found by
name (manual); on 17 September the hotel's signal dropped for a few minutes, so both
doors scanned offline and synced later, and two people were scanned at both doors in
that gap: each is a check-in plus a flagged scan, the conflicts the committee reviews.
In the evening after each second day the committee went through the signed daftar hadir
and recorded what the doors missed: someone who signed but whose scan was missed (present),
and excused absences with their reasons (sakit, izin).
Rows go in with Core bulk inserts, so seeding stays fast.
"""

import random
import secrets
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import insert
from sqlmodel import Session, col, select

from service.models import (
    AttendanceMark,
    Batch,
    CheckIn,
    Organization,
    Registration,
    Scan,
    Training,
    User,
)
from service.models.base import pk
from service.services import auth

FIRST_SCAN, LAST_SCAN, PEAK = time(7, 25), time(8, 40), time(7, 50)
DAY1_ABSENT, DAY2_ABSENT = (2, 4), (5, 9)
MANUAL_SHARE = 0.03
GATES = ("Gerbang 1", "Gerbang 2")
# The signal dropped at the hotel on the morning of 17 September (local time).
OUTAGE_DAY, OUTAGE = date(2018, 9, 17), (time(7, 48), time(7, 50, 30))
SYNCED_AT = time(8, 2, 15)
REPEATS_PER_DAY = 1  # someone scans their ticket a second time "to be sure"
# What the committee recorded from the signed daftar hadir after the second days: for the
# first batches meeting then, (status, excuse, reason) for the first few of that day's
# absent, in order.
MARKED_AT = time(16, 30)
CORRECTIONS: dict[str, list[tuple[str, str | None, str]]] = {
    "Angkatan I": [
        ("excused", "sick", "Demam tinggi, surat keterangan dari puskesmas"),
        ("present", None, "Lupa memindai QR di pintu; tanda tangan ada di daftar hadir "
                          "hari ke-2"),
    ],
    "Angkatan III": [
        ("excused", "leave", "Menghadiri pernikahan saudara di Pariaman"),
    ],
}


@dataclass(frozen=True)
class AttendanceSummary:
    checkins: int
    absent: dict[tuple[int, date], list[int]]  # (batch id, day) -> registration ids
    conflicts: int
    corrections: int = 0  # the committee's marks after the day


def _minutes(t: time) -> float:
    return t.hour * 60 + t.minute + t.second / 60


def _arrival(rng: random.Random, day: date, tz: ZoneInfo) -> datetime:
    minute = rng.triangular(_minutes(FIRST_SCAN), _minutes(LAST_SCAN), _minutes(PEAK))
    seconds = min(int(minute * 60), int(_minutes(LAST_SCAN) * 60))
    local = datetime.combine(day, time(0), tz) + timedelta(seconds=seconds)
    return local.astimezone(UTC)


def _in_outage(moment: datetime, tz: ZoneInfo) -> bool:
    local = moment.astimezone(tz)
    return local.date() == OUTAGE_DAY and OUTAGE[0] <= local.time() < OUTAGE[1]


def _scanners(db: Session, training: Training, admin_email: str) -> list[User]:
    org = db.get(Organization, training.organization_id)
    assert org is not None
    domain = admin_email.rsplit("@", 1)[-1].lower()
    users = []
    for n, name in enumerate(GATES, 1):
        user = auth.create_user(db, email=f"gerbang{n}@{domain}", name=name, role="scanner",
                                password=secrets.token_urlsafe(18), organization=org)
        user.training_id = training.id
        db.add(user)
        users.append(user)
    db.flush()
    return users


def _absentees(rng: random.Random, people: list[int]) -> tuple[list[int], list[int]]:
    """Who stays away on day 1, and on day 2: mostly others, sometimes one of day 1's."""
    first = rng.sample(people, rng.randint(*DAY1_ABSENT))
    again = [p for p in first if rng.random() < 0.25][:1]
    others = [p for p in people if p not in first]
    second = again + rng.sample(others, rng.randint(*DAY2_ABSENT) - len(again))
    return sorted(first), sorted(second)


def seed_attendance(db: Session, training: Training, batches: list[Batch], admin_email: str,
                    seed: int) -> AttendanceSummary:
    """Check-ins for every day of these batches; the caller commits."""
    rng = random.Random(seed)
    tz = ZoneInfo(training.timezone)
    gates = _scanners(db, training, admin_email)
    by_batch: dict[int, list[int]] = {pk(b): [] for b in batches}
    for rid, bid in db.exec(select(Registration.id, Registration.batch_id)
                            .where(Registration.training_id == training.id,
                                   Registration.status == "confirmed")
                            .order_by(col(Registration.id))):
        if bid in by_batch and rid is not None:
            by_batch[bid].append(rid)

    checkins: list[dict[str, Any]] = []
    absent: dict[tuple[int, date], list[int]] = {}
    for batch in batches:
        people = by_batch[pk(batch)]
        days = [batch.start_date + timedelta(days=i)
                for i in range((batch.end_date - batch.start_date).days + 1)]
        missing = _absentees(rng, people)
        for day, away in zip(days, missing, strict=False):
            absent[(pk(batch), day)] = away
            skip = set(away)
            for rid in people:
                if rid in skip:
                    continue
                at = _arrival(rng, day, tz)
                gate = gates[0] if rng.random() < 0.55 else gates[1]
                offline = _in_outage(at, tz)
                synced = datetime.combine(day, SYNCED_AT, tz).astimezone(UTC)
                checkins.append({
                    "registration_id": rid, "batch_id": pk(batch), "day": day, "slot": 0,
                    "session_id": None, "scanned_at": at,
                    "recorded_at": synced if offline else at + timedelta(seconds=1),
                    "device_id": f"hp-{gate.name.lower().replace(' ', '-')}",
                    "method": "manual" if rng.random() < MANUAL_SHARE else "qr",
                    "nonce": f"demo-{rng.getrandbits(96):024x}", "user_id": pk(gate),
                    "offline": offline})

    conflicts = _make_conflicts(rng, checkins, batches, gates, tz)
    db.flush()
    conn = db.connection()
    conn.execute(insert(CheckIn.__table__), checkins)  # type: ignore[attr-defined]
    scans = _scans(rng, db, checkins, conflicts, tz)
    if scans:
        conn.execute(insert(Scan.__table__), scans)  # type: ignore[attr-defined]
    marks = _corrections(db, training, batches, absent, admin_email, tz)
    return AttendanceSummary(checkins=len(checkins), absent=absent, conflicts=len(conflicts),
                             corrections=marks)


def _corrections(db: Session, training: Training, batches: list[Batch],
                 absent: dict[tuple[int, date], list[int]], admin_email: str,
                 tz: ZoneInfo) -> int:
    """The committee's marks from the signed daftar hadir, the evening after day 2."""
    admin = db.exec(select(User).where(User.email == auth.normalize_email(admin_email))).first()
    made = 0
    for batch in batches:
        day = batch.end_date
        for rid, (status, excuse, reason) in zip(absent.get((pk(batch), day), []),
                                                 CORRECTIONS.get(batch.name, []),
                                                 strict=False):
            db.add(AttendanceMark(
                registration_id=rid, batch_id=pk(batch), day=day, status=status,
                excuse=excuse, reason=reason, user_id=admin.id if admin else None,
                created_at=datetime.combine(day, MARKED_AT, tz).astimezone(UTC)))
            made += 1
    db.flush()
    return made


def _make_conflicts(rng: random.Random, checkins: list[dict[str, Any]], batches: list[Batch],
                    gates: list[User], tz: ZoneInfo) -> list[tuple[dict[str, Any], User,
                                                                    datetime]]:
    """On the outage morning, one person of each batch meeting that day was scanned at
    both doors: the earlier (offline) scan is the check-in, the later one is flagged."""
    out = []
    start = datetime.combine(OUTAGE_DAY, OUTAGE[0], tz)
    for n, batch in enumerate(b for b in batches if b.start_date == OUTAGE_DAY):
        rows = [c for c in checkins if c["batch_id"] == pk(batch) and c["day"] == OUTAGE_DAY]
        row = rng.choice(rows)
        first, second = (gates[1], gates[0]) if n % 2 == 0 else (gates[0], gates[1])
        at = (start + timedelta(seconds=20 + 50 * n)).astimezone(UTC)
        row.update(scanned_at=at, user_id=pk(first), method="qr", offline=True,
                   device_id=f"hp-{first.name.lower().replace(' ', '-')}",
                   recorded_at=datetime.combine(OUTAGE_DAY, SYNCED_AT, tz).astimezone(UTC))
        out.append((row, second, at + timedelta(seconds=rng.randint(30, 60))))
    return out


def _scans(rng: random.Random, db: Session, checkins: list[dict[str, Any]],
           conflicts: list[tuple[dict[str, Any], User, datetime]],
           tz: ZoneInfo) -> list[dict[str, Any]]:
    """The flagged scans of the conflicts, and a few harmless repeat scans."""
    wanted = {c["nonce"]: c for c, _gate, _at in conflicts}
    # Early enough that the repeat, a minute later, still falls in the morning's window.
    latest = _minutes(LAST_SCAN) - 5
    repeats = [rng.choice([c for c in checkins if c["day"] == day and not c["offline"]
                           and _minutes(c["scanned_at"].astimezone(tz).time()) < latest])
               for day in sorted({c["day"] for c in checkins}) for _ in range(REPEATS_PER_DAY)]
    wanted.update({c["nonce"]: c for c in repeats})
    ids = dict(db.exec(select(CheckIn.nonce, CheckIn.id)
                       .where(col(CheckIn.nonce).in_(list(wanted)))).all())
    rows = []
    for checkin, gate, at in conflicts:
        rows.append({
            "registration_id": checkin["registration_id"],
            "nonce": f"demo-{rng.getrandbits(96):024x}",
            "device_id": f"hp-{gate.name.lower().replace(' ', '-')}", "scanned_at": at,
            "recorded_at": checkin["recorded_at"] + timedelta(seconds=3),
            "result": "already_checked_in", "checkin_id": ids[checkin["nonce"]],
            "flagged": True, "user_id": pk(gate), "method": "qr", "offline": True})
    for checkin in repeats:
        at = checkin["scanned_at"] + timedelta(seconds=rng.randint(20, 90))
        rows.append({
            "registration_id": checkin["registration_id"],
            "nonce": f"demo-{rng.getrandbits(96):024x}", "device_id": checkin["device_id"],
            "scanned_at": at, "recorded_at": at + timedelta(seconds=1),
            "result": "already_checked_in", "checkin_id": ids[checkin["nonce"]],
            "flagged": False, "user_id": checkin["user_id"], "method": "qr", "offline": False})
    return rows
