"""An office's export and its import into another installation: row counts per table,
certificates that still verify on the public page, the same attendance and JPL, new ids,
and archives refused (truncated, altered, foreign, newer) with nothing written."""

import html
import io
import json
import zipfile
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlmodel import Session

from service import migrate
from service.db import make_engine
from service.models import Certificate, Organization, Participant, Registration, Training, User
from service.models.base import pk
from service.rendering.org_export_sheets import lists_xlsx
from service.rendering.spreadsheet_safety import neutralise
from service.services.org_export import archive, export, graph, importer
from service.services.people import record
from tests import org_export_world
from tests.dbutil import fresh_database, pg_available

TARGETS = ["sqlite", "postgresql"]


@pytest.fixture(scope="module", params=TARGETS)
def target(request: pytest.FixtureRequest) -> Iterator[Engine]:
    """Another installation: its own migrated database, which already holds an office."""
    if request.param == "postgresql" and not pg_available():
        pytest.skip("PostgreSQL is not running")
    with fresh_database(request.param, "import") as url:
        migrate.upgrade(url)
        engine = make_engine(url)
        with Session(engine) as db:
            org = Organization(name="Dinas PPKB Kota Pontianak")
            db.add(org)
            db.flush()
            from service.services.auth import create_user
            from tests.conftest import PASSWORD
            create_user(db, email="admin@pontianak.test", password=PASSWORD, name="Admin",
                        role="admin", organization=org)
            db.commit()
        yield engine
        engine.dispose()


def _archive(db: Session, org_id: int) -> bytes:
    out = io.BytesIO()
    export.write_archive(db, org_id, out, lists_xlsx)
    return out.getvalue()


def _counts(db: Session) -> dict[str, int]:
    every = graph.tables()
    return {name: db.execute(select(func.count()).select_from(every[name])).scalar_one()
            for name in graph.plan().exported}


def _import(engine: Engine, data: bytes, name: str | None = None) -> importer.Imported:
    with Session(engine) as db:
        done = importer.import_archive(db, io.BytesIO(data), name)
        db.commit()
        return done


def _owned_counts(engine: Engine, org_id: int) -> dict[str, int]:
    with Session(engine) as db:
        return {name: db.execute(select(func.count()).select_from(graph.tables()[name])
                                 .where(graph.owned_condition(name, org_id))).scalar_one()
                for name in graph.plan().exported}


def test_import_elsewhere_keeps_every_row_and_certificate(db: Session, target: Engine) -> None:
    office = org_export_world.build(db)
    data = _archive(db, pk(office.org))
    manifest = json.loads(zipfile.ZipFile(io.BytesIO(data)).read("manifest.json"))
    source = {n: c for n, c in manifest["tables"].items()}
    assert source["registration"] == 6 and source["certificate"] == len(office.certificates) > 0
    assert source["checkin"] == 9 and source["message"] == 3 and source["report_photo"] == 1
    assert manifest["organization"]["name"] == office.org.name

    done = _import(target, data, "DP3AP2KB Kota Padang (pindahan)")
    assert done.counts == source
    # Counted again in the target, by ownership: the same per table.
    assert _owned_counts(target, done.organization_id) == source

    with Session(target) as tdb:
        # New ids where the target already had rows.
        assert done.organization_id != pk(office.org)
        new_users = tdb.execute(select(User).where(User.organization_id == done.organization_id)
                                ).scalars().all()
        assert new_users and all(u.password_hash.startswith("!imported:") for u in new_users)
        assert not any(u.is_superuser for u in new_users)
        # Every certificate verifies on the target's public page, with its holder's name.
        from service.services.certificates import verification
        for cert in office.certificates:
            seen = verification.verify(tdb, cert.verification_code)
            assert seen.valid and seen.name == cert.name
        # A person's attendance and JPL are the same.
        for reg in office.regs:
            old_person = db.get(Participant, reg.participant_id)
            assert old_person is not None
            new_person = tdb.execute(select(Participant).where(
                Participant.organization_id == done.organization_id,
                Participant.nik == old_person.nik)).scalar_one()
            old = record.training_lines(db, old_person)
            new = record.training_lines(tdb, new_person)
            def facts(lines: list[record.TrainingLine]) -> list[tuple[Any, ...]]:
                return [(t.title, t.batch, t.days_present, t.days_total, t.jpl,
                         t.certificate_number) for t in lines]
            assert facts(old) == facts(new)
            assert reg is not office.regs[0] or old[0].jpl > 0
            seen = {t.days_present for r in office.regs for t in record.training_lines(
                db, db.get(Participant, r.participant_id))}  # type: ignore[arg-type]
            assert seen == {0, 2}


def test_certificates_verify_through_the_public_page(db: Session, target: Engine) -> None:
    office = org_export_world.build(db, "DP3AP2KB Kota Padang")
    done = _import(target, _archive(db, pk(office.org)), "Padang untuk verifikasi")
    from service.db import get_aside_db, get_db
    from service.main import create_app

    app = create_app(checkin_lane=False, worker=False)

    def _target_db() -> Iterator[Session]:
        with Session(target) as s:
            yield s

    app.dependency_overrides[get_db] = _target_db
    app.dependency_overrides[get_aside_db] = _target_db
    with TestClient(app) as client:
        for cert in office.certificates:
            page = client.get(f"/v/{cert.verification_code}")
            assert page.status_code == 200
            assert 'class="verdict ok"' in page.text
            assert html.escape(cert.name).replace("&#x27;", "&#39;") in page.text
            assert cert.number in page.text
    assert done.organization_id


def test_a_second_import_of_the_same_archive_is_refused(db: Session, target: Engine) -> None:
    office = org_export_world.build(db)
    data = _archive(db, pk(office.org))
    _import(target, data, "Padang sekali")
    before = _counts_engine(target)
    with pytest.raises(importer.ArchiveRefused) as refused:
        _import(target, data, "Padang dua kali")
    assert "already" in refused.value.message
    assert _counts_engine(target) == before


def _counts_engine(engine: Engine) -> dict[str, int]:
    with Session(engine) as s:
        return _counts(s)


@pytest.mark.parametrize("damage", ["truncated", "altered", "extra", "newer", "foreign",
                                    "no_manifest"])
def test_a_damaged_archive_is_refused_and_nothing_written(db: Session, target: Engine,
                                                         damage: str) -> None:
    office = org_export_world.build(db)
    data = _archive(db, pk(office.org))
    bad = _damage(data, damage)
    before = _counts_engine(target)
    with pytest.raises(importer.ArchiveRefused):
        _import(target, bad, f"Padang rusak {damage}")
    assert _counts_engine(target) == before


def _rewrite(data: bytes, change: Any) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    files = {n: src.read(n) for n in src.namelist()}
    change(files)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for n, body in files.items():
            zf.writestr(n, body)
    return out.getvalue()


def _damage(data: bytes, how: str) -> bytes:
    if how == "truncated":
        return data[: len(data) * 2 // 3]
    if how == "altered":
        def alter(files: dict[str, bytes]) -> None:
            path = archive.data_file("certificate")
            files[path] = files[path].replace(b"SERT", b"SERX", 1)
        return _rewrite(data, alter)
    if how == "extra":
        return _rewrite(data, lambda f: f.__setitem__("data/evil.json", b"{}"))
    if how == "no_manifest":
        return _rewrite(data, lambda f: f.pop("manifest.json"))

    def manifest(change: Any) -> Any:
        def apply(files: dict[str, bytes]) -> None:
            m = json.loads(files["manifest.json"])
            change(m)
            body = json.dumps(m).encode()
            files["manifest.json"] = body
            files["manifest.sha256"] = archive.sha256(body).encode()
        return apply
    if how == "newer":
        return _rewrite(data, manifest(lambda m: m.__setitem__("format_version", 99)))
    return _rewrite(data, manifest(lambda m: m.__setitem__("format", "something-else")))


def test_another_offices_rows_are_never_in_the_export(db: Session) -> None:
    padang = org_export_world.build(db, "DP3AP2KB Kota Padang")
    other = org_export_world.build(db, "DP3AP2KB Kota Pontianak", nik_base=20)
    data = _archive(db, pk(padang.org))
    zf = zipfile.ZipFile(io.BytesIO(data))
    text = b"".join(zf.read(n) for n in zf.namelist() if n.startswith("data/"))
    for reg in other.regs:
        person = db.get(Participant, reg.participant_id)
        assert person is not None and person.nik is not None
        assert person.nik.encode() not in text
        assert reg.ticket_token.encode() not in text
    for cert in other.certificates:
        assert cert.verification_code.encode() not in text
    assert b"Pontianak" not in text
    # and Padang's own are all there
    for cert in padang.certificates:
        assert cert.verification_code.encode() in text
    ids = {r["id"] if isinstance(r, dict) else r[0]
           for r in json.loads(zf.read("data/training.json"))["rows"]}
    assert ids == {pk(padang.training)}
    assert pk(other.training) not in ids
    # No password hash, no ticket key travels.
    users = json.loads(zf.read("data/user.json"))
    assert "password_hash" not in users["columns"]
    assert "ticket_private_key" not in json.loads(zf.read("data/training.json"))["columns"]


def test_the_office_sheets_open_with_its_lists(db: Session) -> None:
    from openpyxl import load_workbook

    office = org_export_world.build(db)
    zf = zipfile.ZipFile(io.BytesIO(_archive(db, pk(office.org))))
    wb = load_workbook(io.BytesIO(zf.read(archive.SHEETS)), read_only=True)
    assert wb.sheetnames == ["Peserta", "Pendaftaran", "Kehadiran per hari", "Sertifikat",
                             "Pesan"]
    people = list(wb["Peserta"].iter_rows(min_row=3, values_only=True))
    assert len(people) == 6
    attendance = list(wb["Kehadiran per hari"].iter_rows(min_row=3, values_only=True))
    assert len(attendance) == 12  # 6 people x 2 days
    statuses = [row[5] for row in attendance]
    assert statuses.count("hadir") == 10 and statuses.count("izin/sakit") == 1
    certs = list(wb["Sertifikat"].iter_rows(min_row=3, values_only=True))
    # A code may start with "-" (base64url): the sheet holds it behind a quote, as every
    # cell that a spreadsheet would take for a formula.
    assert {row[6] for row in certs} == {neutralise(c.verification_code)
                                         for c in office.certificates}


def test_an_import_needs_a_free_name(db: Session, target: Engine) -> None:
    office = org_export_world.build(db, "Dinas PPKB Kota Pontianak")
    with pytest.raises(importer.ArchiveRefused) as refused:
        _import(target, _archive(db, pk(office.org)))
    assert refused.value.code == "archive_refused"


def test_registrations_point_at_the_new_rows(db: Session, target: Engine) -> None:
    office = org_export_world.build(db)
    done = _import(target, _archive(db, pk(office.org)), "Padang cek tautan")
    with Session(target) as tdb:
        t = tdb.execute(select(Training).where(Training.organization_id == done.organization_id)
                        ).scalar_one()
        regs = tdb.execute(select(Registration).where(Registration.training_id == pk(t))
                           ).scalars().all()
        assert len(regs) == 6
        certs = tdb.execute(select(Certificate).where(Certificate.training_id == pk(t))
                            ).scalars().all()
        assert {c.registration_id for c in certs} <= {pk(r) for r in regs}
        assert all(c.organization_id == done.organization_id for c in certs)
