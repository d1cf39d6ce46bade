"""The activity report as DOCX: opened with python-docx, it has the headings, the texts,
real tables and the photos."""

import io
from typing import Any

from docx import Document
from fastapi.testclient import TestClient
from sqlmodel import Session

from service.models.base import pk
from service.schemas.report_sections import ReportTextsUpdate
from service.services import report_photos, report_texts
from tests import factories
from tests.report_photos_util import phone_jpeg


def test_docx_has_headings_texts_tables_and_photos(api: TestClient, db: Session,
                                                   org: Any) -> None:
    t = factories.training(db, org, description="Kampung KB perlu pengelola yang terlatih.")
    b = factories.batch(db, t)
    factories.session(db, t, b, teachers=[factories.speaker(db, org)])
    report_texts.save(db, t, ReportTextsUpdate(conclusions="Peserta memahami materi.",
                                               follow_up="Rapat Pokja tiap bulan."), None)
    report_photos.add_photo(db, t, phone_jpeg(), "Pembukaan", None, None)
    report_photos.add_photo(db, t, phone_jpeg(colour="#c2455b"), "Praktik", None, None)
    factories.committed(db)
    r = api.get(f"/api/trainings/{pk(t)}/report.docx", headers={"Accept-Language": "id"})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    assert ".docx" in r.headers["content-disposition"]
    doc = Document(io.BytesIO(r.content))
    headings = [p.text for p in doc.paragraphs
                if p.style is not None and (p.style.name or "").startswith(("Heading", "Title"))]
    text = "\n".join(p.text for p in doc.paragraphs)
    for expected in ("Latar Belakang", "Tujuan", "Kesimpulan"):
        assert any(expected.lower() in h.lower() for h in headings), (expected, headings)
    assert "Kampung KB perlu pengelola yang terlatih." in text
    assert "Peserta memahami materi." in text and "Rapat Pokja tiap bulan." in text
    assert len(doc.tables) >= 4
    assert any("Kesehatan Reproduksi Remaja" in c.text for tb in doc.tables
               for row in tb.rows for c in row.cells)
    images = [rel for rel in doc.part.rels.values() if "image" in rel.reltype]
    assert len(images) >= 2
