"""The activity report: exact figures from a training with known registrations and
check-ins, in the service, the JSON API, the page and the PDF text; an empty training;
per-session mode; escaping; speed and size of the PDF."""

import io
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient
from pypdf import PdfReader
from sqlmodel import Session

from service.i18n import use_locale
from service.models import (
    AgendaSession,
    Batch,
    Certificate,
    CheckIn,
    Participant,
    Registration,
    SessionSpeaker,
    Speaker,
    Training,
)
from service.models.base import pk, utcnow
from service.rendering.activity_report_pdf import (
    ActivityReport,
    Breakdown,
    Signer,
    render_activity_report_pdf,
)
from service.schemas.planning import BatchCreate, CategoryIn, TrainingCreate
from service.services import registrations, trainings
from service.services.activity_report import activity_report
from tests.conftest import PASSWORD
from tests.helpers import login_page_client

DAY1, DAY2 = date(2018, 9, 12), date(2018, 9, 13)
DAY3, DAY4 = date(2018, 9, 17), date(2018, 9, 18)
WIB = ZoneInfo("Asia/Jakarta")

# name, category, gender, kecamatan, kabupaten/kota, batch (0: I, 1: II), days present
PEOPLE: tuple[tuple[str, str | None, str | None, str | None, str | None, int, tuple[date, ...]],
              ...] = (
    ("Siti Rahmawati", "Kader BKB", "P", "Koto Tangah", "Kota Padang", 0, (DAY1, DAY2)),
    ("Rina Marlina", "Kader BKB", "P", "Kuranji", "Kota Padang", 0, (DAY1,)),
    ("Budi Santoso", "PKB", "L", "Koto Tangah", "Kota Padang", 0, (DAY1, DAY2)),
    ("Dewi Lestari", None, None, None, None, 0, ()),
    # Typed differently by another committee member: still Koto Tangah, Kota Padang.
    ("Yusuf Chaniago", "PKB", "L", " koto  tangah", "kota padang", 1, (DAY3,)),
    ("Hj. Nurhayati", "Kader BKB", "P", "Lubuk Alung", "Padang Pariaman", 1, (DAY3, DAY4)),
    ("Andi Saputra", "PKB", "L", "Pauh", "Kota Padang", 1, ()),
)


@dataclass
class Setup:
    training: Training
    batches: list[Batch]
    regs: dict[str, Registration]


def _checkin(db: Session, reg: Registration, day: date, slot: int = 0) -> None:
    moment = datetime.combine(day, time(7, 45), WIB).astimezone(UTC)
    db.add(CheckIn(registration_id=pk(reg), batch_id=reg.batch_id or 0, day=day, slot=slot,
                   scanned_at=moment, nonce=secrets.token_hex(8)))


def build(db: Session, org: Any, mode: str = "day",
          title: str = "Pelatihan Kader Kampung KB") -> Setup:
    training = trainings.create_training(db, pk(org), TrainingCreate(
        title=title, kind="pelatihan", start_date=DAY1, end_date=DAY4, checkin_mode=mode,
        categories=[CategoryIn(name="Kader BKB"), CategoryIn(name="PKB")]))
    batches = [trainings.create_batch(db, training, BatchCreate(
        name=name, start_date=start, end_date=end, capacity=50))
        for name, start, end in (("Angkatan I", DAY1, DAY2), ("Angkatan II", DAY3, DAY4))]
    regs: dict[str, Registration] = {}
    for name, category, gender, district, regency, b, _days in PEOPLE:
        raw = {"name": name, "category": category, "gender": gender, "district": district,
               "regency": regency}
        regs[name] = registrations.register(db, training, {k: v for k, v in raw.items() if v},
                                            pk(batches[b]))
    # Neither is counted as registered: a cancelled one (who had even checked in) and
    # one on the waiting list.
    gone = registrations.register(db, training, {"name": "Fitri Handayani",
                                                 "category": "PKB"}, pk(batches[0]))
    _checkin(db, gone, DAY1)
    registrations.cancel(db, gone)
    waiting = registrations.register(db, training, {"name": "Rahmat Hidayat"})
    # As if the batches had been full when he registered.
    waiting.status, waiting.batch_id = "waitlisted", None
    db.flush()
    if mode == "day":
        for name, *_rest, days in PEOPLE:
            for d in days:
                _checkin(db, regs[name], d)
    db.commit()
    return Setup(training, batches, regs)


@pytest.fixture
def setup(db: Session, org: Any) -> Setup:
    return build(db, org)


def _rows(rows: list[Breakdown]) -> dict[str | None, tuple[int, int]]:
    return {r.name: (r.registered, r.present) for r in rows}


def test_counts_registrations_by_status(db: Session, setup: Setup) -> None:
    r = activity_report(db, setup.training)
    assert (r.confirmed, r.waitlisted, r.cancelled) == (7, 1, 1)


def test_present_per_batch_and_day(db: Session, setup: Setup) -> None:
    r = activity_report(db, setup.training)
    first, second = r.batches
    assert [(d.day, d.expected, d.present) for d in first.days] == [(DAY1, 4, 3), (DAY2, 4, 2)]
    assert [(d.day, d.expected, d.present) for d in second.days] == [(DAY3, 3, 2),
                                                                     (DAY4, 3, 1)]
    assert (first.registered, first.attended, first.complete) == (4, 3, 2)
    assert (second.registered, second.attended, second.complete) == (3, 2, 1)
    assert (first.present_days, first.expected_days) == (5, 8)
    assert (r.present_days, r.expected_days, r.attended, r.complete) == (8, 14, 5, 3)
    assert r.rate == pytest.approx(8 / 14)
    assert [(d.day, d.expected, d.present) for d in r.days] == [
        (DAY1, 4, 3), (DAY2, 4, 2), (DAY3, 3, 2), (DAY4, 3, 1)]


def test_breakdowns_registered_and_attended(db: Session, setup: Setup) -> None:
    r = activity_report(db, setup.training)
    assert _rows(r.by_category) == {"Kader BKB": (3, 3), "PKB": (3, 2), None: (1, 0)}
    assert [b.name for b in r.by_category] == ["Kader BKB", "PKB", None]
    assert _rows(r.by_gender) == {"L": (3, 2), "P": (3, 3), None: (1, 0)}
    assert [b.name for b in r.by_gender] == ["L", "P", None]
    assert _rows(r.by_district) == {"Koto Tangah": (3, 3), "Kuranji": (1, 1),
                                    "Lubuk Alung": (1, 1), "Pauh": (1, 0), None: (1, 0)}
    assert [b.name for b in r.by_district][0] == "Koto Tangah"  # the largest first
    assert _rows(r.by_regency) == {"Kota Padang": (5, 4), "Padang Pariaman": (1, 1),
                                   None: (1, 0)}


def test_a_checkin_outside_the_batch_days_or_of_a_moved_person_does_not_count(
        db: Session, setup: Setup) -> None:
    # Dewi (Angkatan I) scanned on a day of Angkatan II: not a day of her batch.
    _checkin(db, setup.regs["Dewi Lestari"], DAY3)
    db.commit()
    r = activity_report(db, setup.training)
    assert r.batches[0].attended == 3
    assert r.present_days == 8


def test_per_session_mode_counts_a_day_with_any_session(db: Session, org: Any) -> None:
    s = build(db, org, mode="session")
    first = s.batches[0]
    sessions = [AgendaSession(batch_id=pk(first), date=DAY1, start_time=time(8 + i),
                              end_time=time(9 + i), title=f"Materi {i + 1}", jpl=1)
                for i in range(2)]
    db.add_all(sessions)
    db.flush()
    # Siti at both sessions of day 1, Rina at the second only: two present, counted once.
    _checkin(db, s.regs["Siti Rahmawati"], DAY1, slot=pk(sessions[0]))
    _checkin(db, s.regs["Siti Rahmawati"], DAY1, slot=pk(sessions[1]))
    _checkin(db, s.regs["Rina Marlina"], DAY1, slot=pk(sessions[1]))
    db.commit()
    r = activity_report(db, s.training)
    assert [(d.day, d.present) for d in r.batches[0].days] == [(DAY1, 2), (DAY2, 0)]
    assert r.present_days == 2


def test_agenda_speakers_and_certificates(db: Session, org: Any, setup: Setup) -> None:
    first, second = setup.batches
    rosa = Speaker(organization_id=pk(org), name="dr. Rosa Rosita", title="M.Kes",
                   institution="BKKBN Sumbar")
    db.add(rosa)
    rows = [AgendaSession(batch_id=pk(b), date=b.start_date, start_time=time(h),
                          end_time=time(h + 1), title=t, kind=k, jpl=j)
            for b in (first, second)
            for h, t, k, j in ((8, "Kebijakan Kampung KB", "material", 3),
                               (10, "Ishoma", "break", 2))]
    db.add_all(rows)
    db.flush()
    db.add_all([SessionSpeaker(session_id=pk(rows[0]), speaker_id=pk(rosa)),
                SessionSpeaker(session_id=pk(rows[2]), speaker_id=pk(rosa))])
    for n, name in enumerate(("Siti Rahmawati", "Budi Santoso", "Hj. Nurhayati")):
        db.add(Certificate(**_certificate(db, setup, org, name, n)))
    db.commit()
    r = activity_report(db, setup.training)
    assert [(a.batch, a.total_jpl, len(a.lines)) for a in r.agenda] == [
        ("Angkatan I", 3, 2), ("Angkatan II", 3, 2)]
    assert r.agenda[0].lines[0].speakers == ["dr. Rosa Rosita, M.Kes (BKKBN Sumbar)"]
    assert [(s.name, s.institution, s.sessions, s.jpl, s.batches) for s in r.speakers] == [
        ("dr. Rosa Rosita, M.Kes", "BKKBN Sumbar", 2, 6, ["Angkatan I", "Angkatan II"])]
    assert (r.certificates_issued, r.certificates_revoked, r.certificates_valid) == (3, 1, 2)
    assert r.in_every_batch(r.speakers[0])
    text = pdf_text(render_activity_report_pdf(r))
    assert re.search(r"1 dr\. Rosa Rosita, M\.Kes BKKBN Sumbar Semua angkatan 2 6", text)
    assert "Hari ke-1 · Rabu, 12 September 2018 08.00–09.00 Kebijakan Kampung KB" in text
    assert "Sertifikat diterbitkan 3 Dicabut 1 Berlaku 2" in text


def _certificate(db: Session, s: Setup, org: Any, name: str, n: int) -> dict[str, Any]:
    """A certificate row with whatever columns the certificates helper's model has."""
    values: dict[str, Any] = {
        "organization_id": pk(org), "registration_id": pk(s.regs[name]),
        "number": f"{n + 1:03d}/SERT/IX/2018", "verification_code": secrets.token_hex(16),
        "revoked_at": utcnow() if n == 2 else None}
    fields = Certificate.model_fields
    if "training_id" in fields:
        values["training_id"] = pk(s.training)
    if "name" in fields:
        values["name"] = name
    return values


def test_an_empty_training_has_zeros_not_errors(db: Session, org: Any) -> None:
    training = trainings.create_training(db, pk(org), TrainingCreate(
        title="Bimtek Pengelola Kampung KB", kind="bimtek", start_date=DAY1, end_date=DAY1))
    r = activity_report(db, training)
    assert (r.confirmed, r.batches, r.rate, r.by_category, r.total_jpl) == (0, [], 0.0, [], 0)
    pdf = render_activity_report_pdf(r)
    text = pdf_text(pdf)
    assert "Bimtek Pengelola Kampung KB" in text
    assert "Belum ada peserta yang terkonfirmasi." in text
    # An empty batch too.
    trainings.create_batch(db, training, BatchCreate(
        name="Angkatan I", start_date=DAY1, end_date=DAY1, capacity=20))
    r = activity_report(db, training)
    assert r.batches[0].rate == 0.0 and r.batches[0].days[0].rate == 0.0
    assert pdf_text(render_activity_report_pdf(r)).count("0,0%") >= 2


# --- the PDF -----------------------------------------------------------------------------


def pdf_text(pdf: bytes) -> str:
    assert pdf.startswith(b"%PDF")
    text = "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages)
    # pypdf puts each table cell on a line of its own: compare text with single spaces.
    return re.sub(r"\s+", " ", text)


def test_pdf_carries_the_figures(db: Session, setup: Setup) -> None:
    with use_locale("id"):
        pdf = render_activity_report_pdf(activity_report(db, setup.training),
                                         Signer(name="Dra. Hj. Yenni Yuliza", nip="19680412"))
        text = pdf_text(pdf)
    assert "LAPORAN KEGIATAN" in text and "Pelatihan Kader Kampung KB" in text
    assert "DP3AP2KB KOTA PADANG" in text
    assert "12–18 September 2018" in text
    # Summary: 7 confirmed, 1 waiting, 1 cancelled, 5 came, 3 every day, 8 of 14 = 57,1%.
    assert re.search(r"Peserta terdaftar \(terkonfirmasi\) 7\b", text)
    assert re.search(r"Daftar tunggu 1\b", text)
    assert re.search(r"Hadir sekurang-kurangnya satu hari 5\b", text)
    assert "57,1% (8 / 14)" in text
    # Per batch and day, and the breakdowns.
    assert re.search(r"Hari ke-1 · Rabu, 12 September 2018 4 3 75,0%", text)
    assert re.search(r"Hari ke-2 · Kamis, 13 September 2018 4 2 50,0%", text)
    assert re.search(r"Kader BKB 3 3 100,0%", text)
    assert re.search(r"Perempuan 3 3 100,0%", text)
    assert re.search(r"Laki-laki 3 2 66,7%", text)
    assert re.search(r"Koto Tangah 3 3 100,0%", text)
    assert re.search(r"Padang Pariaman 1 1 100,0%", text)
    assert "Dra. Hj. Yenni Yuliza" in text and "NIP. 19680412" in text


def test_pdf_in_english(db: Session, setup: Setup) -> None:
    with use_locale("en"):
        text = pdf_text(render_activity_report_pdf(activity_report(db, setup.training)))
    assert "ACTIVITY REPORT" in text and "57.1% (8 / 14)" in text
    assert re.search(r"Male 3 2 66.7%", text)


def _many(report: ActivityReport, districts: int, regencies: int) -> ActivityReport:
    """The same report with many kecamatan and kabupaten (a provincial workshop)."""
    from dataclasses import replace

    return replace(
        report,
        by_district=[Breakdown(f"Kecamatan Nomor {i:02d} Yang Panjang Sekali Namanya",
                               40 - i % 30, 30 - i % 30 - i % 3) for i in range(districts)],
        by_regency=[Breakdown(f"Kabupaten {i:02d}", 9 + i, 8 + i // 2)
                    for i in range(regencies)])


def test_pdf_goes_onto_more_pages_for_many_regions(db: Session, setup: Setup) -> None:
    base = activity_report(db, setup.training)
    short = len(PdfReader(io.BytesIO(render_activity_report_pdf(base))).pages)
    pdf = render_activity_report_pdf(_many(base, districts=70, regencies=17))
    pages = PdfReader(io.BytesIO(pdf)).pages
    assert len(pages) > short
    for page in pages:  # A4 portrait
        assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == \
            (595, 842)
    text = pdf_text(pdf)
    assert "Kabupaten 16" in text and "Kecamatan Nomor 69" in text


def test_names_in_the_pdf_are_not_markup(db: Session, org: Any) -> None:
    s = build(db, org, title="Pelatihan <b>Kader</b> & <script>alert(1)</script>")
    text = pdf_text(render_activity_report_pdf(activity_report(db, s.training)))
    assert "Pelatihan <b>Kader</b> & <script>alert(1)</script>" in text


# --- API and page ------------------------------------------------------------------------


def test_api_report_json(api: TestClient, db: Session, setup: Setup) -> None:
    r = api.get(f"/api/trainings/{pk(setup.training)}/report")
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["registered"] == {"confirmed": 7, "waitlisted": 1, "cancelled": 1}
    assert body["attendance"] == {"attended": 5, "complete": 3, "present_days": 8,
                                  "expected_days": 14, "rate": round(8 / 14, 4)}
    first = body["batches"][0]
    assert first["name"] == "Angkatan I" and first["registered"] == 4
    assert [(d["day"], d["expected"], d["present"]) for d in first["days"]] == [
        ("2018-09-12", 4, 3), ("2018-09-13", 4, 2)]
    assert {g["name"]: (g["registered"], g["present"]) for g in body["by_gender"]} == {
        "L": (3, 2), "P": (3, 3), None: (1, 0)}
    assert {g["name"]: g["registered"] for g in body["by_regency"]} == {
        "Kota Padang": 5, "Padang Pariaman": 1, None: 1}
    assert body["certificates"] == {"issued": 0, "revoked": 0, "valid": 0}


def test_api_report_pdf(api: TestClient, setup: Setup) -> None:
    r = api.get(f"/api/trainings/{pk(setup.training)}/report.pdf",
                params={"signer_name": "Dra. Hj. Yenni Yuliza"})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "application/pdf"
    text = pdf_text(r.content)
    assert "Pelatihan Kader Kampung KB" in text and "Dra. Hj. Yenni Yuliza" in text


def test_api_report_needs_the_own_organization(api: TestClient, client: TestClient,
                                               db: Session) -> None:
    from service.services.auth import get_or_create_organization

    other = get_or_create_organization(db, "DP3AP2KB Kota Pontianak")
    theirs = trainings.create_training(db, pk(other), TrainingCreate(
        title="Bimtek Pontianak", kind="bimtek", start_date=DAY1, end_date=DAY1))
    db.commit()
    assert api.get(f"/api/trainings/{pk(theirs)}/report").status_code == 404
    assert api.get(f"/api/trainings/{pk(theirs)}/report.pdf").status_code == 404
    anonymous = TestClient(client.app)
    assert anonymous.get(f"/api/trainings/{pk(theirs)}/report").status_code == 401


def test_api_report_refuses_a_huge_signer_name(api: TestClient, setup: Setup) -> None:
    r = api.get(f"/api/trainings/{pk(setup.training)}/report.pdf",
                params={"signer_name": "x" * 500})
    assert r.status_code == 422
    assert r.json()["code"]


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_a_signer_with_a_control_character_is_refused_in_words(
        api: TestClient, client: TestClient, setup: Setup, admin: Any, fmt: str) -> None:
    """A Word document cannot hold a control character (python-docx raised, a 500):
    the signer's fields are single lines, refused with a 422 that says why."""
    bad = {"signer_name": "Dra. Hj. Yenni\x05 Yuliza", "signer_position": "Kepala\x00Dinas"}
    r = api.get(f"/api/trainings/{pk(setup.training)}/report.{fmt}", params=bad)
    assert r.status_code == 422, r.text
    assert "signer_name: Berisi karakter kontrol" in r.json()["message"]
    login_page_client(client, admin.email)
    page = client.get(f"/trainings/{pk(setup.training)}/report.{fmt}", params=bad)
    assert page.status_code == 422 and "karakter kontrol" in page.text
    fine = api.get(f"/api/trainings/{pk(setup.training)}/report.{fmt}",
                   params={"signer_name": "Dra. Hj. Yenni Yuliza"})
    assert fine.status_code == 200


def test_report_page_shows_the_figures_escaped(client: TestClient, db: Session, org: Any,
                                               admin: Any) -> None:
    s = build(db, org, title="Pelatihan <script>alert(1)</script>")
    # The registration form refuses such a name; rows from older data or another client
    # must still come out as text.
    person = Participant(organization_id=pk(org), name="<script>alert(2)</script>",
                         district="<script>alert(3)</script>")
    db.add(person)
    db.flush()
    db.add(Registration(training_id=pk(s.training), participant_id=pk(person),
                        batch_id=pk(s.batches[0]), status="confirmed",
                        ticket_token=secrets.token_urlsafe(24)))
    db.commit()
    login_page_client(client, admin.email)
    r = client.get(f"/trainings/{pk(s.training)}/report")
    assert r.status_code == 200, r.text
    html = r.text
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;script&gt;alert(3)&lt;/script&gt;" in html
    assert re.search(r'id="rep-confirmed"[^>]*>\s*8\s*<', html)
    assert re.search(r'id="rep-rate"[^>]*>\s*50,0%\s*<', html)  # 8 of 16 person-days
    assert f'href="/trainings/{pk(s.training)}/report.pdf' in html
    pdf = client.get(f"/trainings/{pk(s.training)}/report.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    # The overview links to the report.
    overview = client.get(f"/trainings/{pk(s.training)}")
    assert f'href="/trainings/{pk(s.training)}/report"' in overview.text


def test_report_page_of_an_empty_training(client: TestClient, db: Session, org: Any,
                                          admin: Any) -> None:
    training = trainings.create_training(db, pk(org), TrainingCreate(
        title="Bimtek Kosong", kind="bimtek", start_date=DAY1, end_date=DAY1))
    db.commit()
    login_page_client(client, admin.email)
    r = client.get(f"/trainings/{pk(training)}/report")
    assert r.status_code == 200, r.text
    assert "Belum ada peserta yang terkonfirmasi." in r.text
    assert client.get(f"/trainings/{pk(training)}/report.pdf").status_code == 200


def _logo_png() -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (120, 140), "white")
    draw = ImageDraw.Draw(image)
    draw.ellipse((10, 20, 110, 120), fill=(11, 110, 79))
    draw.rectangle((50, 5, 70, 135), fill=(230, 170, 30))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def test_pdf_header_carries_the_logo_and_city(db: Session, org: Any, setup: Setup) -> None:
    org.logo_png, org.city = _logo_png(), "Padang"
    db.add(org)
    db.commit()
    report = activity_report(db, setup.training)
    assert report.place == "Padang"
    pdf = render_activity_report_pdf(report)
    first = PdfReader(io.BytesIO(pdf)).pages[0]
    assert len(first.images) == 1
    text = pdf_text(pdf)
    assert f"Padang, {report.report_date.day} " in text
    assert "Kepala DP3AP2KB Kota Padang" in text
    # A logo that is not an image is left out; the report still renders.
    org.logo_png = b"\x89PNG not really"
    db.add(org)
    db.commit()
    broken = render_activity_report_pdf(activity_report(db, setup.training))
    assert len(PdfReader(io.BytesIO(broken)).pages[0].images) == 0


def test_query_count_does_not_grow_with_participants(db: Session, setup: Setup,
                                                     count_queries: list[str]) -> None:
    activity_report(db, setup.training)
    few = len(count_queries)
    for n in range(30):
        reg = registrations.register(db, setup.training, {
            "name": f"Peserta Tambahan {n:02d}", "category": "PKB", "district": f"Kec {n}",
            "regency": "Kota Padang", "gender": "P"}, pk(setup.batches[n % 2]))
        _checkin(db, reg, setup.batches[n % 2].start_date)
    db.commit()
    count_queries.clear()
    report = activity_report(db, setup.training)
    assert report.confirmed == 37 and report.present_days == 38
    assert len(count_queries) == few


def test_report_page_in_english(client: TestClient, setup: Setup, admin: Any) -> None:
    login_page_client(client, admin.email)
    r = client.get(f"/trainings/{pk(setup.training)}/report?lang=en")
    assert r.status_code == 200, r.text
    assert "<h1>Activity report</h1>" in r.text
    assert re.search(r'id="rep-rate"[^>]*>\s*57\.1%\s*<', r.text)
    rows = re.findall(r"<tr>\s*<td>(Male|Female)<span.*?</td>\s*<td class=\"num\">(\d+)</td>"
                      r"\s*<td class=\"num\"><strong>(\d+)</strong>", r.text, re.S)
    assert rows == [("Male", "3", "2"), ("Female", "3", "3")]


def test_a_door_scanner_may_not_read_the_report(client: TestClient, db: Session, org: Any,
                                                setup: Setup) -> None:
    from service.services.auth import create_user

    create_user(db, email="gerbang@padang.test", password=PASSWORD, name="Gerbang 1",
                role="scanner", organization=org)
    db.commit()
    token = client.post("/api/auth/token", data={"username": "gerbang@padang.test",
                                                 "password": PASSWORD}).json()["access_token"]
    r = client.get(f"/api/trainings/{pk(setup.training)}/report",
                   headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 403 and r.json()["code"] == "forbidden"


def test_the_certificates_first_signatory_fills_the_signature_block(
        client: TestClient, db: Session, org: Any, admin: Any, api_headers: dict[str, str]
) -> None:
    s = build(db, org)
    db.commit()
    login_page_client(client, admin.email)
    page = client.get(f"/trainings/{pk(s.training)}/report").text
    assert 'name="signer_name" maxlength="200" autocomplete="off" value=""' in page
    r = client.put(f"/api/trainings/{pk(s.training)}/certificate-template", headers=api_headers,
                   json={"signatories": [{"name": "dr. Hj. Rosa Rosita, M.Kes",
                                          "title": "Kepala Dinas P3AP2KB Kota Padang",
                                          "nip": "19680412 199003 2 004"},
                                         {"name": "Hj. Ratna Dewi, S.Sos",
                                          "title": "Ketua Panitia"}]})
    assert r.status_code == 200, r.text
    page = client.get(f"/trainings/{pk(s.training)}/report").text
    assert 'name="signer_name"' in page and 'value="dr. Hj. Rosa Rosita, M.Kes"' in page
    assert 'value="19680412 199003 2 004"' in page
    assert 'value="Kepala Dinas P3AP2KB Kota Padang"' in page
    assert "Ratna Dewi" not in page


def test_the_pdf_draws_its_bar_charts(db: Session, setup: Setup) -> None:
    """Charts, not only tables: the attendance chart's title, its value axis, a bar
    label per day, and filled rectangles for the bars."""
    report = activity_report(db, setup.training)
    pdf = render_activity_report_pdf(report)
    lines = [line.strip() for page in PdfReader(io.BytesIO(pdf)).pages
             for line in page.extract_text().splitlines()]
    assert "Tingkat kehadiran per angkatan dan hari" in lines
    axis = ["0%", "25%", "50%", "75%", "100%"]  # only a chart's value axis prints these
    assert any(lines[i:i + 5] == axis for i in range(len(lines))), lines
    # One bar label per batch and day, above the axis, apart from the tables.
    chart = lines[lines.index("Tingkat kehadiran per angkatan dan hari"):]
    labels = [t for t in chart[:chart.index("0%")] if re.fullmatch(r"\d+,\d%", t)]
    assert len(labels) == sum(len(b.days) for b in report.batches) > 0, chart[:20]
    drawings = sum(page.get_contents().get_data().count(b" re ") for page in
                   PdfReader(io.BytesIO(pdf)).pages)
    assert drawings > 20  # the bars (and legend swatches) are filled rectangles
