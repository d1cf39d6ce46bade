"""Backups that restore: `bimtek backup` and `bimtek restore` on a database of their own
(SQLite or PostgreSQL, as the suite runs), through the services and the CLI."""

import io
import json
import threading
import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from sqlalchemy import LargeBinary, text
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel, col, select

from service import cli
from service import migrate as migrations
from service.db import make_engine, writer_bind
from service.models import BackupRun, Certificate, CheckIn, Registration, User
from service.models.base import pk
from service.services import imports, org_logo, report_photos
from service.services.backups import archive, runs
from service.services.backups.schedule import BackupSchedule, slot_key
from service.services.certificates import template as certificate_template
from service.services.certificates import verification
from service.settings import Settings
from tests import factories
from tests.conftest import DB_KIND
from tests.dbutil import fresh_database
from tests.report_photos_util import phone_jpeg


@dataclass
class Db:
    url: str
    engine: Engine

    def session(self) -> Session:
        return Session(writer_bind(self.engine), expire_on_commit=False)


@pytest.fixture
def source() -> Iterator[Db]:
    with fresh_database(DB_KIND, "bksrc") as url:
        migrations.upgrade(url)
        engine = make_engine(url, pool_size=8)
        yield Db(url, engine)
        engine.dispose()


@pytest.fixture
def target() -> Iterator[Db]:
    with fresh_database(DB_KIND, "bkdst") as url:
        engine = make_engine(url, pool_size=2)
        yield Db(url, engine)
        engine.dispose()


@pytest.fixture
def settings(tmp_path: Path, source: Db) -> Settings:
    return Settings(database_url=source.url, backup_dir=str(tmp_path / "backups"))


def _png(colour: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (120, 60), colour).save(out, "PNG")
    return out.getvalue()


@dataclass
class World:
    registrations: list[int]
    codes: list[str]
    admin_id: int
    training_id: int


def _world(db: Db, people: int = 12, days: int = 2) -> World:
    """An office with a logo, a training whose certificate has a signature, a report
    photo and an import upload kept in the database, check-ins and issued certificates."""
    with db.session() as s:
        org = factories.organization(s, "DP3AP2KB Kota Padang")
        org_logo.set_logo(s, org, _png("#1f6f5c"))
        admin = factories.user(s, org, role="admin", name="Admin Padang")
        t = factories.training(s, org)
        b = factories.batch(s, t, days=days, capacity=max(50, people))
        regs = [factories.register(s, t, b, **factories.kader(i)) for i in range(people)]
        for reg in regs:
            for day in (b.start_date, b.start_date + timedelta(days=1)):
                factories.check_in(s, reg, day, admin)
        factories.certificate_template_for(s, t, admin)
        certificate_template.set_signature(s, t, pk(admin), 0, _png("#123456"))
        report_photos.add_photo(s, t, phone_jpeg(640, 480), "Pembukaan", None, admin)
        imports.save_upload(s, t, admin, "peserta.csv", b"Nama\nSiti Rahmawati\n")
        certificates = factories.issue_certificates(s, t, admin)
        s.commit()
        return World([pk(r) for r in regs], [c.verification_code for c in certificates],
                     pk(admin), pk(t))


def _counts(engine: Engine) -> dict[str, int]:
    out = {}
    with engine.connect() as conn:
        for table in SQLModel.metadata.sorted_tables:
            out[table.name] = conn.execute(
                text(f'SELECT count(*) FROM "{table.name}"')).scalar_one()
    return out


def _blobs(engine: Engine) -> dict[str, list[bytes]]:
    """Every uploaded file kept in the database, by table and column, in id order."""
    out: dict[str, list[bytes]] = {}
    with engine.connect() as conn:
        for table in SQLModel.metadata.sorted_tables:
            for column in table.columns:
                if isinstance(column.type, LargeBinary):
                    order = ", ".join(c.name for c in table.primary_key.columns)
                    out[f"{table.name}.{column.name}"] = [bytes(v) for (v,) in conn.execute(text(
                        f'SELECT "{column.name}" FROM "{table.name}" WHERE "{column.name}" '
                        f"IS NOT NULL ORDER BY {order}"))]
    return out


def _restore(path: Path, target: Db, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = cli.main(["restore", str(path), "--database-url", target.url])
    out = capsys.readouterr()
    return code, (out.err + out.out).strip()


def _is_empty(db: Db) -> bool:
    with db.engine.connect() as conn:
        if db.engine.dialect.name == "sqlite":
            tables = [r[0] for r in conn.execute(text(
                "SELECT name FROM sqlite_master WHERE type = 'table'"))]
        else:
            tables = list(conn.execute(text(
                "SELECT table_name FROM information_schema.tables "
                "WHERE table_schema = current_schema()")).scalars())
    return tables == []


# --- the roundtrip ---------------------------------------------------------------------------

def test_backup_and_restore_keep_every_row_file_and_certificate(
        source: Db, target: Db, settings: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    world = _world(source)
    done = runs.backup(source.engine, settings)
    assert done.path.parent == Path(settings.backup_dir) and done.path.is_file()
    m = done.manifest
    assert (m["format"], m["format_version"], m["database"]) == ("bimtek-backup", 1, DB_KIND)
    assert m["alembic_revision"] == runs._head_revision()
    assert m["organizations"] == 1
    assert m["row_counts"]["checkin"] == 24 and m["row_counts"]["certificate"] == 12
    assert m["uploads"]["organization.logo_png"]["files"] == 1
    assert m["uploads"]["report_photo.image"]["files"] == 1
    member = archive.DATABASE_MEMBERS[DB_KIND]
    assert [f["name"] for f in m["files"]] == [member]

    code, said = _restore(done.path, target, capsys)
    assert code == 0, said
    before, after = _counts(source.engine), _counts(target.engine)
    # The source's own backup run is the one difference: in the copy it was running, and
    # the restore records it as the archive's success.
    assert after == before
    blobs = _blobs(source.engine)
    assert _blobs(target.engine) == blobs
    # The logo, the signature, the photo and its thumbnail, the import upload at least.
    assert sum(1 for files in blobs.values() if files) >= 5, {k: len(v) for k, v in blobs.items()}
    with Session(target.engine) as s:
        for code_ in world.codes:
            found = verification.verify(s, code_)
            assert found.valid and found.number
        run = s.exec(select(BackupRun).where(BackupRun.id == done.run_id)).one()
        assert (run.status, run.size) == ("ok", done.size)


def test_a_restore_leaves_the_schema_at_head(
        source: Db, target: Db, settings: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    """An archive of this code's revision: restored, not migrated, and at head. (An
    archive of an older revision is migrated by the same `migrations.upgrade` call; no
    test builds one.)"""
    _world(source, people=2)
    done = runs.backup(source.engine, settings)
    code, said = _restore(done.path, target, capsys)
    assert code == 0 and "migrated" not in said, said
    with target.engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one() \
            == runs._head_revision()


# --- a backup during a check-in load ----------------------------------------------------------

def test_a_backup_during_checkins_holds_every_checkin_answered_before_it(
        source: Db, target: Db, settings: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    """Four doors check people in on the batch's later days while the backup runs; every
    check-in answered before the backup started is in the restored database."""
    world = _world(source, people=80, days=11)
    first = factories.DAY1
    pairs = [(first + timedelta(days=d), reg) for d in range(2, 11)
             for reg in world.registrations]
    answered: list[tuple[float, date, int]] = []  # (moment answered, day, registration)
    lock = threading.Lock()
    errors: list[BaseException] = []

    def door(work: list[tuple[date, int]]) -> None:
        for day, reg_id in work:
            try:
                with source.session() as s:
                    reg = s.get(Registration, reg_id)
                    user = s.get(User, world.admin_id)
                    assert reg is not None and user is not None
                    factories.check_in(s, reg, day, user, at=clock(8, reg_id % 60))
                    s.commit()
                with lock:
                    answered.append((time.monotonic(), day, reg_id))
            except BaseException as exc:  # noqa: BLE001
                errors.append(exc)
                return

    threads = [threading.Thread(target=door, args=(pairs[i::4],)) for i in range(4)]
    for th in threads:
        th.start()
    while len(answered) < 100 and not errors:
        time.sleep(0.002)
    started = time.monotonic()
    at_start = len(answered)
    done = runs.backup(source.engine, settings)
    for th in threads:
        th.join()
    assert errors == []
    before = {(day, reg) for moment, day, reg in answered if moment < started}
    assert len(before) >= 100
    # The load was going when the backup started, and all of it was answered.
    assert at_start < len(pairs) - 100 and len(answered) == len(pairs)
    code, said = _restore(done.path, target, capsys)
    assert code == 0, said
    with target.engine.connect() as conn:
        restored = {(date.fromisoformat(str(d)[:10]), r) for d, r in conn.execute(text(
            "SELECT day, registration_id FROM checkin WHERE day >= :d"),
            {"d": first + timedelta(days=2)})}
        total = conn.execute(text("SELECT count(*) FROM checkin")).scalar_one()
    assert before <= restored, sorted(before - restored)[:5]
    assert done.manifest["row_counts"]["checkin"] == total == len(restored) + 2 * 80


# --- refused archives ----------------------------------------------------------------------

@pytest.fixture
def good_archive(source: Db, settings: Settings) -> Path:
    _world(source, people=3)
    return runs.backup(source.engine, settings).path


def test_a_truncated_archive_is_refused_and_changes_nothing(
        good_archive: Path, target: Db, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    data = good_archive.read_bytes()
    for keep in (len(data) // 2, len(data) - 10, 200):
        cut = tmp_path / f"cut-{keep}.zip"
        cut.write_bytes(data[:keep])
        code, said = _restore(cut, target, capsys)
        assert code == 2, said
        assert "rusak" in said and said.count("\n") == 0, said
        assert _is_empty(target)


def test_an_altered_byte_is_refused_and_changes_nothing(
        good_archive: Path, target: Db, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    data = bytearray(good_archive.read_bytes())
    for where in (len(data) // 3, len(data) // 2, len(data) - archive.TRAILER_LENGTH - 5):
        changed = bytearray(data)
        changed[where] ^= 0x01
        bad = tmp_path / f"bad-{where}.zip"
        bad.write_bytes(bytes(changed))
        code, said = _restore(bad, target, capsys)
        assert code == 2, said
        assert "rusak" in said and "checksum" in said, said
        assert _is_empty(target)


def _sealed(path: Path, manifest: dict[str, Any], member: bytes = b"x") -> Path:
    """A well-formed archive with this manifest (its sums right), as a newer Bimtek or
    another format would write."""
    src = path.with_suffix(".member")
    src.write_bytes(member)
    archive.write(path, manifest, [(archive.DATABASE_MEMBERS[DB_KIND], src, True)])
    return path


def test_foreign_archives_are_refused(target: Db, tmp_path: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    plain = tmp_path / "photos.zip"
    with zipfile.ZipFile(plain, "w") as zf:
        zf.writestr("IMG_0001.jpg", phone_jpeg(64, 48))
    tar = tmp_path / "backup.tar"
    import tarfile

    with tarfile.open(tar, "w") as tf:
        tf.add(plain, "photos.zip")
    text_file = tmp_path / "notes.txt"
    text_file.write_text("bukan cadangan")
    for path in (plain, tar, text_file, tmp_path / "missing.zip"):
        code, said = _restore(path, target, capsys)
        assert code == 2, said
        assert "bukan cadangan Bimtek" in said or "bukan berkas" in said, said
    base = {"format": archive.FORMAT, "format_version": archive.FORMAT_VERSION,
            "database": DB_KIND, "alembic_revision": runs._head_revision(),
            "row_counts": {}, "created_at": "2026-12-04T00:00:00+00:00"}
    # The CLI speaks the default locale (Indonesian).
    cases = [({**base, "format_version": 99}, "berformat versi 99"),
             ({**base, "alembic_revision": "0099_from_the_future"}, "Bimtek yang lebih baru"),
             ({**base, "format": "another-app"}, "bukan cadangan Bimtek")]
    for i, (manifest, expected) in enumerate(cases):
        code, said = _restore(_sealed(tmp_path / f"case{i}.zip", manifest), target, capsys)
        assert code == 2 and expected in said, said
    assert _is_empty(target)


def test_a_database_that_is_not_empty_is_refused(
        good_archive: Path, source: Db, capsys: pytest.CaptureFixture[str]) -> None:
    before = _counts(source.engine)
    code, said = _restore(good_archive, Db(source.url, source.engine), capsys)
    assert code == 2 and "tidak kosong" in said, said
    assert _counts(source.engine) == before


def test_a_migrated_but_empty_database_takes_the_restore(
        good_archive: Path, source: Db, target: Db,
        capsys: pytest.CaptureFixture[str]) -> None:
    """`bimtek serve` ran there first: the schema and a form-signing secret, no data."""
    migrations.upgrade(target.url)
    with target.engine.begin() as conn:
        conn.execute(text("INSERT INTO appsecret (name, value) VALUES ('form', 'x')"))
    code, said = _restore(good_archive, target, capsys)
    assert code == 0, said
    assert _counts(target.engine)["registration"] == 3


# --- the schedule and retention ------------------------------------------------------------

def test_two_workers_take_one_backup_per_slot(source: Db, settings: Settings) -> None:
    from service.services.messaging.worker import Worker

    settings = settings.model_copy(update={"backup_every_hours": 24})  # PostgreSQL: off
    now = datetime(2026, 12, 4, 1, 30, tzinfo=UTC)
    workers = [Worker(source.engine, settings, providers={}, clock=lambda: now)
               for _ in range(2)]
    taken: list[int | None] = []
    barrier = threading.Barrier(2)

    def look(w: Worker) -> None:
        barrier.wait()
        taken.append(w.backups.look())

    threads = [threading.Thread(target=look, args=(w,)) for w in workers]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    for w in workers:
        if w.backups.thread is not None:
            w.backups.thread.join(60)
    assert sorted(taken, key=lambda x: x or 0)[0] is None and len([t for t in taken if t]) == 1
    with source.session() as s:
        rows = list(s.exec(select(BackupRun)))
    assert [(r.slot, r.kind, r.status) for r in rows] == [
        (slot_key(now, 24), "scheduled", "ok")]
    assert len(list(Path(settings.backup_dir).glob("bimtek-backup-*.zip"))) == 1
    # The same slot later that day: nothing; the next day: one more.
    assert workers[0].backups.look() is None
    later = BackupSchedule(source.engine, settings, clock=lambda: now + timedelta(hours=20))
    assert later.look() is None
    tomorrow = BackupSchedule(source.engine, settings, clock=lambda: now + timedelta(days=1))
    assert tomorrow.look() is not None
    assert tomorrow.thread is not None
    tomorrow.thread.join(60)
    for w in workers:
        w.close()


def test_the_worker_looks_once_a_minute_and_not_when_off(source: Db, tmp_path: Path) -> None:
    off = Settings(database_url=source.url, backup_dir=str(tmp_path), backup_every_hours=0)
    assert BackupSchedule(source.engine, off).look() is None
    on = Settings(database_url=source.url, backup_dir=str(tmp_path), backup_every_hours=24)
    schedule = BackupSchedule(source.engine, on)
    schedule.tick()  # within the first minute: no look
    with source.session() as s:
        assert s.exec(select(BackupRun)).first() is None
    schedule._looked -= 61
    schedule.tick()
    assert schedule.thread is not None
    schedule.thread.join(60)
    assert runs.every_hours(Settings(database_url="postgresql+psycopg://u@h/db")) == 0
    assert runs.every_hours(Settings(database_url="sqlite:///x.db")) == 24


def test_retention_deletes_archives_older_than_the_setting(tmp_path: Path) -> None:
    settings = Settings(database_url="sqlite:///x.db", backup_dir=str(tmp_path),
                        backup_keep_days=14)
    now = datetime(2026, 12, 20, 2, 0, tzinfo=UTC)
    ages = {1: None, 13: None, 15: None, 40: None}
    for days in ages:
        name = runs.archive_name(now - timedelta(days=days), days)
        (tmp_path / name).write_bytes(b"PK")
        ages[days] = name  # type: ignore[assignment]
    other = tmp_path / "notes.zip"
    other.write_bytes(b"keep me")
    deleted = runs.prune(settings, now)
    assert sorted(deleted) == sorted([ages[15], ages[40]])
    assert sorted(a.name for a in runs.kept(settings)) == sorted([ages[1], ages[13]])
    assert other.exists()
    # The newest archive stays, however old: a worker that stopped for a month keeps one.
    old_only = tmp_path / "old"
    old_only.mkdir()
    (old_only / runs.archive_name(now - timedelta(days=60), 1)).write_bytes(b"PK")
    (old_only / runs.archive_name(now - timedelta(days=61), 2)).write_bytes(b"PK")
    kept = Settings(database_url="sqlite:///x.db", backup_dir=str(old_only),
                    backup_keep_days=14)
    assert len(runs.prune(kept, now)) == 1
    assert [a.created_at.date() for a in runs.kept(kept)] == [date(2026, 10, 21)]


def test_a_failed_backup_is_recorded_without_personal_data(source: Db, tmp_path: Path) -> None:
    _world(source, people=2)
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("x")
    settings = Settings(database_url=source.url, backup_dir=str(blocked / "sub"))
    with pytest.raises(OSError):
        runs.backup(source.engine, settings)
    with source.session() as s:
        run = s.exec(select(BackupRun)).one()
        status = runs.status(s, settings, datetime.now(UTC))
    assert run.status == "failed" and run.error.startswith(("FileExistsError", "NotADirectory"))
    assert "Siti" not in run.error and status.failing and status.last_failure is not None
    assert json.dumps(runs.readiness(Session(source.engine), settings, datetime.now(UTC)))


def test_checkins_in_the_world_are_counted(source: Db) -> None:
    """The world the tests above restore holds what they count."""
    world = _world(source, people=3)
    with source.session() as s:
        assert len(s.exec(select(CheckIn)).all()) == 6
        assert len(s.exec(select(Certificate).where(col(Certificate.training_id)
                                                    == world.training_id)).all()) == 3


def test_pg_dump_reaches_a_socket_url_s_directory() -> None:
    """A same-host deployment names its Unix socket in the URL's query (?host=/dir):
    pg_dump and pg_restore get it as PGHOST, with user and database from the URL."""
    from service.services.backups.snapshot import pg_env

    env = pg_env("postgresql+psycopg://postgres@/bimtek?host=/var/run/postgresql")
    assert env["PGHOST"] == "/var/run/postgresql"
    assert env["PGUSER"] == "postgres" and env["PGDATABASE"] == "bimtek"
    tcp = pg_env("postgresql+psycopg://postgres:rahasia@127.0.0.1:5433/bimtek")
    assert (tcp["PGHOST"], tcp["PGPORT"], tcp["PGPASSWORD"]) == ("127.0.0.1", "5433", "rahasia")
