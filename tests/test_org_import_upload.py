"""A superuser imports an office's export archive on /offices and over POST
/api/offices/import: the new office with its counts and its admin's setup link, or a
refusal in the user's language (damaged, foreign, newer, name taken, certificate codes
already here) that changes nothing. The route takes a larger body than the others (which
keep their 2 MB); the opt-outs of the office's addresses travel with it; the export
page's download log names the accounts."""

import io
import json
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, func, select
from sqlmodel import Session, SQLModel, col

from service.models import (
    AuthToken,
    Certificate,
    Message,
    MessageOptOut,
    Organization,
    Registration,
    User,
)
from service.models.base import pk
from service.rendering.org_export_sheets import lists_xlsx
from service.services.org_export import archive, export, graph, importer, jobs
from service.services.password_reset import SETUP_HASH_PREFIX
from service.settings import get_settings
from tests import factories, org_export_world
from tests.conftest import PASSWORD
from tests.helpers import login_page_client

OFFICE_PHONE = "081266001122"  # said STOP; the office messaged it
STRANGER_PHONE = "081399887766"  # said STOP to another office: stays behind


def _opt_out(db: Session, channel: str, address: str) -> None:
    db.add(MessageOptOut(channel=channel, address=address, source="reply",
                         created_at=datetime(2026, 3, 1, tzinfo=UTC)))
    db.flush()


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[bytes, dict[str, Any]]]:
    """Another installation's office, exported: (the archive, facts about the office)."""
    path = tmp_path_factory.mktemp("source") / "other.db"
    engine = create_engine(f"sqlite:///{path}")
    SQLModel.metadata.create_all(engine)
    with Session(engine) as db:
        office = org_export_world.build(db)
        reg = office.regs[0]
        db.add(Message(organization_id=pk(office.org), training_id=pk(office.training),
                       registration_id=pk(reg), channel="whatsapp", kind="custom",
                       recipient=OFFICE_PHONE, name="Kader", body="Halo",
                       base_url="http://x", idempotency_key="stop-test:1",
                       next_attempt_at=datetime(2026, 3, 1, tzinfo=UTC)))
        _opt_out(db, "whatsapp", OFFICE_PHONE)
        _opt_out(db, "whatsapp", STRANGER_PHONE)
        people = [r.participant_id for r in office.regs]
        out = io.BytesIO()
        manifest = export.write_archive(db, pk(office.org), out, lists_xlsx)
        codes = sorted(c.verification_code for c in office.certificates)
        facts = {"people": len(set(people)), "codes": codes, "admin": office.admin.email,
                 "manifest": manifest}
        db.rollback()
    engine.dispose()
    yield out.getvalue(), facts


@pytest.fixture
def superuser(db: Session, org: Any) -> User:
    return factories.superuser(db, org)


def _totals(db: Session) -> dict[str, int]:
    every = graph.tables()
    names = [*graph.plan().exported, "message_opt_out", "authtoken"]
    return {n: db.execute(select(func.count()).select_from(every[n])).scalar_one()
            for n in names}


def _upload(client: TestClient, csrf: str, data: bytes, name: str) -> Any:
    return client.post("/offices/import", data={"csrf_token": csrf, "name": name},
                       files={"archive": ("bimtek-ekspor.zip", data, "application/zip")})


def test_the_superuser_imports_an_office_on_the_offices_page(
        client: TestClient, db: Session, superuser: User,
        source: tuple[bytes, dict[str, Any]]) -> None:
    data, facts = source
    csrf = login_page_client(client, superuser.email)
    page = client.get("/offices")
    assert 'action="/offices/import"' in page.text and 'enctype="multipart/form-data"' in \
        page.text
    got = _upload(client, csrf, data, "  DP3AP2KB Kota  Pontianak ")
    assert got.status_code == 200, got.text
    org = db.exec(select(Organization).where(
        col(Organization.name) == "DP3AP2KB Kota Pontianak")).scalars().one()
    assert "DP3AP2KB Kota Pontianak telah diimpor sebagai penyelenggara baru" in got.text
    # The counts shown are the rows written.
    regs = db.execute(select(func.count()).select_from(Registration).where(
        col(Registration.training_id).in_(_training_ids(db, pk(org))))).scalar_one()
    assert regs == facts["manifest"]["tables"]["registration"] == 6
    assert "<dt>Pendaftaran</dt><dd>6</dd>" in got.text
    assert f'<dt>Sertifikat</dt><dd>{len(facts["codes"])}</dd>' in got.text
    codes = sorted(db.exec(select(Certificate.verification_code).where(
        col(Certificate.training_id).in_(_training_ids(db, pk(org))))).scalars())
    assert codes == facts["codes"]
    # Its admin waits for a setup link, shown once, renewable from this page.
    admin = db.exec(select(User).where(col(User.email) == facts["admin"])).scalars().one()
    assert admin.organization_id == pk(org) and not admin.is_superuser
    assert admin.password_hash.startswith(SETUP_HASH_PREFIX)
    assert "/welcome/" in got.text and 'id="fresh-link"' in got.text
    assert db.exec(select(func.count()).select_from(AuthToken).where(
        col(AuthToken.user_id) == pk(admin))).scalar_one() == 1
    listed = client.get("/offices").text
    assert f'id="office-{pk(org)}"' in listed and "Menunggu admin" in listed


def _training_ids(db: Session, org_id: int) -> Any:
    from service.models import Training

    return select(Training.id).where(col(Training.organization_id) == org_id)


@pytest.mark.parametrize("damage", ["truncated", "altered", "newer", "foreign", "not_zip"])
def test_a_bad_archive_is_refused_on_the_page_and_nothing_changes(
        client: TestClient, db: Session, superuser: User,
        source: tuple[bytes, dict[str, Any]], damage: str) -> None:
    data, _facts = source
    csrf = login_page_client(client, superuser.email)
    before = _totals(db)
    got = _upload(client, csrf, _damage(data, damage), "Kantor Rusak")
    assert got.status_code == 422
    expected = {"truncated": "Berkas ini bukan arsip ZIP, atau rusak (terpotong?).",
                "not_zip": "Berkas ini bukan arsip ZIP, atau rusak (terpotong?).",
                "altered": "tidak cocok dengan checksum",
                "newer": "Bimtek yang lebih baru",
                "foreign": "bukan ekspor"}[damage]
    error = got.text.split('id="import-error"', 1)[1].split("</div>", 1)[0]
    assert expected in error, error
    assert 'value="Kantor Rusak"' in got.text  # the form keeps what was typed
    assert _totals(db) == before


def test_a_name_taken_or_certificates_already_here_are_refused(
        client: TestClient, db: Session, superuser: User, org: Organization,
        source: tuple[bytes, dict[str, Any]], tmp_path: Path) -> None:
    data, _facts = source
    csrf = login_page_client(client, superuser.email)
    before = _totals(db)
    taken = _upload(client, csrf, data, org.name.upper())
    assert taken.status_code == 422
    assert "sudah ada di sini" in taken.text.split('id="import-error"', 1)[1]
    # This installation's own office exported and imported again under a new name: its
    # certificates' verification codes are here already.
    office = org_export_world.build(db, "DP3AP2KB Kota Bukittinggi", nik_base=40)
    out = io.BytesIO()
    export.write_archive(db, pk(office.org), out, lists_xlsx)
    before = _totals(db)
    again = _upload(client, csrf, out.getvalue(), "Bukittinggi Baru")
    assert again.status_code == 422
    message = again.text.split('id="import-error"', 1)[1].split("</div>", 1)[0]
    assert "kode verifikasi" in message.lower() or "verification" in message.lower(), message
    assert _totals(db) == before


def test_no_file_is_refused_at_the_field(client: TestClient, db: Session,
                                         superuser: User) -> None:
    csrf = login_page_client(client, superuser.email)
    got = client.post("/offices/import", data={"csrf_token": csrf, "name": "X"},
                      files={"archive": ("", b"", "application/octet-stream")})
    assert got.status_code == 422
    assert 'id="import-archive-error"' in got.text and "Pilih arsip ekspor" in got.text
    # The other form does not claim its fields are wrong.
    assert "Mohon perbaiki" not in got.text.split('id="add-office"', 1)[1].split("</form>")[0]


def test_only_superusers_import(client: TestClient, db: Session, admin: User,
                                source: tuple[bytes, dict[str, Any]]) -> None:
    data, _facts = source
    csrf = login_page_client(client, admin.email)
    headers = _bearer(client, admin.email)
    before = _totals(db)
    assert _upload(client, csrf, data, "Kantor Lain").status_code == 404
    got = client.post("/api/offices/import", headers=headers,
                      files={"archive": ("a.zip", data, "application/zip")})
    assert got.status_code == 403
    assert _totals(db) == before


def _bearer(client: TestClient, email: str) -> dict[str, str]:
    r = client.post("/api/auth/token", data={"username": email, "password": PASSWORD})
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


def test_the_api_imports_and_answers_201_with_the_counts(
        client: TestClient, db: Session, superuser: User,
        source: tuple[bytes, dict[str, Any]]) -> None:
    data, facts = source
    headers = _bearer(client, superuser.email)
    got = client.post("/api/offices/import", headers=headers, data={"name": "Pontianak"},
                      files={"archive": ("a.zip", data, "application/zip")})
    assert got.status_code == 201, got.text
    body = got.json()
    assert body["counts"] == facts["manifest"]["tables"]
    assert body["name"] == "Pontianak" and body["admin_email"] == facts["admin"]
    assert "/welcome/" in body["admin_setup_url"]
    org = db.get(Organization, body["organization_id"])
    assert org is not None and org.name == "Pontianak"
    # A second time: the certificate codes are here now; English for an English client.
    before = _totals(db)
    again = client.post("/api/offices/import", data={"name": "Pontianak 2"},
                        headers={**headers, "Accept-Language": "en"},
                        files={"archive": ("a.zip", data, "application/zip")})
    assert again.status_code == 422
    assert again.json()["code"] == "archive_refused"
    assert "verification codes" in again.json()["message"]
    assert _totals(db) == before
    broken = client.post("/api/offices/import", headers=headers,
                         files={"archive": ("a.zip", data[:5000], "application/zip")})
    assert broken.status_code == 422 and "ZIP" in broken.json()["message"]


def test_the_office_opt_outs_travel_and_others_stay_behind(
        client: TestClient, db: Session, superuser: User,
        source: tuple[bytes, dict[str, Any]]) -> None:
    data, facts = source
    assert facts["manifest"]["opt_outs"] == 1
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        carried = json.loads(zf.read(archive.OPT_OUTS))
    assert [(r["channel"], r["address"]) for r in carried] == [("whatsapp", OFFICE_PHONE)]
    headers = _bearer(client, superuser.email)
    got = client.post("/api/offices/import", headers=headers, data={"name": "Pontianak"},
                      files={"archive": ("a.zip", data, "application/zip")})
    assert got.status_code == 201 and got.json()["opt_outs"] == 1
    assert db.get(MessageOptOut, ("whatsapp", OFFICE_PHONE)) is not None
    assert db.get(MessageOptOut, ("whatsapp", STRANGER_PHONE)) is None


def test_an_opt_out_already_here_is_kept_not_repeated(
        db: Session, source: tuple[bytes, dict[str, Any]]) -> None:
    data, _facts = source
    _opt_out(db, "whatsapp", OFFICE_PHONE)
    done = importer.import_archive(db, io.BytesIO(data), "Pontianak")
    assert done.opt_outs == 0
    assert db.execute(select(func.count()).select_from(MessageOptOut).where(
        col(MessageOptOut.address) == OFFICE_PHONE)).scalar_one() == 1


def test_unit_links_stay_with_the_installation() -> None:
    assert "unit_link" in graph.NOT_EXPORTED
    assert "unit_link" not in graph.plan().exported


# The body limit: this route takes an archive, every other keeps max_body_bytes.

def test_the_import_route_takes_more_than_the_others(client: TestClient) -> None:
    settings = get_settings()
    assert settings.max_body_bytes == 2 * 1024 * 1024
    assert settings.max_import_archive_bytes == 500 * 1024 * 1024
    body = b"x" * (3 * 1024 * 1024)
    big = {"archive": ("a.zip", body, "application/zip")}
    # Past the door (no login: 401), where any other route refuses the size itself.
    assert client.post("/api/offices/import", files=big).status_code == 401
    for path in ("/api/export", "/api/offices", "/offices", "/api/offices/import/x",
                 "/offices/1/welcome-link"):
        refused = client.post(path, files=big)
        assert refused.status_code == 413, path


def test_the_import_route_has_a_limit_of_its_own(monkeypatch: pytest.MonkeyPatch) -> None:
    from service.main import create_app

    monkeypatch.setenv("BIMTEK_MAX_IMPORT_ARCHIVE_BYTES", str(4 * 1024 * 1024))
    get_settings.cache_clear()
    try:
        app = create_app(checkin_lane=False, worker=False)
    finally:
        monkeypatch.delenv("BIMTEK_MAX_IMPORT_ARCHIVE_BYTES")
        get_settings.cache_clear()
    with TestClient(app) as small:
        three = {"archive": ("a.zip", b"x" * (3 * 1024 * 1024), "application/zip")}
        five = {"archive": ("a.zip", b"x" * (5 * 1024 * 1024), "application/zip")}
        assert small.post("/api/offices/import", files=three).status_code == 401
        refused = small.post("/api/offices/import", files=five)
        assert refused.status_code == 413 and refused.json()["code"] == "too_large"
        assert small.post("/api/export", files=three).status_code == 413


# The export page's download log names the accounts.

@pytest.fixture
def inline_jobs(db: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    @contextmanager
    def session() -> Iterator[Session]:
        yield db

    monkeypatch.setattr(get_settings(), "data_dir", str(tmp_path))
    monkeypatch.setattr(jobs, "INLINE", True)
    monkeypatch.setattr(jobs, "SESSION", session)
    return tmp_path


def test_the_download_log_shows_who_by_name_and_email(
        client: TestClient, db: Session, inline_jobs: Path) -> None:
    org = factories.organization(db, "DP3AP2KB Kota Solok")
    admin = factories.user(db, org, role="admin", name="Yusnita Admin",
                           email="yusnita@solok.test")
    csrf = login_page_client(client, admin.email)
    assert 'href="/export"' in client.get("/settings").text  # Settings' link
    assert client.post("/export", data={"csrf_token": csrf}).status_code in (200, 303)
    job = jobs.list_jobs(pk(org))[0]
    assert client.get(f"/export/{job.id}/download").status_code == 200
    page = client.get("/export").text
    log = page.split('id="export-downloads"', 1)[1].split("</ul>", 1)[0]
    assert "Yusnita Admin" in log and "yusnita@solok.test" in log
    assert f"#{pk(admin)}" not in log


def test_the_export_link_is_for_admins_only(client: TestClient, db: Session,
                                            org: Organization) -> None:
    committee = factories.user(db, org, role="committee")
    login_page_client(client, committee.email)
    assert 'href="/settings"' not in client.get("/trainings").text
    assert client.get("/settings").status_code in (403, 404)
    assert client.get("/export").status_code in (403, 404)


def _damage(data: bytes, how: str) -> bytes:
    if how == "truncated":
        return data[: len(data) * 2 // 3]
    if how == "not_zip":
        return b"%PDF-1.4 not an archive"

    def rewrite(change: Callable[[dict[str, bytes]], None]) -> bytes:
        src = zipfile.ZipFile(io.BytesIO(data))
        files = {n: src.read(n) for n in src.namelist()}
        change(files)
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as zf:
            for n, body in files.items():
                zf.writestr(n, body)
        return out.getvalue()

    if how == "altered":
        def alter(files: dict[str, bytes]) -> None:
            path = archive.data_file("registration")
            files[path] = files[path].replace(b"2", b"3", 1)
        return rewrite(alter)

    def manifest(key: str, value: Any) -> Callable[[dict[str, bytes]], None]:
        def apply(files: dict[str, bytes]) -> None:
            m = json.loads(files["manifest.json"])
            m[key] = value
            body = json.dumps(m).encode()
            files["manifest.json"] = body
            files["manifest.sha256"] = archive.sha256(body).encode()
        return apply
    if how == "newer":
        return rewrite(manifest("format_version", 99))
    return rewrite(manifest("format", "something-else"))


def test_the_csrf_token_is_required(client: TestClient, superuser: User,
                                    source: tuple[bytes, dict[str, Any]]) -> None:
    login_page_client(client, superuser.email)
    got = client.post("/offices/import", data={"name": "X"},
                      files={"archive": ("a.zip", source[0], "application/zip")})
    assert got.status_code == 403


def test_a_large_body_waits_in_a_temporary_file_not_in_memory(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The admission gate reads a body before admitting it: past SPOOL_AT into a
    temporary file (closed afterwards), replayed to the app byte for byte."""
    from concurrent.futures import ThreadPoolExecutor

    import anyio

    from service.middleware import admission

    files: list[Any] = []
    made = admission.tempfile.TemporaryFile

    def tracked() -> Any:
        f = made()
        files.append(f)
        return f

    monkeypatch.setattr(admission.tempfile, "TemporaryFile", tracked)

    def run(body: bytes) -> bytes:
        got: list[bytes] = []

        async def app(scope: Any, receive: Any, send: Any) -> None:
            while True:
                message = await receive()
                got.append(message.get("body", b""))
                if not message.get("more_body"):
                    break
            await send({"type": "http.response.start", "status": 204, "headers": []})
            await send({"type": "http.response.body", "body": b""})

        pieces = [body[i:i + 65536] for i in range(0, len(body), 65536)]

        async def receive() -> dict[str, Any]:
            piece = pieces.pop(0)
            return {"type": "http.request", "body": piece, "more_body": bool(pieces)}

        async def send(message: Any) -> None:
            pass

        gate = admission.DbAdmissionMiddleware(app, limit=2)
        scope = {"type": "http", "path": "/offices/import",
                 "headers": [(b"content-length", str(len(body)).encode())]}
        # A thread of its own: a browser test earlier in the process leaves Playwright's
        # event loop running in this one.
        with ThreadPoolExecutor(1) as pool:
            pool.submit(anyio.run, gate, scope, receive, send).result()
        return b"".join(got)

    small = bytes(range(256)) * 1000  # 256 KB: in memory
    assert run(small) == small and files == []
    large = bytes(range(256)) * 12_289  # a little over 3 MB
    assert run(large) == large
    assert len(files) == 1 and files[0].closed
    exact = b"z" * (2 * admission.SPOOL_AT)  # ends on a piece boundary
    assert run(exact) == exact and files[1].closed
