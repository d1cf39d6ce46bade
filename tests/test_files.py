"""HTTP file responses (service/routers/files.py): one filename sanitiser, and the same
private headers on every document the API and the pages hand out."""

from datetime import date
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from service.models import Organization
from service.models.base import pk
from service.routers import files
from tests import factories
from tests.helpers import login_page_client


def test_a_quote_or_a_line_break_cannot_leave_the_header_value() -> None:
    name = files.safe_filename('laporan"; filename="x.exe\r\nSet-Cookie: a=b.pdf')
    assert set(name) <= set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")
    assert name.endswith(".pdf")


def test_accents_keep_their_letter() -> None:
    assert files.safe_filename("daftar-Ḥalimah Ṣalihah Çelik.pdf") == \
        "daftar-Halimah-Salihah-Celik.pdf"


def test_a_long_title_is_cut_before_its_extension() -> None:
    name = files.safe_filename("laporan-" + "Kampung KB " * 40 + ".pdf")
    assert len(name) <= files.MAX_FILENAME and name.endswith(".pdf")
    assert not name.startswith(("-", "."))


def test_nothing_usable_gives_the_fallback() -> None:
    assert files.safe_filename("«»…", "sertifikat.pdf") == "sertifikat.pdf"
    assert files.safe_filename(".pdf", "document.pdf") == "pdf"  # never a hidden file


def test_a_pdf_opens_inline_and_a_spreadsheet_is_saved() -> None:
    shown = files.pdf(b"%PDF-1.4", "jadwal-Angkatan I.pdf")
    assert shown.headers["content-disposition"] == 'inline; filename="jadwal-Angkatan-I.pdf"'
    saved = files.xlsx(b"PK", "template-peserta.xlsx")
    assert saved.headers["content-disposition"] == \
        'attachment; filename="template-peserta.xlsx"'
    assert saved.media_type == files.XLSX


def test_the_private_headers() -> None:
    assert files.PRIVATE == {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer",
                             "X-Robots-Tag": "noindex"}
    assert files.private_headers(60)["Cache-Control"] == "private, max-age=60"


@pytest.fixture
def world(db: Session, org: Organization) -> dict[str, Any]:
    """A training with a batch, a session and one confirmed person with a certificate."""
    admin = factories.user(db, org, role="committee", name="Panitia")
    training = factories.training(db, org)
    batch = factories.batch(db, training)
    factories.session(db, training, batch)
    reg = factories.register(db, training, batch, **factories.kader(0))
    for day in (0, 1):
        factories.check_in(db, reg, date(2018, 9, 12 + day), admin)
    factories.certificate_template_for(db, training, admin)
    factories.issue_certificates(db, training, admin)
    factories.committed(db)
    return {"t": pk(training), "b": pk(batch), "r": pk(reg)}


API_FILES = ("/api/batches/{b}/agenda.pdf", "/api/batches/{b}/tickets.pdf",
             "/api/batches/{b}/roster.pdf", "/api/batches/{b}/roster.xlsx",
             "/api/batches/{b}/roster.csv", "/api/batches/{b}/attendance-sheet.pdf",
             "/api/trainings/{t}/report.pdf", "/api/trainings/{t}/certificates.pdf",
             "/api/trainings/{t}/certificates.zip", "/api/registrations/{r}/certificate.pdf",
             "/api/trainings/{t}/registrations/template.xlsx",
             "/api/trainings/{t}/certificate-template/preview.png")


def test_every_api_file_is_private(api: TestClient, world: dict[str, Any]) -> None:
    for path in API_FILES:
        r = api.get(path.format(**world))
        assert r.status_code == 200, (path, r.text[:200])
        for name, value in files.PRIVATE.items():
            assert r.headers[name.lower()] == value, (path, name)


PAGE_FILES = ("/batches/{b}/agenda.pdf", "/batches/{b}/tickets.pdf", "/batches/{b}/roster.xlsx",
              "/batches/{b}/daftar-hadir.pdf", "/trainings/{t}/report.pdf",
              "/trainings/{t}/certificates.zip", "/registrations/{r}/certificate.pdf",
              "/trainings/{t}/import/template.xlsx")


def test_every_page_file_is_private(client: TestClient, admin: Any,
                                    world: dict[str, Any]) -> None:
    login_page_client(client, admin.email)
    for path in PAGE_FILES:
        r = client.get(path.format(**world))
        assert r.status_code == 200, (path, r.text[:200])
        assert "filename=" in r.headers["content-disposition"], path
        for name, value in files.PRIVATE.items():
            assert r.headers[name.lower()] == value, (path, name)


def test_the_report_pdf_opens_from_the_api_and_downloads_from_the_page(
        api: TestClient, client: TestClient, admin: Any, world: dict[str, Any]) -> None:
    served = api.get(f"/api/trainings/{world['t']}/report.pdf")
    assert served.headers["content-disposition"] == \
        'inline; filename="laporan-kegiatan-Pelatihan-Kader-Kampung-KB.pdf"'
    login_page_client(client, admin.email)
    page = client.get(f"/trainings/{world['t']}/report.pdf")
    assert page.headers["content-disposition"] == \
        'attachment; filename="laporan-kegiatan-Pelatihan-Kader-Kampung-KB.pdf"'
