"""Live attendance: counts by category and kecamatan, who is missing, the latest arrivals,
per-session mode, conflicts; the JSON API and the pages. Check-ins are inserted directly
(the check-in service has its own tests)."""

import gzip
import secrets
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from service.models import AgendaSession, Batch, CheckIn, Registration, Scan, Training, User
from service.models.base import pk
from service.schemas.planning import BatchCreate, CategoryIn, TrainingCreate
from service.services import attendance as att
from service.services import auth, registrations, trainings
from service.services import training_clock as clock
from tests.conftest import PASSWORD
from tests.helpers import login_page_client

DAY1, DAY2 = date(2018, 9, 12), date(2018, 9, 13)
WIB = ZoneInfo("Asia/Jakarta")

# name, category, kecamatan, phone, institution
PEOPLE = (
    ("Siti Rahmawati", "Kader BKB", "Koto Tangah", "081266104521", "Kelompok BKB Kel. Air Pacah"),
    ("Rina Marlina", "Kader BKB", "Kuranji", "081374412088", "Kelompok BKB Kel. Anduring"),
    ("Budi Santoso", "PKB", "Koto Tangah", "085263317740", "Balai Penyuluhan KB Kec. Koto Tangah"),
    ("Dewi Lestari", None, None, None, None),
    # Typed differently by another committee member: still Koto Tangah.
    ("Yusuf Chaniago", "PKB", " koto  tangah", "082283140655", None),
)


@dataclass
class Setup:
    training: Training
    batch: Batch
    other: Batch
    regs: dict[str, Registration]
    gate: User


def _training(db: Session, org: Any, mode: str = "day", tz: str = "Asia/Jakarta",
              title: str = "Pelatihan Kader Kampung KB") -> tuple[Training, Batch, Batch]:
    training = trainings.create_training(db, pk(org), TrainingCreate(
        title=title, kind="pelatihan", start_date=DAY1, end_date=date(2018, 9, 18),
        timezone=tz, checkin_mode=mode,
        categories=[CategoryIn(name="Kader BKB"), CategoryIn(name="PKB")]))
    first = trainings.create_batch(db, training, BatchCreate(
        name="Angkatan I", start_date=DAY1, end_date=DAY2, capacity=200))
    second = trainings.create_batch(db, training, BatchCreate(
        name="Angkatan II", start_date=date(2018, 9, 17), end_date=date(2018, 9, 18),
        capacity=200))
    return training, first, second


def _register(db: Session, training: Training, batch: Batch, name: str,
              category: str | None = None, district: str | None = None,
              phone: str | None = None, institution: str | None = None) -> Registration:
    raw = {"name": name, "category": category, "district": district, "phone": phone,
           "institution": institution}
    return registrations.register(db, training, {k: v for k, v in raw.items() if v},
                                  pk(batch))


def _gate(db: Session, org: Any, name: str = "Gerbang 2") -> User:
    return auth.create_user(db, email=f"{secrets.token_hex(4)}@gerbang.test", password=PASSWORD,
                            name=name, role="scanner", organization=org)


def checkin(db: Session, reg: Registration, day: date, at: str = "07:45", slot: int = 0,
            user: User | None = None, method: str = "qr", offline: bool = False,
            session_id: int | None = None, tz: ZoneInfo = WIB, device: str | None = None
            ) -> CheckIn:
    scanned = datetime.combine(day, time.fromisoformat(at), tz).astimezone(UTC)
    row = CheckIn(registration_id=pk(reg), batch_id=reg.batch_id or 0, day=day, slot=slot,
                  session_id=session_id, scanned_at=scanned, device_id=device, method=method,
                  nonce=secrets.token_hex(8), user_id=user.id if user else None,
                  offline=offline)
    db.add(row)
    db.commit()
    return row


@pytest.fixture
def setup(db: Session, org: Any) -> Setup:
    training, batch, other = _training(db, org)
    regs = {p[0]: _register(db, training, batch, *p[:2], district=p[2], phone=p[3],
                            institution=p[4]) for p in PEOPLE}
    # Neither counts for Angkatan I: a cancelled registration and the other batch's person.
    gone = _register(db, training, batch, "Fitri Handayani", "PKB", "Kuranji")
    registrations.cancel(db, gone)
    regs["Fitri Handayani"] = gone
    regs["Andi Saputra"] = _register(db, training, other, "Andi Saputra", "PKB", "Pauh")
    # Committed (a savepoint here): a request that fails rolls back only its own work.
    db.commit()
    return Setup(training, batch, other, regs, _gate(db, org))


def _arrive(db: Session, s: Setup, *names: str, day: date = DAY1) -> None:
    for n, name in enumerate(names):
        checkin(db, s.regs[name], day, at=f"07:{30 + n:02d}")


def tallies(rows: list[att.Tally]) -> dict[str | None, tuple[int, int]]:
    return {t.name: (t.expected, t.present) for t in rows}


# --- the service ------------------------------------------------------------------------

def test_counts_by_category_and_kecamatan(db: Session, setup: Setup) -> None:
    _arrive(db, setup, "Siti Rahmawati", "Budi Santoso", "Yusuf Chaniago")
    checkin(db, setup.regs["Fitri Handayani"], DAY1)  # cancelled later: not counted
    a = att.attendance(db, setup.training, setup.batch, DAY1)
    assert (a.total.expected, a.total.present, a.total.missing) == (5, 3, 2)
    assert a.total.percent == 60 and round(a.total.rate, 2) == 0.6
    # In the training's category order; no category last.
    assert [t.name for t in a.by_category] == ["Kader BKB", "PKB", None]
    assert tallies(a.by_category) == {"Kader BKB": (2, 1), "PKB": (2, 2), None: (1, 0)}
    # "Koto Tangah" and " koto  tangah" are one kecamatan, shown as first written.
    assert tallies(a.by_district) == {"Koto Tangah": (3, 3), "Kuranji": (1, 0), None: (1, 0)}


def test_missing_list_names_who_to_call(db: Session, setup: Setup) -> None:
    _arrive(db, setup, "Siti Rahmawati", "Budi Santoso", "Yusuf Chaniago")
    missing = att.attendance(db, setup.training, setup.batch, DAY1).missing
    assert [(m.name, m.phone, m.category, m.district, m.institution) for m in missing] == [
        ("Dewi Lestari", None, None, None, None),
        ("Rina Marlina", "+6281374412088", "Kader BKB", "Kuranji", "Kelompok BKB Kel. Anduring"),
    ]
    link = att.missing_whatsapp(missing[1], setup.training, setup.batch, DAY1)
    assert link is not None and link.startswith("https://wa.me/6281374412088?text=")
    assert "Rina%20Marlina" in link and "Rabu%2C%2012%20September%202018" in link
    assert att.missing_whatsapp(missing[0], setup.training, setup.batch, DAY1) is None


def test_everyone_here_and_nobody_yet(db: Session, setup: Setup) -> None:
    a = att.attendance(db, setup.training, setup.batch, DAY1)
    assert (a.total.present, len(a.missing), a.total.percent, a.recent) == (0, 5, 0, [])
    _arrive(db, setup, *(p[0] for p in PEOPLE))
    a = att.attendance(db, setup.training, setup.batch, DAY1)
    assert (a.total.present, a.missing, a.total.percent) == (5, [], 100)


def test_percent_is_rounded_to_one_decimal() -> None:
    assert att.Tally(None, 842, 799).percent == 94.9  # cut, it read 94
    assert att.Tally(None, 3, 2).percent == 66.7
    assert att.Tally(None, 0, 0).percent == 0


def test_percent_never_rounds_up_to_a_full_house() -> None:
    assert att.Tally(None, 842, 841).percent == 99.9
    assert att.Tally(None, 842, 842).percent == 100


def test_each_day_counts_on_its_own_and_the_summary_has_every_day(db: Session,
                                                                  setup: Setup) -> None:
    _arrive(db, setup, "Siti Rahmawati", "Budi Santoso", "Yusuf Chaniago")
    _arrive(db, setup, "Rina Marlina", day=DAY2)
    day2 = att.attendance(db, setup.training, setup.batch, DAY2)
    assert day2.total.present == 1 and day2.day_number == 2
    assert {m.name for m in day2.missing} == {"Siti Rahmawati", "Budi Santoso",
                                              "Yusuf Chaniago", "Dewi Lestari"}
    assert [(d.day, d.present) for d in day2.per_day] == [(DAY1, 3), (DAY2, 1)]
    assert [r.name for r in day2.recent] == ["Rina Marlina"]


def test_recent_check_ins_in_the_training_time_zone_newest_first(db: Session, org: Any) -> None:
    makassar = ZoneInfo("Asia/Makassar")
    training, batch, _ = _training(db, org, tz="Asia/Makassar")
    a, b = (_register(db, training, batch, n) for n in ("Wa Ode Nurhayati", "Andi Baso"))
    gate = _gate(db, org, "Gerbang 1")
    checkin(db, a, DAY1, "07:41", user=gate, tz=makassar, device="hp-1")
    checkin(db, b, DAY1, "07:58", user=gate, method="manual", offline=True, tz=makassar)
    recent = att.attendance(db, training, batch, DAY1).recent
    assert [(r.name, r.at.strftime("%H:%M"), r.by, r.method, r.offline) for r in recent] == [
        ("Andi Baso", "07:58", "Gerbang 1", "manual", True),
        ("Wa Ode Nurhayati", "07:41", "Gerbang 1", "qr", False)]
    assert recent[0].at.utcoffset() == timedelta(hours=8)


def test_a_day_outside_the_batch_is_refused(db: Session, setup: Setup) -> None:
    with pytest.raises(att.DayOutsideBatch) as err:
        att.attendance(db, setup.training, setup.batch, date(2018, 9, 17))
    assert err.value.status == 422


def test_defaults_pick_today_when_the_batch_meets_else_its_first_day(db: Session,
                                                                     setup: Setup) -> None:
    during = datetime(2018, 9, 17, 23, 30, tzinfo=UTC)  # 18 September 06:30 WIB
    both = [setup.batch, setup.other]
    today = clock.today(setup.training, during)
    assert today == date(2018, 9, 18)
    assert clock.default_batch(both, today) == setup.other
    assert clock.default_day(setup.other, today) == date(2018, 9, 18)
    assert clock.default_day(setup.batch, today) == DAY1
    before = clock.today(setup.training, datetime(2018, 9, 14, 12, tzinfo=UTC))
    assert clock.default_batch(both, before) == setup.other
    after = clock.today(setup.training, datetime(2019, 1, 1, tzinfo=UTC))
    assert clock.default_batch(both, after) == setup.batch


def _sessions(db: Session, batch: Batch) -> list[AgendaSession]:
    rows = [AgendaSession(batch_id=pk(batch), date=DAY1, start_time=time(8), end_time=time(9, 30),
                          title="Kebijakan Program KKBPK"),
            AgendaSession(batch_id=pk(batch), date=DAY1, start_time=time(9, 30),
                          end_time=time(9, 45), title="Rehat kopi", kind="break"),
            AgendaSession(batch_id=pk(batch), date=DAY1, start_time=time(10),
                          end_time=time(11, 30), title="Pengelolaan BKB"),
            AgendaSession(batch_id=pk(batch), date=DAY2, start_time=time(8),
                          end_time=time(9, 30), title="Kesehatan Reproduksi")]
    db.add_all(rows)
    db.flush()
    return rows


def test_per_session_mode_counts_each_session_and_the_day(db: Session, org: Any) -> None:
    training, batch, _ = _training(db, org, mode="session")
    morning, _break, late, next_day = _sessions(db, batch)
    siti, rina, budi = (_register(db, training, batch, n, "Kader BKB", "Kuranji")
                        for n in ("Siti", "Rina", "Budi"))
    for reg in (siti, rina):
        checkin(db, reg, DAY1, "07:55", slot=pk(morning), session_id=pk(morning))
    checkin(db, siti, DAY1, "09:58", slot=pk(late), session_id=pk(late))

    first = att.attendance(db, training, batch, DAY1, pk(morning))
    assert (first.total.present, [m.name for m in first.missing]) == (2, ["Budi"])
    assert first.session is not None and first.session.title == "Kebijakan Program KKBPK"
    second = att.attendance(db, training, batch, DAY1, pk(late))
    assert (second.total.present, [m.name for m in second.missing]) == (1, ["Budi", "Rina"])
    assert [r.name for r in second.recent] == ["Siti"]
    # The whole day: present at any session, each person once.
    day = att.attendance(db, training, batch, DAY1)
    assert (day.total.present, day.session) == (2, None)
    assert [(s.title, s.present) for s in day.sessions] == [
        ("Kebijakan Program KKBPK", 2), ("Rehat kopi", 0), ("Pengelolaan BKB", 1)]
    assert [(d.day, d.present) for d in day.per_day] == [(DAY1, 2), (DAY2, 0)]
    assert [r.session for r in day.recent] == ["Pengelolaan BKB", "Kebijakan Program KKBPK",
                                               "Kebijakan Program KKBPK"]
    with pytest.raises(att.SessionNotOnDay):
        att.attendance(db, training, batch, DAY1, pk(next_day))
    # The latest begun session, on the page of today.
    at_ten = datetime(2018, 9, 12, 3, 10, tzinfo=UTC)  # 10.10 WIB
    assert att.current_session(training, DAY1, day.sessions, at_ten) == day.sessions[2]
    at_coffee = datetime(2018, 9, 12, 2, 35, tzinfo=UTC)  # 09.35 WIB: the break is skipped
    assert att.current_session(training, DAY1, day.sessions, at_coffee) == day.sessions[0]
    assert att.current_session(training, DAY2, day.sessions, at_ten) is None


def test_a_session_in_day_mode_is_refused(db: Session, setup: Setup) -> None:
    with pytest.raises(att.NotPerSession):
        att.attendance(db, setup.training, setup.batch, DAY1, 1)


def _conflict(db: Session, reg: Registration, first: User, second: User) -> Scan:
    kept = checkin(db, reg, DAY1, "07:48", user=first, offline=True, device="hp-gerbang-2")
    scan = Scan(registration_id=pk(reg), nonce=secrets.token_hex(8), device_id="hp-gerbang-1",
                scanned_at=datetime(2018, 9, 12, 0, 49, 5, tzinfo=UTC), result="already_checked_in",
                checkin_id=kept.id, flagged=True, user_id=second.id, offline=True)
    db.add(scan)
    db.flush()
    return scan


def test_conflicts_show_both_scans(db: Session, setup: Setup, org: Any) -> None:
    gate1 = _gate(db, org, "Gerbang 1")
    scan = _conflict(db, setup.regs["Siti Rahmawati"], setup.gate, gate1)
    # A plain repeat scan is not a conflict.
    repeat = checkin(db, setup.regs["Budi Santoso"], DAY1, "07:50")
    db.add(Scan(registration_id=pk(setup.regs["Budi Santoso"]), nonce=secrets.token_hex(8),
                scanned_at=datetime(2018, 9, 12, 0, 51, tzinfo=UTC), result="already_checked_in",
                checkin_id=repeat.id))
    db.flush()
    [c] = att.conflicts(db, setup.training)
    assert (c.scan_id, c.name, c.batch, c.day) == (scan.id, "Siti Rahmawati", "Angkatan I", DAY1)
    assert (c.first.at.strftime("%H:%M:%S"), c.first.by, c.first.device_id, c.first.offline) == (
        "07:48:00", "Gerbang 2", "hp-gerbang-2", True)
    assert (c.second.at.strftime("%H:%M:%S"), c.second.by, c.second.device_id) == (
        "07:49:05", "Gerbang 1", "hp-gerbang-1")


def test_conflicts_of_another_training_are_not_shown(db: Session, setup: Setup,
                                                     org: Any) -> None:
    training, batch, _ = _training(db, org, title="Bimtek Pengelola Kampung KB")
    reg = _register(db, training, batch, "Nur Aini")
    _conflict(db, reg, setup.gate, setup.gate)
    assert att.conflicts(db, setup.training) == []
    assert len(att.conflicts(db, training)) == 1


def _batch_of(db: Session, training: Training, name: str, n: int) -> Batch:
    batch = trainings.create_batch(db, training, BatchCreate(
        name=name, start_date=DAY1, end_date=DAY2, capacity=500))
    for i in range(n):
        reg = _register(db, training, batch, f"Peserta {name} {i:03d}",
                        ("Kader BKB", "PKB", None)[i % 3], f"Kecamatan {i % 7}",
                        f"0812{i:08d}" if i % 4 else None)
        if i % 2:
            checkin(db, reg, DAY1, f"07:{30 + i % 30:02d}", user=None)
    return batch


@pytest.mark.parametrize("mode", ["day", "session"])
def test_query_count_does_not_grow_with_participants(db: Session, org: Any, mode: str,
                                                      count_queries: list[str]) -> None:
    training, small, _ = _training(db, org, mode=mode)
    small = _batch_of(db, training, "Kecil", 4)
    large = _batch_of(db, training, "Besar", 60)
    counts = []
    for batch in (small, large):
        count_queries.clear()
        a = att.attendance(db, training, batch, DAY1)
        att.conflicts(db, training)
        counts.append(len(count_queries))
        assert a.total.expected in (4, 60)
    assert counts[0] == counts[1] and counts[0] <= 7, counts


# --- the API -----------------------------------------------------------------------------

def test_api_attendance(api: TestClient, db: Session, setup: Setup) -> None:
    checkin(db, setup.regs["Siti Rahmawati"], DAY1, "07:31", user=setup.gate, method="manual")
    checkin(db, setup.regs["Budi Santoso"], DAY1, "07:44", user=setup.gate, offline=True)
    r = api.get(f"/api/batches/{setup.batch.id}/attendance", params={"day": "2018-09-12"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["batch"] == {"id": setup.batch.id, "name": "Angkatan I",
                             "start_date": "2018-09-12", "end_date": "2018-09-13"}
    assert (body["day"], body["expected"], body["present"], body["rate"]) == (
        "2018-09-12", 5, 2, 0.4)
    assert body["by_category"] == [
        {"name": "Kader BKB", "expected": 2, "present": 1, "rate": 0.5, "excused": 0},
        {"name": "PKB", "expected": 2, "present": 1, "rate": 0.5, "excused": 0},
        {"name": None, "expected": 1, "present": 0, "rate": 0.0, "excused": 0}]
    assert {d["name"]: d["present"] for d in body["by_district"]} == {
        "Koto Tangah": 2, "Kuranji": 0, None: 0}
    assert [m["name"] for m in body["missing"]] == ["Dewi Lestari", "Rina Marlina",
                                                    "Yusuf Chaniago"]
    assert body["missing"][1] == {"registration_id": setup.regs["Rina Marlina"].id,
                                  "name": "Rina Marlina", "phone": "+6281374412088",
                                  "category": "Kader BKB", "district": "Kuranji",
                                  "institution": "Kelompok BKB Kel. Anduring"}
    first = body["recent"][0]
    assert (first["name"], first["time"], first["by"], first["offline"], first["method"]) == (
        "Budi Santoso", "07:44", "Gerbang 2", True, "qr")
    assert first["checked_in_at"] == "2018-09-12T07:44:00+07:00"
    assert body["recent"][1]["method"] == "manual"
    assert body["days"] == [{"day": "2018-09-12", "present": 2, "excused": 0},
                            {"day": "2018-09-13", "present": 0, "excused": 0}]
    assert (body["session"], body["sessions"], body["checkin_mode"]) == (None, [], "day")


def test_api_day_outside_the_batch_is_a_clear_422(api: TestClient, setup: Setup) -> None:
    url = f"/api/batches/{setup.batch.id}/attendance"
    r = api.get(url, params={"day": "2018-09-17"})
    assert r.status_code == 422
    assert r.json()["code"] == "day_outside_batch"
    assert "Angkatan I" in r.json()["message"] and "12 September 2018" in r.json()["message"]
    assert r.json()["days"] == ["2018-09-12", "2018-09-13"]
    r = api.get(url, params={"day": "2018-09-17"}, headers={"Accept-Language": "en"})
    assert r.json()["message"].startswith("Angkatan I runs from 12 September 2018")
    for bad in ("12-09-2018", "kemarin", "2018-02-30"):
        assert api.get(url, params={"day": bad}).status_code == 422
    assert api.get(url, params={"day": "2018-09-12", "session_id": "1"}).status_code == 422


def test_api_without_a_day_shows_the_first_day(api: TestClient, setup: Setup) -> None:
    r = api.get(f"/api/batches/{setup.batch.id}/attendance")
    assert r.status_code == 200 and r.json()["day"] == "2018-09-12"


def test_api_per_session(api: TestClient, db: Session, org: Any) -> None:
    training, batch, _ = _training(db, org, mode="session")
    morning, _break, late, next_day = _sessions(db, batch)
    reg = _register(db, training, batch, "Siti", "Kader BKB")
    checkin(db, reg, DAY1, "07:55", slot=pk(morning), session_id=pk(morning))
    url = f"/api/batches/{batch.id}/attendance"
    body = api.get(url, params={"day": "2018-09-12", "session_id": late.id}).json()
    assert (body["present"], body["session"]["title"]) == (0, "Pengelolaan BKB")
    assert [s["present"] for s in body["sessions"]] == [1, 0, 0]
    body = api.get(url, params={"day": "2018-09-12"}).json()
    assert (body["present"], body["session"]) == (1, None)
    r = api.get(url, params={"day": "2018-09-12", "session_id": next_day.id})
    assert r.status_code == 422 and r.json()["code"] == "session_not_on_day"


def test_api_conflicts(api: TestClient, db: Session, setup: Setup, org: Any) -> None:
    _conflict(db, setup.regs["Siti Rahmawati"], setup.gate, _gate(db, org, "Gerbang 1"))
    r = api.get(f"/api/trainings/{setup.training.id}/checkin-conflicts")
    assert r.status_code == 200, r.text
    [item] = r.json()["items"]
    assert (item["name"], item["batch"], item["day"]) == ("Siti Rahmawati", "Angkatan I",
                                                          "2018-09-12")
    assert item["first"] == {"at": "2018-09-12T07:48:00+07:00", "by": "Gerbang 2",
                             "device_id": "hp-gerbang-2", "method": "qr", "offline": True}
    assert item["second"]["at"] == "2018-09-12T07:49:05+07:00"
    assert item["second"]["by"] == "Gerbang 1"


def test_another_organizations_batch_is_not_found(api: TestClient, db: Session) -> None:
    other_org = auth.get_or_create_organization(db, "DP3AP2KB Kota Pontianak")
    training, batch, _ = _training(db, other_org)
    assert api.get(f"/api/batches/{batch.id}/attendance").status_code == 404
    assert api.get(f"/api/trainings/{training.id}/checkin-conflicts").status_code == 404
    assert api.get("/api/batches/999999/attendance").status_code == 404


def test_scanner_logins_may_not_read_attendance(client: TestClient, db: Session,
                                                setup: Setup) -> None:
    r = client.post("/api/auth/token", data={"username": setup.gate.email, "password": PASSWORD})
    assert r.status_code == 200, r.text
    headers = {"Authorization": f"Bearer {r.json()['access_token']}"}
    r = client.get(f"/api/batches/{setup.batch.id}/attendance", headers=headers)
    assert r.status_code == 403
    assert client.get(f"/api/batches/{setup.batch.id}/attendance").status_code == 401


# --- the pages ---------------------------------------------------------------------------

@pytest.fixture
def pages(client: TestClient, admin: Any) -> TestClient:
    login_page_client(client, admin.email)
    return client


def test_page_shows_counts_missing_with_call_links_and_arrivals(pages: TestClient, db: Session,
                                                                setup: Setup, org: Any) -> None:
    checkin(db, setup.regs["Siti Rahmawati"], DAY1, "07:31", user=setup.gate)
    _conflict(db, setup.regs["Budi Santoso"], setup.gate, _gate(db, org, "Gerbang 1"))
    url = f"/trainings/{setup.training.id}/attendance?batch={setup.batch.id}&day=2018-09-12"
    r = pages.get(url)
    assert r.status_code == 200 and "<html" in r.text
    page = r.text
    # Every 5 s, while the page is on screen (a phone in a pocket costs no data; page.js
    # holds the poll back: htmx's trigger filters need eval, which the CSP forbids).
    assert 'id="att-live"' in page and 'hx-trigger="every 5s" data-poll-visible' in page
    assert f'hx-get="{url.replace("&", "&amp;")}"' in page
    assert "<strong>2</strong>" in page and "40,0%" in page
    assert 'href="tel:+6281374412088"' in page and "0813 7441 2088" in page
    assert "https://wa.me/6281374412088?text=" in page
    assert "Dewi Lestari" in page and "Yusuf Chaniago" in page
    assert "Gerbang 2" in page and "07.31" in page  # Indonesian time
    assert "Koto Tangah" in page and "Kuranji" in page
    assert f"/trainings/{setup.training.id}/attendance/screen?batch={setup.batch.id}" in page
    conflicts = page.split('id="att-conflicts"')[1]
    assert "Budi Santoso" in conflicts and "07.49" in conflicts and "Gerbang 1" in conflicts
    assert r.headers["vary"] == "HX-Request, Accept-Encoding"
    assert r.headers["cache-control"] == "no-store"


def test_polling_gets_only_the_live_block(pages: TestClient, db: Session, setup: Setup) -> None:
    url = f"/trainings/{setup.training.id}/attendance?batch={setup.batch.id}&day=2018-09-12"
    before = pages.get(url, headers={"HX-Request": "true"}).text
    assert before.lstrip().startswith('<div id="att-live"') and "<html" not in before
    assert "csrf" not in before.lower()  # nothing secret in the block it sends gzipped
    checkin(db, setup.regs["Rina Marlina"], DAY1, "08:02")
    after = pages.get(url, headers={"HX-Request": "true"}).text
    row = f'id="missing-{setup.regs["Rina Marlina"].id}"'
    assert row in before and row not in after
    assert "08.02" in after


def test_big_screen(pages: TestClient, db: Session, setup: Setup) -> None:
    _arrive(db, setup, "Siti Rahmawati", "Budi Santoso", "Yusuf Chaniago")
    url = f"/trainings/{setup.training.id}/attendance/screen?batch={setup.batch.id}&day=2018-09-13"
    page = pages.get(url).text
    assert "Hari ke-2" in page and 'id="screen-present">0<' in page
    url = url.replace("2018-09-13", "2018-09-12")
    page = pages.get(url).text
    assert 'id="screen-present">3<' in page and "/ 5" in page and "60,0%" in page
    assert "Yusuf Chaniago" in page and "tel:" not in page  # names only on a public screen
    block = pages.get(url, headers={"HX-Request": "true"}).text
    assert block.lstrip().startswith('<main id="att-screen"') and "<html" not in block


def test_stale_or_edited_urls_fall_back_to_a_page(pages: TestClient, setup: Setup,
                                                  db: Session, org: Any) -> None:
    base = f"/trainings/{setup.training.id}/attendance"
    for query in ("?batch=abc&day=x", "?batch=999999&day=2018-09-12", "?day=2030-01-01",
                  f"?batch={setup.other.id}&day=2018-09-12", "?batch=²&session=1"):
        r = pages.get(base + query)
        assert r.status_code == 200, query
    # Angkatan II does not meet on 12 September: its first day is shown.
    page = pages.get(f"{base}?batch={setup.other.id}&day=2018-09-12").text
    assert "Senin, 17 September 2018" in page and "Andi Saputra" in page
    empty, _b, _c = _training(db, org, title="Bimtek Tanpa Angkatan")
    for b in (_b, _c):
        trainings.delete_batch(db, b)
    r = pages.get(f"/trainings/{empty.id}/attendance")
    assert r.status_code == 200 and "att-live" not in r.text
    assert pages.get(f"/trainings/{empty.id}/attendance/screen").status_code == 200


def test_pages_of_another_organization_are_not_found(pages: TestClient, db: Session) -> None:
    other_org = auth.get_or_create_organization(db, "DP3AP2KB Kota Pontianak")
    training, _, _ = _training(db, other_org)
    assert pages.get(f"/trainings/{training.id}/attendance").status_code == 404
    assert pages.get(f"/trainings/{training.id}/attendance/screen").status_code == 404


def test_pages_need_a_login(client: TestClient, setup: Setup) -> None:
    r = client.get(f"/trainings/{setup.training.id}/attendance", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/login?next=")


def test_training_overview_links_to_attendance(pages: TestClient, setup: Setup) -> None:
    page = pages.get(f"/trainings/{setup.training.id}").text
    assert f'href="/trainings/{setup.training.id}/attendance"' in page
    assert f'href="/trainings/{setup.training.id}/attendance?batch={setup.batch.id}"' in page
    assert f'href="/trainings/{setup.training.id}/attendance?batch={setup.other.id}"' in page


def test_per_session_page_preselects_nothing_on_a_past_day(pages: TestClient, db: Session,
                                                          org: Any) -> None:
    training, batch, _ = _training(db, org, mode="session")
    morning, _break, late, _next = _sessions(db, batch)
    reg = _register(db, training, batch, "Siti", "Kader BKB")
    checkin(db, reg, DAY1, "07:55", slot=pk(morning), session_id=pk(morning))
    base = f"/trainings/{training.id}/attendance?batch={batch.id}&day=2018-09-12"
    page = pages.get(base).text
    assert "Kebijakan Program KKBPK" in page and "Pengelolaan BKB" in page
    assert 'id="att-present"><strong>1</strong>' in page
    live = page.split('id="att-live"')[1].split(">")[0]
    assert "session" not in live  # each refresh follows the session running now
    page = pages.get(f"{base}&session={late.id}").text
    assert 'id="att-present"><strong>0</strong>' in page
    assert f"session={late.id}" in page.split('id="att-live"')[1].split(">")[0]
    # The whole day chosen by hand stays chosen while the page refreshes.
    page = pages.get(f"{base}&session=").text
    assert 'id="att-present"><strong>1</strong>' in page
    assert '&amp;session=" hx-trigger' in page.split('id="att-live"')[1].split(">")[0]


def test_the_polled_block_travels_gzipped(pages: TestClient, db: Session, org: Any) -> None:
    training, batch, _ = _training(db, org)
    for i in range(40):
        _register(db, training, batch, f"Peserta {i:02d}", "PKB", "Pauh", f"0812{i:08d}")
    db.commit()
    url = f"/trainings/{training.id}/attendance?batch={batch.id}&day=2018-09-12"
    headers = {"HX-Request": "true", "Accept-Encoding": "gzip"}
    with pages.stream("GET", url, headers=headers) as r:
        raw = b"".join(r.iter_raw())
        assert r.headers["content-encoding"] == "gzip"
        plain = gzip.decompress(raw).decode()
    assert plain.lstrip().startswith('<div id="att-live"') and plain.count("wa.me/") == 40
    assert len(raw) * 5 < len(plain)
    # The whole page (it carries the CSRF token) is never compressed.
    with pages.stream("GET", url, headers={"Accept-Encoding": "gzip"}) as r:
        assert "content-encoding" not in r.headers
