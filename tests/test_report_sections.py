"""The activity report's texts and photos (issue 15): defaults and saving, photo uploads
resized, upright, without GPS and with their taken date, refusals that save nothing, and
the PDF's new sections."""

import io
from datetime import date
from typing import Any

from fastapi.testclient import TestClient
from PIL import Image
from pypdf import PdfReader
from sqlmodel import Session, select

from service.i18n import use_locale
from service.models import ReportPhoto
from service.models.base import pk
from service.rendering.activity_report_pdf import render_activity_report_pdf
from service.schemas.report_sections import ReportTextsUpdate
from service.services import report_photos, report_texts
from service.services.activity_report import activity_report
from tests import evaluation_world as ew
from tests import factories
from tests.report_photos_util import GPS_IFD, phone_jpeg


def _training(db: Session, **fields: Any) -> Any:
    org = factories.organization(db)
    return factories.training(db, org, title="Pelatihan Kader Kampung KB Kota Padang",
                              **fields)


def test_background_defaults_to_the_description(db: Session) -> None:
    t = _training(db, description="Kampung KB di Kota Padang perlu kader yang terlatih.")
    texts = report_texts.current(db, t)
    assert texts.background == "Kampung KB di Kota Padang perlu kader yang terlatih."
    assert "Pelatihan Kader Kampung KB Kota Padang" in texts.objectives
    assert texts.conclusions == "" and not texts.saved


def test_saved_texts_replace_the_defaults_and_blank_restores_them(db: Session) -> None:
    t = _training(db, description="Deskripsi.")
    admin = factories.user(db, factories.organization(db), role="admin")
    report_texts.save(db, t, ReportTextsUpdate(background="Latar belakang kami.",
                                               conclusions="Peserta memahami materi.",
                                               follow_up="Kader melapor tiap bulan."), admin)
    texts = report_texts.current(db, t)
    assert (texts.background, texts.conclusions, texts.follow_up) == (
        "Latar belakang kami.", "Peserta memahami materi.", "Kader melapor tiap bulan.")
    assert "Pelatihan Kader" in texts.objectives and texts.saved
    report_texts.save(db, t, ReportTextsUpdate(background=" "), admin)
    assert report_texts.current(db, t).background == "Deskripsi."


def test_texts_api_round_trip(api: TestClient, db: Session, org: Any) -> None:
    t = factories.training(db, org)
    factories.committed(db)
    r = api.put(f"/api/trainings/{pk(t)}/report/texts",
                json={"objectives": "Meningkatkan kapasitas kader.", "follow_up": "RTL 1"})
    assert r.status_code == 200, r.text
    body = api.get(f"/api/trainings/{pk(t)}/report/texts").json()
    assert body["objectives"] == "Meningkatkan kapasitas kader."
    assert body["follow_up"] == "RTL 1" and body["saved"]


def test_photo_is_resized_upright_without_gps_and_keeps_its_date(db: Session) -> None:
    t = _training(db)
    # Orientation 6: the phone was held upright; the pixels lie on their side.
    row = report_photos.add_photo(db, t, phone_jpeg(4000, 3000, orientation=6), "Pembukaan",
                                  None, None)
    assert row.taken_on == date(2018, 9, 12)
    with Image.open(io.BytesIO(row.image)) as img:
        assert img.format == "JPEG"
        assert img.size == (1200, 1600)  # turned upright, long side 1600
        exif = img.getexif()
        assert not exif.get_ifd(GPS_IFD) and 274 not in exif
        assert b"Exif" not in row.image[:200]
    with Image.open(io.BytesIO(row.thumbnail)) as thumb:
        assert max(thumb.size) == 400


def test_photo_without_exif_date_takes_the_upload_day(db: Session) -> None:
    t = _training(db)
    row = report_photos.add_photo(db, t, phone_jpeg(800, 600, taken=None, gps=False), "",
                                  None, None)
    assert row.taken_on is not None and row.taken_on >= date(2026, 1, 1)
    assert (row.width, row.height) == (800, 600)  # small photos are not enlarged


def test_upload_api_creates_and_serves_the_photo(api: TestClient, db: Session,
                                                 org: Any) -> None:
    t = factories.training(db, org)
    factories.committed(db)
    r = api.post(f"/api/trainings/{pk(t)}/report/photos",
                 files={"file": ("IMG_0001.jpg", phone_jpeg(), "image/jpeg")},
                 data={"caption": "Pembukaan oleh Kepala Dinas"})
    assert r.status_code == 201, r.text
    photo = r.json()
    assert photo["caption"] == "Pembukaan oleh Kepala Dinas"
    assert photo["taken_on"] == "2018-09-12" and photo["width"] == 1600
    img = api.get(photo["url"])
    assert img.status_code == 200 and img.headers["content-type"] == "image/jpeg"
    assert img.headers["cache-control"].startswith(("no-store", "private"))
    listed = api.get(f"/api/trainings/{pk(t)}/report/photos").json()
    assert [p["id"] for p in listed] == [photo["id"]]
    r = api.patch(f"/api/trainings/{pk(t)}/report/photos/{photo['id']}",
                  json={"caption": "Sesi pertama"})
    assert r.json()["caption"] == "Sesi pertama"
    assert api.delete(f"/api/trainings/{pk(t)}/report/photos/{photo['id']}").status_code == 204
    assert api.get(f"/api/trainings/{pk(t)}/report/photos").json() == []


def test_a_non_image_is_refused_and_nothing_saved(api: TestClient, db: Session,
                                                  org: Any) -> None:
    t = factories.training(db, org)
    factories.committed(db)
    with use_locale("id"):
        r = api.post(f"/api/trainings/{pk(t)}/report/photos",
                     files={"file": ("laporan.pdf", b"%PDF-1.4 not a photo", "image/jpeg")},
                     headers={"Accept-Language": "id"})
    assert r.status_code == 422
    assert r.json()["code"] == "invalid_photo"
    assert "foto" in r.json()["message"].lower()
    assert db.exec(select(ReportPhoto)).all() == []


def test_a_too_large_file_is_refused_and_nothing_saved(api: TestClient, db: Session,
                                                       org: Any) -> None:
    t = factories.training(db, org)
    factories.committed(db)
    big = phone_jpeg(400, 300) + b"\0" * (report_photos.MAX_BYTES + 1)
    r = api.post(f"/api/trainings/{pk(t)}/report/photos",
                 files={"file": ("besar.jpg", big, "image/jpeg")})
    assert r.status_code == 422 and r.json()["code"] == "invalid_photo"
    assert db.exec(select(ReportPhoto)).all() == []


def test_photos_are_limited_per_training(db: Session, monkeypatch: Any) -> None:
    t = _training(db)
    monkeypatch.setattr(report_photos, "MAX_PHOTOS", 2)
    small = phone_jpeg(200, 150)
    report_photos.add_photo(db, t, small, "1", None, None)
    report_photos.add_photo(db, t, small, "2", None, None)
    try:
        report_photos.add_photo(db, t, small, "3", None, None)
    except Exception as exc:  # noqa: BLE001
        assert getattr(exc, "code", "") == "too_many_photos"
        assert getattr(exc, "status", 0) == 409
    else:
        raise AssertionError("a third photo was accepted")


def test_pdf_contains_texts_photos_and_conclusions(db: Session) -> None:
    t = _training(db, description="Latar belakang dari deskripsi pelatihan.")
    report_texts.save(db, t, ReportTextsUpdate(conclusions="Kader siap menjalankan program.",
                                               follow_up="Pertemuan bulanan poktan."), None)
    report_photos.add_photo(db, t, phone_jpeg(), "Pembukaan pelatihan", None, None)
    report_photos.add_photo(db, t, phone_jpeg(colour="#3b8fd0"), "Diskusi kelompok", None,
                            None)
    with use_locale("id"):
        pdf = render_activity_report_pdf(activity_report(db, t, photos=True))
    reader = PdfReader(io.BytesIO(pdf))
    text = " ".join(p.extract_text() for p in reader.pages)
    for expected in ("Latar belakang dari deskripsi pelatihan.", "Kader siap menjalankan",
                     "Pertemuan bulanan poktan.", "Pembukaan pelatihan", "Diskusi kelompok",
                     "12 September 2018"):
        assert expected in text, expected
    images = sum(len(p.images) for p in reader.pages)
    assert images >= 2


def test_evaluation_summary_in_the_report_pdf_and_json(api: TestClient, db: Session) -> None:
    w = ew.build(db, org=factories.organization(db))
    for n, reg in enumerate(w.regs[:3]):
        ew.answer_session(db, reg, w.material, value=3 + (n % 2),
                          comment="Narasumber Ibu Siti sangat jelas")
        ew.answer_event(db, reg, value=4)
    ew.answer_session(db, w.regs[0], w.second, value=5)  # one answer: held back
    report = activity_report(db, w.training)
    ev = report.evaluation
    assert ev is not None and ev.event is not None and ev.event.shown
    assert ev.event.mean == 4.0
    by_title = {s.title: s for s in ev.sessions}
    material = by_title["Kesehatan Reproduksi Remaja"]
    assert material.shown and material.responses == 3
    assert material.mean is not None and abs(material.mean - 10 / 3) < 1e-9
    assert "Dr. Siti Rahma" in material.detail
    assert not by_title["Pengasuhan Balita"].shown
    # Item means over the shown sessions only: the held-back 5s do not count.
    assert all(i.mean is not None and abs(i.mean - 10 / 3) < 1e-9 for i in ev.session_items)
    with use_locale("id"):
        text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(
            render_activity_report_pdf(report))).pages)
    assert "G. Hasil Evaluasi" in text and "3,33" in text
    assert "sangat jelas" not in text  # never a comment
    factories.committed(db)
    body = api.get(f"/api/trainings/{pk(w.training)}/report").json()
    assert body["evaluation"]["event"]["mean"] == 4.0
    assert "sangat jelas" not in str(body)
