"""The activity report's signature block: a place and date the committee sets (and the
signer's name, position and NIP), stored per training; by default the training venue's
city (else the organization's) and the training's last day. On the page, in the JSON and
in the PDF."""

import io
import re
from datetime import date
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pypdf import PdfReader
from sqlmodel import Session

from service.errors import FieldError
from service.i18n import use_locale
from service.models import Organization, ReportSignature, Training, User
from service.models.base import pk
from service.rendering.activity_report_pdf import render_activity_report_pdf
from service.schemas.reports import SignatureUpdate
from service.services import report_signature
from service.services.activity_report import activity_report
from tests import factories
from tests.conftest import PASSWORD
from tests.helpers import login_page_client

START = date(2018, 9, 12)
LAST_DAY = date(2018, 9, 18)


@pytest.fixture
def training(db: Session, org: Organization) -> Training:
    return factories.training(db, org, title="Pelatihan Kader Kampung KB", start=START, days=7)


def pdf_text(pdf: bytes) -> str:
    text = "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages)
    return re.sub(r"\s+", " ", text)


# --- defaults -----------------------------------------------------------------------------

def test_by_default_the_venue_city_and_the_last_day(db: Session, org: Organization) -> None:
    org.city = "Kota Padang"
    hotel = factories.venue(db, org, "Hotel Pangeran Beach", "Padang")
    t = factories.training(db, org, start=START, days=7, venue_id=pk(hotel))
    signer = report_signature.current(db, t)
    assert (signer.place, signer.signed_on, signer.saved) == ("Padang", LAST_DAY, False)


def test_without_a_training_venue_the_city_its_batches_share(db: Session,
                                                            org: Organization,
                                                            training: Training) -> None:
    org.city = "Kota Padang"
    hotel = factories.venue(db, org, "Hotel Pangeran Beach", "Padang")
    hall = factories.venue(db, org, "Aula Dinas", "Padang")
    factories.batch(db, training, venue_id=pk(hotel))
    factories.batch(db, training, name="Angkatan II", venue_id=pk(hall))
    assert report_signature.current(db, training).place == "Padang"


def test_else_the_organizations_city(db: Session, org: Organization,
                                     training: Training) -> None:
    org.city = "Padang"
    factories.batch(db, training, venue_id=pk(factories.venue(db, org, "Hotel A", "Bukittinggi")))
    factories.batch(db, training, name="Angkatan II",
                    venue_id=pk(factories.venue(db, org, "Hotel B", "Pariaman")))
    # Two cities: neither is the place; the office's own city is.
    assert report_signature.current(db, training).place == "Padang"


def test_the_signer_defaults_to_the_certificates_first_signatory(db: Session,
                                                                 training: Training) -> None:
    factories.certificate_template_for(db, training)
    signer = report_signature.current(db, training)
    assert (signer.name, signer.position, signer.nip) == (
        "dr. Hj. Rosa Rosita, M.Kes", "Kepala Dinas P3AP2KB Kota Padang",
        "19680412 199003 2 004")


# --- what the committee sets --------------------------------------------------------------

def test_the_committee_sets_place_date_and_signer(db: Session, training: Training,
                                                  admin: User) -> None:
    report_signature.save(db, training, SignatureUpdate(
        place="Padang", date=date(2018, 9, 20), signer_name="Dra. Hj. Yenni Yuliza",
        signer_position="Kepala DP3AP2KB Kota Padang", signer_nip="19680412 199003 2 004"),
        admin)
    row = db.get(ReportSignature, pk(training))
    assert row is not None and row.updated_by == admin.id
    signer = report_signature.current(db, training)
    assert (signer.place, signer.signed_on, signer.name, signer.saved) == (
        "Padang", date(2018, 9, 20), "Dra. Hj. Yenni Yuliza", True)


def test_a_field_left_blank_takes_its_default_again(db: Session, org: Organization,
                                                    training: Training) -> None:
    org.city = "Padang"
    report_signature.save(db, training, SignatureUpdate(place="Pariaman",
                                                        date=date(2018, 9, 20)), None)
    report_signature.save(db, training, SignatureUpdate(), None)
    signer = report_signature.current(db, training)
    assert (signer.place, signer.signed_on) == ("Padang", LAST_DAY)


def test_a_wrong_nip_is_refused_and_nothing_is_stored(db: Session, training: Training) -> None:
    with pytest.raises(FieldError) as refused:
        report_signature.save(db, training, SignatureUpdate(signer_nip="1968041219900"), None)
    assert refused.value.field == "signer_nip" and "18 angka" in refused.value.text()
    assert db.get(ReportSignature, pk(training)) is None


def test_a_date_before_the_training_is_refused(db: Session, training: Training) -> None:
    with pytest.raises(FieldError) as refused:
        report_signature.save(db, training, SignatureUpdate(date=date(2018, 9, 1)), None)
    assert refused.value.field == "date"
    with pytest.raises(FieldError):
        report_signature.save(db, training, SignatureUpdate(date=date(2031, 1, 1)), None)


def test_the_report_and_its_pdf_carry_the_signature_block(db: Session, org: Organization,
                                                          training: Training) -> None:
    report_signature.save(db, training, SignatureUpdate(
        place="Padang", date=date(2018, 9, 20), signer_name="Dra. Hj. Yenni Yuliza",
        signer_nip="19680412 199003 2 004"), None)
    report = activity_report(db, training)
    assert (report.place, report.report_date) == ("Padang", date(2018, 9, 20))
    with use_locale("id"):
        text = pdf_text(render_activity_report_pdf(report))
    assert "Padang, 20 September 2018" in text
    assert "Kepala DP3AP2KB Kota Padang" in text  # the position's default
    assert "Dra. Hj. Yenni Yuliza" in text and "NIP. 19680412 199003 2 004" in text


# --- HTTP ---------------------------------------------------------------------------------

def test_the_json_carries_the_signature_block(api: TestClient, db: Session,
                                              training: Training) -> None:
    factories.committed(db)
    r = api.put(f"/api/trainings/{pk(training)}/report/signature",
                json={"place": "Padang", "date": "2018-09-20",
                      "signer_name": "Dra. Hj. Yenni Yuliza"})
    assert r.status_code == 200, r.text
    assert r.json() == {"place": "Padang", "date": "2018-09-20",
                        "signer_name": "Dra. Hj. Yenni Yuliza", "signer_position": "",
                        "signer_nip": "", "saved": True}
    report = api.get(f"/api/trainings/{pk(training)}/report").json()
    assert report["signature"]["place"] == "Padang" and report["place"] == "Padang"
    assert report["report_date"] == "2018-09-20"


def test_the_api_refuses_bad_signature_input(api: TestClient, db: Session,
                                             training: Training) -> None:
    factories.committed(db)
    for body, field in (({"signer_nip": "12345"}, "signer_nip"), ({"date": "20-09-2018"}, "date"),
                        ({"place": "Padang\x00"}, "place"), ({"date": "2018-01-01"}, "date")):
        r = api.put(f"/api/trainings/{pk(training)}/report/signature", json=body)
        assert r.status_code == 422, body
        assert r.json()["errors"][0]["field"] == field, r.json()
    assert db.get(ReportSignature, pk(training)) is None


def test_a_door_scanner_cannot_set_the_signature(client: TestClient, db: Session,
                                                 org: Organization, training: Training) -> None:
    gate = factories.user(db, org, role="scanner", email="gerbang@padang.test")
    factories.committed(db)
    token = client.post("/api/auth/token", data={"username": gate.email,
                                                 "password": PASSWORD}).json()["access_token"]
    r = client.put(f"/api/trainings/{pk(training)}/report/signature", json={"place": "X"},
                   headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 403


def test_the_page_saves_the_signature_block_and_the_pdf_prints_it(
        client: TestClient, db: Session, admin: User, training: Training) -> None:
    factories.committed(db)
    csrf = login_page_client(client, admin.email)
    r = client.post(f"/trainings/{pk(training)}/report/signature",
                    data={"csrf_token": csrf, "place": "Padang", "date": "2018-09-20",
                          "signer_name": "Dra. Hj. Yenni Yuliza", "signer_position": "",
                          "signer_nip": "19680412 199003 2 004"}, follow_redirects=False)
    assert r.status_code == 303
    page = client.get(r.headers["location"])
    assert 'id="rep-sign-saved"' in page.text
    preview = re.search(r'id="rep-sign-preview".*?</div>', page.text, re.S)
    assert preview and "Padang, 20 September 2018" in preview.group()
    assert "Dra. Hj. Yenni Yuliza" in preview.group()
    pdf = client.get(f"/trainings/{pk(training)}/report.pdf")
    assert pdf.status_code == 200
    assert "Padang, 20 September 2018" in pdf_text(pdf.content)


def test_the_page_says_what_is_wrong_in_indonesian(client: TestClient, db: Session,
                                                   admin: User, training: Training) -> None:
    factories.committed(db)
    csrf = login_page_client(client, admin.email)
    r = client.post(f"/trainings/{pk(training)}/report/signature",
                    data={"csrf_token": csrf, "place": "Padang", "signer_nip": "12345"})
    assert r.status_code == 422 and "NIP terdiri dari tepat 18 angka" in r.text
    assert 'value="12345"' in r.text and 'value="Padang"' in r.text
    assert db.get(ReportSignature, pk(training)) is None


def test_the_api_pdf_query_still_names_another_signer(api: TestClient, db: Session,
                                                      training: Training) -> None:
    report_signature.save(db, training, SignatureUpdate(place="Padang",
                                                        signer_name="Dra. Hj. Yenni Yuliza"),
                          None)
    factories.committed(db)
    pdf = api.get(f"/api/trainings/{pk(training)}/report.pdf",
                  params={"signer_name": "Ir. H. Syahrial"})
    text = pdf_text(pdf.content)
    assert "Ir. H. Syahrial" in text and "Yenni" not in text and "Padang, 18 September" in text


def test_another_office_cannot_read_or_set_it(client: TestClient, db: Session,
                                              training: Training) -> None:
    other = factories.organization(db, "DP3AP2KB Kota Pontianak")
    stranger = factories.user(db, other, role="admin", email="admin@pontianak.test")
    factories.committed(db)
    token = client.post("/api/auth/token", data={"username": stranger.email,
                                                 "password": PASSWORD}).json()["access_token"]
    r = client.put(f"/api/trainings/{pk(training)}/report/signature", json={"place": "X"},
                   headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 404
    assert db.get(ReportSignature, pk(training)) is None


def test_an_empty_place_and_no_city_anywhere(db: Session, training: Training) -> None:
    assert report_signature.current(db, training).place == ""
    with use_locale("id"):
        text = pdf_text(render_activity_report_pdf(activity_report(db, training)))
    assert "18 September 2018" in text


def test_names_are_not_markup(db: Session, training: Training, org: Any) -> None:
    report_signature.save(db, training, SignatureUpdate(place="<b>Padang</b>",
                                                        signer_name="A & B <i>"), None)
    text = pdf_text(render_activity_report_pdf(activity_report(db, training)))
    assert "<b>Padang</b>" in text and "A & B <i>" in text
