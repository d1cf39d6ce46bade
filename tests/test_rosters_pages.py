"""The rosters page of a training (committee): downloads per batch, narasumber links
created, shown once and revoked; the organizer's logo upload, checked before decoding."""

import io
import re
import struct
import zlib
from typing import Any

import pytest
from fastapi.testclient import TestClient
from PIL import Image
from sqlmodel import Session

from service.models import Organization
from service.services import auth
from tests.conftest import PASSWORD
from tests.helpers import login_page_client
from tests.roster_setup import RosterSetup, make_roster_setup

URL_RE = re.compile(r'id="fresh-url" value="([^"]+)"')


@pytest.fixture
def setup(db: Session, org: Any) -> RosterSetup:
    return make_roster_setup(db, org)


@pytest.fixture
def csrf(client: TestClient, admin: Any) -> str:
    return login_page_client(client, admin.email)


def _png(width: int, height: int) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (width, height), (15, 110, 79)).save(buf, "PNG")
    return buf.getvalue()


def _png_header_only(width: int, height: int) -> bytes:
    """A PNG whose header claims huge dimensions: refused before any pixel is decoded."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data)))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0"))
            + chunk(b"IEND", b""))


def test_page_lists_batches_with_downloads_and_the_narasumber(
        client: TestClient, csrf: str, setup: RosterSetup) -> None:
    page = client.get(f"/trainings/{setup.training.id}/rosters")
    assert page.status_code == 200
    text = page.text
    assert "Daftar peserta &amp; daftar hadir" in text
    for b in (setup.batch, setup.other, setup.third):
        assert f"/batches/{b.id}/roster.pdf" in text and f"/batches/{b.id}/roster.csv" in text
    assert f"/batches/{setup.batch.id}/daftar-hadir.pdf?day={setup.days[1].isoformat()}" in text
    assert "/roster.xlsx?nik=full" in text  # the admin sees the full export
    assert "Dr. Siti Rahma" in text and "Kesehatan Reproduksi Remaja" in text
    assert "Drs. Syahrul" in text and "Belum ada tautan" in text
    overview = client.get(f"/trainings/{setup.training.id}")
    assert f'href="/trainings/{setup.training.id}/rosters"' in overview.text


def test_committee_downloads_with_the_page_session(client: TestClient, csrf: str,
                                                   setup: RosterSetup) -> None:
    pdf = client.get(f"/batches/{setup.batch.id}/roster.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    csv_ = client.get(f"/batches/{setup.batch.id}/roster.csv")
    assert csv_.content.startswith(b"\xef\xbb\xbf") and "••••••••••••0011" in csv_.text
    sheet = client.get(f"/batches/{setup.batch.id}/daftar-hadir.pdf",
                       params={"day": setup.days[0].isoformat()})
    assert sheet.status_code == 200 and sheet.content.startswith(b"%PDF")
    assert client.get(f"/batches/{setup.batch.id}/roster.xlsx",
                      params={"nik": "full"}).status_code == 200


def test_a_committee_member_cannot_export_full_nik(client: TestClient, db: Session, org: Any,
                                                    setup: RosterSetup) -> None:
    auth.create_user(db, email="panitia@padang.test", password=PASSWORD, name="Panitia",
                     role="committee", organization=org)
    login_page_client(client, "panitia@padang.test")
    page = client.get(f"/trainings/{setup.training.id}/rosters")
    assert page.status_code == 200 and "nik=full" not in page.text
    r = client.get(f"/batches/{setup.batch.id}/roster.xlsx", params={"nik": "full"})
    assert r.status_code == 403 and "Hanya admin" in r.text
    assert client.get(f"/batches/{setup.batch.id}/roster.xlsx").status_code == 200


def test_create_show_once_and_revoke_a_link(client: TestClient, csrf: str,
                                            setup: RosterSetup) -> None:
    tid = setup.training.id
    r = client.post(f"/trainings/{tid}/rosters/links",
                    data={"speaker_id": setup.speaker_a.id, "csrf_token": csrf},
                    headers={"HX-Request": "true"})
    assert r.status_code == 200
    assert "<html" not in r.text  # the links block only
    url = URL_RE.search(r.text)
    assert url, r.text
    token = url.group(1).rsplit("/n/", 1)[1]
    # WhatsApp to the narasumber's phone (0812 7700 1122), the link in the message.
    assert "https://wa.me/6281277001122?text=" in r.text and token in r.text
    page = client.get(f"/trainings/{tid}/rosters")
    assert token not in page.text  # shown once
    assert "Aktif sampai" in page.text
    assert client.get(f"/n/{token}").status_code == 200
    link_id = re.search(r"/rosters/links/(\d+)/revoke", page.text)
    assert link_id
    revoked = client.post(f"/trainings/{tid}/rosters/links/{link_id.group(1)}/revoke",
                          data={"csrf_token": csrf})
    assert revoked.status_code == 200
    assert client.get(f"/n/{token}").status_code == 404


def test_forged_form_without_csrf_changes_nothing(client: TestClient, csrf: str,
                                                  setup: RosterSetup) -> None:
    r = client.post(f"/trainings/{setup.training.id}/rosters/links",
                    data={"speaker_id": setup.speaker_a.id})
    assert r.status_code == 403
    assert "Aktif sampai" not in client.get(f"/trainings/{setup.training.id}/rosters").text


def test_link_for_a_speaker_of_another_training_is_refused_on_the_page(
        client: TestClient, csrf: str, db: Session, org: Any, setup: RosterSetup) -> None:
    r = client.post("/api/speakers", json={"name": "Ir. Tanpa Sesi"})  # no bearer: refused
    assert r.status_code == 401
    from service.schemas.planning import SpeakerCreate
    from service.services import speakers

    idle = speakers.create_speaker(db, org.id, SpeakerCreate(name="Ir. Tanpa Sesi"))
    db.commit()
    r = client.post(f"/trainings/{setup.training.id}/rosters/links",
                    data={"speaker_id": idle.id, "csrf_token": csrf})
    assert r.status_code == 422
    assert "tidak mengajar sesi" in r.text


def test_logo_upload_stores_a_small_png(client: TestClient, csrf: str, db: Session,
                                        org: Organization, setup: RosterSetup) -> None:
    r = client.post("/organization/logo", data={"csrf_token": csrf,
                                                "training_id": setup.training.id},
                    files={"logo": ("logo.png", _png(1200, 800), "image/png")},
                    follow_redirects=False)
    assert r.status_code == 303, r.text
    db.refresh(org)
    assert org.logo_png is not None and org.logo_png.startswith(b"\x89PNG")
    with Image.open(io.BytesIO(org.logo_png)) as img:
        assert max(img.size) == 600  # scaled down when stored
    page = client.get(f"/trainings/{setup.training.id}/rosters")
    assert 'src="/organization/logo.png"' in page.text
    assert client.get("/organization/logo.png").content == org.logo_png


@pytest.mark.parametrize(("data", "message"), [
    (b"GIF89a" + b"\0" * 100, "Hanya gambar PNG atau JPEG"),
    (b"%PDF-1.4 not an image", "Hanya gambar PNG atau JPEG"),
    (b"\x89PNG\r\n\x1a\n" + b"\0" * 50, "bukan gambar PNG atau JPEG yang dapat dibaca"),
    (b"", "Pilih berkas PNG atau JPEG"),
])
def test_logo_upload_refuses_what_is_not_a_png_or_jpeg(
        client: TestClient, csrf: str, db: Session, org: Organization, setup: RosterSetup,
        data: bytes, message: str) -> None:
    r = client.post("/organization/logo", data={"csrf_token": csrf,
                                                "training_id": setup.training.id},
                    files={"logo": ("logo.png", data, "image/png")})
    assert r.status_code == 422 and message in r.text
    db.refresh(org)
    assert org.logo_png is None


def test_logo_too_large_in_bytes_or_pixels_is_refused_before_decoding(
        client: TestClient, csrf: str, db: Session, org: Organization,
        setup: RosterSetup) -> None:
    # 36 megapixels claimed, a few bytes sent: over our limit (25), under Pillow's own.
    huge = _png_header_only(6_000, 6_000)
    r = client.post("/organization/logo", data={"csrf_token": csrf,
                                                "training_id": setup.training.id},
                    files={"logo": ("logo.png", huge, "image/png")})
    assert r.status_code == 422 and "terlalu besar" in r.text
    big = b"\x89PNG\r\n\x1a\n" + b"\0" * (1024 * 1024 + 10)
    r = client.post("/organization/logo", data={"csrf_token": csrf,
                                                "training_id": setup.training.id},
                    files={"logo": ("logo.png", big, "image/png")})
    assert r.status_code == 422 and "paling besar 1 MB" in r.text
    db.refresh(org)
    assert org.logo_png is None


def test_only_an_admin_uploads_the_logo(client: TestClient, db: Session, org: Any,
                                        setup: RosterSetup) -> None:
    auth.create_user(db, email="panitia@padang.test", password=PASSWORD, name="Panitia",
                     role="committee", organization=org)
    token = login_page_client(client, "panitia@padang.test")
    r = client.post("/organization/logo", data={"csrf_token": token,
                                                "training_id": setup.training.id},
                    files={"logo": ("logo.png", _png(10, 10), "image/png")})
    assert r.status_code == 403
