"""Rosters through the API: the committee's columns and NIK masking, the admin's full
export, narasumber links (only their own batches, never phone or NIK; revoked, expired
and tampered links open nothing), formula neutralisation in CSV and XLSX."""

import csv
import io
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlmodel import Session, select

from service.models import RosterLink, User
from service.models.base import utcnow
from service.rendering.spreadsheet_safety import FORMULA_STARTS, neutralise
from service.services import auth, roster_links
from tests import factories
from tests.conftest import PASSWORD
from tests.roster_setup import (
    FORMULAS,
    ROSTER_ORDER,
    RosterSetup,
    check_in,
    make_roster_setup,
)

NAMES = list(ROSTER_ORDER)


def _csv(body: bytes) -> list[list[str]]:
    assert body.startswith(b"\xef\xbb\xbf"), "CSV must start with a UTF-8 BOM for Excel"
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def _xlsx_rows(body: bytes) -> list[list[Any]]:
    ws = load_workbook(io.BytesIO(body)).active
    assert ws is not None
    return [[c.value for c in row] for row in ws.iter_rows()]


def _table(rows: list[list[Any]]) -> tuple[list[str], list[list[Any]]]:
    """The header row (the one starting with "No.") and the rows under it."""
    start = next(i for i, r in enumerate(rows) if r and r[0] == "No.")
    body = [r for r in rows[start + 1:] if r and isinstance(r[0], int)]
    return [str(c) for c in rows[start]], body


def _committee(db: Session, org: Any, client: TestClient, role: str = "committee") -> str:
    user = auth.create_user(db, email=f"{role}@padang.test", password=PASSWORD,
                            name="Panitia", role=role, organization=org)
    assert isinstance(user, User)
    r = client.post("/api/auth/token", data={"username": user.email, "password": PASSWORD})
    return str(r.json()["access_token"])


@pytest.fixture
def setup(db: Session, org: Any) -> RosterSetup:
    return make_roster_setup(db, org)


def _link(api: TestClient, s: RosterSetup, speaker_id: int) -> str:
    r = api.post(f"/api/trainings/{s.training.id}/roster-links", json={"speaker_id": speaker_id})
    assert r.status_code == 201, r.text
    url = r.json()["url"]
    assert "/n/" in url
    return str(url.rsplit("/n/", 1)[1])


def test_committee_csv_has_all_columns_attendance_and_masked_nik(
        api: TestClient, setup: RosterSetup) -> None:
    r = api.get(f"/api/batches/{setup.batch.id}/roster.csv")
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("text/csv")
    assert "attachment" in r.headers["content-disposition"]
    assert r.headers["cache-control"] == "no-store"
    rows = _csv(r.content)
    header, body = rows[0], rows[1:]
    d1, d2 = setup.days
    # A spreadsheet keeps every column, empty or not, so it re-imports alike.
    assert header == ["No.", "Nama", "NIK", "NIP", "No. HP", "Jabatan", "Pangkat/Golongan",
                      "Kategori", "Instansi", "Kelurahan/Desa", "Kecamatan", "Kabupaten/Kota",
                      f"Hari ke-1 ({d1:%d/%m})", f"Hari ke-2 ({d2:%d/%m})"]
    assert [row[1] for row in body] == NAMES  # by name; Zainal of Angkatan II is not here
    abdul, ani, budi, halimah, nur = body
    assert abdul[0] == "1" and abdul[2] == "••••••••••••0014" and abdul[4] == ""
    assert ani[0] == "2" and ani[2] == "••••••••••••0011" and ani[4] == "0812 6634 0011"
    assert ani[7] == "Kader BKB" and budi[7] == "PKB"
    assert ani[9:11] == ["Lubuk Buaya", "Koto Tangah"]
    assert ani[12:] == ["✓", "✓"] and budi[12:] == ["✓", "–"] and nur[12:] == ["–", "–"]
    # Budi's institution looked like a formula: neutralised.
    assert budi[8] == "'=HYPERLINK(\"http://x\")"
    assert halimah[2] == "" and nur[4] == ""
    assert "1371015203850011" not in r.text


def test_admin_full_nik_export_and_committee_refused(
        api: TestClient, client: TestClient, db: Session, org: Any, setup: RosterSetup) -> None:
    r = api.get(f"/api/batches/{setup.batch.id}/roster.xlsx", params={"nik": "full"})
    assert r.status_code == 200, r.text
    header, body = _table(_xlsx_rows(r.content))
    assert body[1][header.index("NIK")] == "1371015203850011"
    token = _committee(db, org, client)
    headers = {"Authorization": f"Bearer {token}"}
    refused = client.get(f"/api/batches/{setup.batch.id}/roster.xlsx",
                         params={"nik": "full"}, headers=headers)
    assert refused.status_code == 403
    assert refused.json()["code"] == "full_nik_admin_only"
    masked = client.get(f"/api/batches/{setup.batch.id}/roster.xlsx", headers=headers)
    assert masked.status_code == 200
    header, body = _table(_xlsx_rows(masked.content))
    assert body[1][header.index("NIK")] == "••••••••••••0011"


def test_roster_needs_a_login_and_the_own_organization(
        client: TestClient, db: Session, setup: RosterSetup) -> None:
    assert client.get(f"/api/batches/{setup.batch.id}/roster.csv").status_code == 401
    other = auth.get_or_create_organization(db, "DP3AP2KB Kota Pontianak")
    auth.create_user(db, email="x@pontianak.test", password=PASSWORD, name="X", role="admin",
                     organization=other)
    token = client.post("/api/auth/token", data={"username": "x@pontianak.test",
                                                  "password": PASSWORD}).json()["access_token"]
    r = client.get(f"/api/batches/{setup.batch.id}/roster.pdf",
                   headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 404


def test_unknown_format_and_bad_nik_parameter(api: TestClient, setup: RosterSetup) -> None:
    assert api.get(f"/api/batches/{setup.batch.id}/roster.docx").status_code == 404
    assert api.get(f"/api/batches/{setup.batch.id}/roster.csv",
                   params={"nik": "all"}).status_code == 422


def test_narasumber_link_opens_own_batch_without_phone_or_nik(
        api: TestClient, client: TestClient, setup: RosterSetup) -> None:
    key = _link(api, setup, setup.speaker_a.id or 0)
    client.headers.pop("Authorization", None)
    r = client.get(f"/api/batches/{setup.batch.id}/roster.csv", params={"key": key})
    assert r.status_code == 200, r.text
    rows = _csv(r.content)
    d1, d2 = setup.days
    assert rows[0] == ["No.", "Nama", "Jabatan", "Pangkat/Golongan", "Kategori", "Instansi",
                       "Kelurahan/Desa", "Kecamatan", "Kabupaten/Kota",
                       f"Hari ke-1 ({d1:%d/%m})", f"Hari ke-2 ({d2:%d/%m})"]
    assert [row[1] for row in rows[1:]] == NAMES
    text = r.content.decode("utf-8-sig")
    for secret in ("0011", "6634", "1371015203850013", "+62"):
        assert secret not in text
    x = client.get(f"/api/batches/{setup.batch.id}/roster.xlsx", params={"key": key})
    header, body = _table(_xlsx_rows(x.content))
    assert "NIK" not in header and "NIP" not in header and "No. HP" not in header
    assert len(body) == 5
    pdf = client.get(f"/n/{key}/batches/{setup.batch.id}/roster.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    # Not the batch another narasumber teaches, nor one nobody teaches.
    for batch in (setup.other, setup.third):
        assert client.get(f"/api/batches/{batch.id}/roster.csv",
                          params={"key": key}).status_code == 404
        assert client.get(f"/n/{key}/batches/{batch.id}/roster.csv").status_code == 404
    # A narasumber cannot ask for NIKs.
    assert client.get(f"/api/batches/{setup.batch.id}/roster.csv",
                      params={"key": key, "nik": "full"}).status_code == 403


def test_narasumber_page_lists_only_their_batches(api: TestClient, client: TestClient,
                                                   setup: RosterSetup) -> None:
    key = _link(api, setup, setup.speaker_b.id or 0)
    client.headers.pop("Authorization", None)
    page = client.get(f"/n/{key}")
    assert page.status_code == 200
    assert "Drs. Syahrul" in page.text and "Angkatan II" in page.text
    assert "Angkatan I<" not in page.text and "Angkatan III" not in page.text
    assert f"/n/{key}/batches/{setup.other.id}/roster.xlsx" in page.text
    assert page.headers["referrer-policy"] == "no-referrer"
    assert "Kebijakan Program Bangga Kencana" in page.text


def test_revoked_expired_and_tampered_links_open_nothing(
        api: TestClient, client: TestClient, db: Session, setup: RosterSetup) -> None:
    key = _link(api, setup, setup.speaker_a.id or 0)
    url = f"/api/batches/{setup.batch.id}/roster.csv"
    tampered = key[:-1] + ("A" if key[-1] != "A" else "B")
    # `api` is `client` with the admin's bearer token: keep it aside for the revoke below.
    bearer = {"Authorization": client.headers.pop("Authorization")}
    for bad in (tampered, key[:10], "x" * 40, "../../etc/passwd"):
        r = client.get(url, params={"key": bad})
        assert r.status_code == 404 and r.json()["code"] == "roster_link_not_found"
    page = client.get(f"/n/{tampered}")
    assert page.status_code == 404
    assert "Tautan tidak ditemukan" in page.text and "Dr. Siti Rahma" not in page.text
    assert client.get(url, params={"key": key}).status_code == 200

    link = db.exec(select(RosterLink)).all()[-1]
    # Committed (a savepoint here): a refused request rolls back what is only flushed.
    link.expires_at = utcnow() - timedelta(seconds=1)
    db.commit()
    assert client.get(url, params={"key": key}).status_code == 404
    assert client.get(f"/n/{key}").status_code == 404

    link.expires_at = utcnow() + timedelta(days=1)
    db.commit()
    assert client.get(url, params={"key": key}).status_code == 200
    r = client.post(f"/api/trainings/{setup.training.id}/roster-links/{link.id}/revoke",
                    headers=bearer)
    assert r.status_code == 204
    assert client.get(url, params={"key": key}).status_code == 404
    assert client.get(f"/n/{key}").status_code == 404


def test_new_link_replaces_the_old_and_only_a_hash_is_stored(
        api: TestClient, db: Session, setup: RosterSetup) -> None:
    first = _link(api, setup, setup.speaker_a.id or 0)
    second = _link(api, setup, setup.speaker_a.id or 0)
    assert first != second and len(second) >= 32
    url = f"/api/batches/{setup.batch.id}/roster.csv"
    auth_header = api.headers.pop("Authorization")
    assert api.get(url, params={"key": first}).status_code == 404
    assert api.get(url, params={"key": second}).status_code == 200
    api.headers["Authorization"] = auth_header
    stored = db.exec(select(RosterLink)).all()
    assert len(stored) == 2 and all(first not in row.token_hash and second not in row.token_hash
                                    for row in stored)
    assert {row.token_hash for row in stored} == {auth.token_hash(first),
                                                   auth.token_hash(second)}
    listed = api.get(f"/api/trainings/{setup.training.id}/roster-links").json()
    assert [s["name"] for s in listed] == ["Dr. Siti Rahma", "Drs. Syahrul"]
    assert listed[0]["link_id"] == stored[-1].id and listed[1]["link_id"] is None
    # The link lasts until 30 days after the training's last day, in its time zone.
    until = roster_links.last_day(setup.training, stored[-1].expires_at)
    assert until == setup.training.end_date + timedelta(days=30)


def test_link_refused_for_a_speaker_without_sessions(
        api: TestClient, db: Session, org: Any, setup: RosterSetup) -> None:
    idle = factories.speaker(db, org, "Ir. Tanpa Sesi")
    factories.committed(db)
    r = api.post(f"/api/trainings/{setup.training.id}/roster-links",
                 json={"speaker_id": idle.id})
    assert r.status_code == 422 and r.json()["code"] == "speaker_not_in_training"
    # (A long past training gets a link all the same: tests/test_roster_link_reissue.py.)


@pytest.mark.parametrize("value", [*FORMULAS, "=1+2", "-", "@", "+62812"])
def test_neutralise_prefixes_every_formula_start(value: str) -> None:
    assert neutralise(value) == "'" + value
    assert not neutralise(value).startswith(FORMULA_STARTS)


def test_no_live_formula_survives_in_csv_or_xlsx(api: TestClient, db: Session,
                                                 org: Any) -> None:
    s = make_roster_setup(db, org, formulas=True)
    csv_rows = _csv(api.get(f"/api/batches/{s.batch.id}/roster.csv").content)
    cells = [c for row in csv_rows for c in row]
    assert not [c for c in cells if c.startswith(FORMULA_STARTS)]
    for bad in FORMULAS:
        assert "'" + bad in cells  # kept, as text
    xlsx = api.get(f"/api/batches/{s.batch.id}/roster.xlsx").content
    wb = load_workbook(io.BytesIO(xlsx))
    seen = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"live formula in {cell.coordinate}: {cell.value}"
                if isinstance(cell.value, str):
                    assert not cell.value.startswith(FORMULA_STARTS), cell.coordinate
                    seen.append(cell.value)
    for bad in FORMULAS:
        # XML reads a bare CR back as a line feed; the quote in front is what matters.
        assert "'" + bad.replace("\r", "\n") in [v.replace("\r", "\n") for v in seen]
    # The narasumber's export too.
    key = _link(api, s, s.speaker_a.id or 0)
    narasumber = _csv(api.get(f"/api/batches/{s.batch.id}/roster.csv",
                              params={"key": key}).content)
    assert not [c for row in narasumber for c in row if c.startswith(FORMULA_STARTS)]


def test_per_session_check_in_counts_as_present_that_day(
        api: TestClient, db: Session, setup: RosterSetup) -> None:
    from service.models import AgendaSession

    setup.training.checkin_mode = "session"
    session = db.exec(select(AgendaSession).where(
        AgendaSession.batch_id == setup.batch.id)).first()
    assert session is not None
    # Hj. Nur (fifth by name) attended the one session of day 1.
    check_in(db, setup.regs[3], setup.days[0], slot=session.id or 0)
    db.commit()
    rows = _csv(api.get(f"/api/batches/{setup.batch.id}/roster.csv").content)
    assert rows[5][1].startswith("Hj. Nur") and rows[5][-2:] == ["✓", "–"]


def test_revoking_stops_every_live_link_of_that_narasumber(
        api: TestClient, db: Session, setup: RosterSetup) -> None:
    key = _link(api, setup, setup.speaker_a.id or 0)
    other = _link(api, setup, setup.speaker_b.id or 0)
    # As if two "create" clicks had raced: a second live link beside the first.
    extra = "y" * 32
    db.add(RosterLink(speaker_id=setup.speaker_a.id or 0, training_id=setup.training.id or 0,
                      token_hash=auth.token_hash(extra),
                      expires_at=utcnow() + timedelta(days=5)))
    db.commit()
    newest = max(db.exec(select(RosterLink).where(
        RosterLink.speaker_id == setup.speaker_a.id)).all(), key=lambda row: row.id or 0)
    r = api.post(f"/api/trainings/{setup.training.id}/roster-links/{newest.id}/revoke")
    assert r.status_code == 204
    bearer = api.headers.pop("Authorization")
    for token in (key, extra):
        assert api.get(f"/n/{token}").status_code == 404
    # The other narasumber's link is untouched by it.
    assert api.get(f"/n/{other}").status_code == 200
    api.headers["Authorization"] = bearer
