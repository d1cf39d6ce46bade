"""Certificates through the API: template and numbering pattern, eligibility with the
committee's overrides, idempotent issuing, downloads, revoking, and bad uploads."""

import io
import struct
import zipfile
import zlib
from datetime import date, time
from typing import Any

from fastapi.testclient import TestClient
from PIL import Image
from pypdf import PdfReader
from sqlmodel import Session, col, select

from service.models import Batch, CertificateDecision, Training, User
from tests import factories
from tests.checkin_setup import Setup, check_in, make_setup, registration


def png(width: int = 40, height: int = 30, color: str = "#3a7") -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (width, height), color).save(buf, "PNG")
    return buf.getvalue()


def forged_png(width: int, height: int) -> bytes:
    """A PNG header claiming a huge image, with almost no data behind it."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    chunk = struct.pack(">I", 13) + b"IHDR" + ihdr + struct.pack(">I", zlib.crc32(b"IHDR" + ihdr))
    return b"\x89PNG\r\n\x1a\n" + chunk + b"\x00" * 64


def attend(db: Session, s: Setup) -> None:
    """Person 0 both days, person 1 only day 1, person 2 only day 2, person 3 never."""
    check_in(db, s, 0, 0)
    check_in(db, s, 0, 1)
    check_in(db, s, 1, 0)
    check_in(db, s, 2, 1)


def add_session(db: Session, s: Setup, day: str, start: str, end: str, jpl: int,
                title: str | None = None, kind: str = "material") -> int:
    """A session of Angkatan I's timetable, without narasumber; its id."""
    training, batch = db.get(Training, s.tid), db.get(Batch, s.batches[0]["id"])
    assert training is not None and batch is not None
    made = factories.session(db, training, batch, title or f"Materi {day} {start}",
                             day=date.fromisoformat(day), start=time.fromisoformat(start),
                             end=time.fromisoformat(end), jpl=jpl, kind=kind)
    factories.committed(db)
    return made.id or 0


def saved_template(db: Session, s: Setup) -> None:
    """The Padang committee's template, saved through the service (for tests that are
    not about the template API)."""
    training = db.get(Training, s.tid)
    assert training is not None
    factories.certificate_template_for(db, training, db.get(User, s.user_id))
    factories.committed(db)


def eligibility(api: TestClient, s: Setup) -> dict[str, Any]:
    r = api.get(f"/api/trainings/{s.tid}/certificates/eligibility")
    assert r.status_code == 200, r.text
    return {i["name"]: i for i in r.json()["items"]}


def put_template(api: TestClient, s: Setup, **changes: Any) -> Any:
    body = {"title": "SERTIFIKAT", "place": "Padang", "issue_date": "2018-09-14",
            "numbering_pattern": "{seq:03}/SERT/DP3AP2KB/{roman_month}/{year}",
            "signatories": [{"name": "dr. Hj. Rosa Rosita, M.Kes",
                             "title": "Kepala Dinas P3AP2KB Kota Padang",
                             "nip": "19680412 199003 2 004"}], **changes}
    return api.put(f"/api/trainings/{s.tid}/certificate-template", json=body)


def test_default_rule_says_who_missed_which_day(api: TestClient, db: Session) -> None:
    s = make_setup(api, db)
    attend(db, s)
    people = eligibility(api, s)
    assert people["Kader 01 Nur'aini"]["eligible"] is True
    assert people["Kader 01 Nur'aini"]["why"] == ["Hadir setiap hari"]
    assert people["Kader 02 Nur'aini"]["eligible"] is False
    assert people["Kader 02 Nur'aini"]["why"] == ["Tidak hadir hari ke-2 (13 September 2018)"]
    assert people["Kader 04 Nur'aini"]["why"] == [
        "Tidak hadir hari ke-1 (12 September 2018)", "Tidak hadir hari ke-2 (13 September 2018)"]


def test_issue_numbers_by_pattern_and_is_idempotent(api: TestClient, db: Session) -> None:
    s = make_setup(api, db)
    attend(db, s)
    assert put_template(api, s).status_code == 200
    r = api.post(f"/api/trainings/{s.tid}/certificates")
    assert r.status_code == 200, r.text
    assert (r.json()["issued"], r.json()["skipped"]) == (1, 0)
    again = api.post(f"/api/trainings/{s.tid}/certificates")
    assert (again.json()["issued"], again.json()["skipped"]) == (0, 1)
    items = api.get(f"/api/trainings/{s.tid}/certificates").json()["items"]
    assert [i["number"] for i in items] == ["001/SERT/DP3AP2KB/IX/2018"]
    code = items[0]["verification_url"].rsplit("/", 1)[1]
    assert len(code) >= 22  # >= 128 random bits, URL-safe

    # Include person 2 by hand: the next number, the first one untouched.
    rid = s.people[1]["id"]
    d = api.put(f"/api/registrations/{rid}/certificate-decision",
                json={"decision": "include", "reason": "Sakit hari ke-2, surat dokter ada"})
    assert d.status_code == 200, d.text
    assert d.json()["by"] == "Admin"
    people = eligibility(api, s)
    assert people["Kader 02 Nur'aini"]["eligible"] is True
    assert people["Kader 02 Nur'aini"]["meets_rule"] is False
    assert people["Kader 02 Nur'aini"]["decision"]["reason"] == "Sakit hari ke-2, surat dokter ada"
    r = api.post(f"/api/trainings/{s.tid}/certificates")
    assert (r.json()["issued"], r.json()["skipped"]) == (1, 1)
    numbers = [i["number"] for i in api.get(f"/api/trainings/{s.tid}/certificates")
               .json()["items"]]
    assert numbers == ["001/SERT/DP3AP2KB/IX/2018", "002/SERT/DP3AP2KB/IX/2018"]


def test_exclude_keeps_reason_and_audit_trail(api: TestClient, db: Session) -> None:
    s = make_setup(api, db)
    attend(db, s)
    rid = s.people[0]["id"]
    for decision, reason in (("exclude", "Nama ganda"), ("auto", "Salah pilih"),
                             ("exclude", "Tidak mengikuti post-test")):
        r = api.put(f"/api/registrations/{rid}/certificate-decision",
                    json={"decision": decision, "reason": reason})
        assert r.status_code == 200, r.text
    person = eligibility(api, s)["Kader 01 Nur'aini"]
    assert person["eligible"] is False and person["meets_rule"] is True
    assert person["decision"]["reason"] == "Tidak mengikuti post-test"
    trail = db.exec(select(CertificateDecision)
                    .where(CertificateDecision.registration_id == rid)
                    .order_by(col(CertificateDecision.id))).all()
    assert [t.decision for t in trail] == ["exclude", "auto", "exclude"]
    r = api.post(f"/api/trainings/{s.tid}/certificates")
    assert r.json()["issued"] == 0 and r.json()["not_eligible"] == 4
    # A reason is required.
    bad = api.put(f"/api/registrations/{rid}/certificate-decision",
                  json={"decision": "include", "reason": ""})
    assert bad.status_code == 422


def test_share_rules_by_days_and_by_jpl(api: TestClient, db: Session) -> None:
    s = make_setup(api, db)
    attend(db, s)
    for day, start, jpl in (("2018-09-12", "08:00", 6), ("2018-09-13", "08:00", 4)):
        add_session(db, s, day, start, "12:00", jpl, title=f"Materi {day}")
    assert put_template(api, s, rule="jpl", min_percent=80).status_code == 200
    people = eligibility(api, s)
    assert people["Kader 02 Nur'aini"]["eligible"] is False
    assert people["Kader 02 Nur'aini"]["why"] == [
        "Mengikuti 60,0% JPL (6 dari 10), minimal 80%"]
    assert people["Kader 03 Nur'aini"]["jpl_attended"] == 4
    assert put_template(api, s, rule="jpl", min_percent=60).status_code == 200
    people = eligibility(api, s)
    assert people["Kader 02 Nur'aini"]["eligible"] is True
    assert people["Kader 03 Nur'aini"]["eligible"] is False
    assert put_template(api, s, rule="days", min_percent=50).status_code == 200
    people = eligibility(api, s)
    assert [people[f"Kader 0{n} Nur'aini"]["eligible"] for n in (1, 2, 3, 4)] == \
        [True, True, True, False]
    assert people["Kader 04 Nur'aini"]["why"] == ["Hadir 0 dari 2 hari (0,0%), minimal 50%"]


def test_bad_numbering_pattern_is_refused_and_nothing_changes(api: TestClient,
                                                              db: Session) -> None:
    s = make_setup(api, db, people=1)
    assert put_template(api, s, title="SERTIFIKAT PELATIHAN").status_code == 200
    for pattern in ("{seq}/{tahun}", "{seq}/SERT/{year", "SERT/{year}", "{seq}{seq}"):
        r = put_template(api, s, title="BERUBAH", numbering_pattern=pattern)
        assert r.status_code == 422, (pattern, r.text)
        assert r.json()["code"] == "invalid_pattern"
    assert "{tahun}" in put_template(api, s, numbering_pattern="{seq}/{tahun}").json()["message"]
    t = api.get(f"/api/trainings/{s.tid}/certificate-template").json()
    assert t["title"] == "SERTIFIKAT PELATIHAN"
    assert t["example_number"] == "001/SERT/DP3AP2KB/IX/2018"


def test_bad_uploads_are_4xx_and_change_nothing(api: TestClient, db: Session) -> None:
    s = make_setup(api, db, people=1)
    url = f"/api/trainings/{s.tid}/certificate-template/background"
    ok = api.put(url, files={"file": ("latar.png", png(), "image/png")})
    assert ok.status_code == 200, ok.text
    assert ok.json()["background_name"] == "latar.png"
    cases = [
        ("catatan.png", b"bukan gambar sama sekali", "invalid_image"),
        ("bom.png", forged_png(100_000, 100_000), "image_too_large"),
        ("bom6k.png", forged_png(6000, 5000), "image_too_large"),  # 30 MP
        ("rusak.png", forged_png(50, 50), "invalid_image"),  # header fine, no pixels
        ("gif.gif", b"GIF89a" + b"\x00" * 100, "invalid_image"),
        ("besar.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * (10 * 1024 * 1024), "image_too_large"),
    ]
    for name, data, code in cases:
        r = api.put(url, files={"file": (name, data, "image/png")})
        assert r.status_code == 422, (name, r.status_code)
        assert r.json()["code"] == code, (name, r.text)
        assert r.json()["message"]
    t = api.get(f"/api/trainings/{s.tid}/certificate-template").json()
    assert t["background_name"] == "latar.png" and t["has_background"]
    # A signature needs a signatory first; then a forged one is refused too.
    sig = f"/api/trainings/{s.tid}/certificate-template/signatories/0/signature"
    assert api.put(sig, files={"file": ("ttd.png", png(), "image/png")}).status_code == 422
    assert put_template(api, s).status_code == 200
    assert api.put(sig, files={"file": ("ttd.png", png(), "image/png")}).status_code == 200
    assert api.put(sig, files={"file": ("x.png", forged_png(9000, 9000),
                                        "image/png")}).status_code == 422
    t = api.get(f"/api/trainings/{s.tid}/certificate-template").json()
    assert t["signatories"][0]["has_signature"] is True


def _pdf_text(data: bytes) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)


def test_downloads_revoke_and_holder_link(api: TestClient, db: Session) -> None:
    s = make_setup(api, db)
    for person in (0, 1):
        check_in(db, s, person, 0)
        check_in(db, s, person, 1)
    saved_template(db, s)
    assert api.post(f"/api/trainings/{s.tid}/certificates").json()["issued"] == 2
    items = api.get(f"/api/trainings/{s.tid}/certificates").json()["items"]
    one = api.get(items[0]["download_url"])
    assert one.status_code == 200 and one.headers["content-type"] == "application/pdf"
    assert "001/SERT/DP3AP2KB/IX/2018" in _pdf_text(one.content)
    merged = api.get(f"/api/trainings/{s.tid}/certificates.pdf")
    assert len(PdfReader(io.BytesIO(merged.content)).pages) == 2
    z = zipfile.ZipFile(io.BytesIO(api.get(f"/api/trainings/{s.tid}/certificates.zip").content))
    assert len(z.namelist()) == 2 and all(n.endswith(".pdf") for n in z.namelist())
    token = s.people[0]["ticket_url"].rsplit("/", 1)[1]
    mine = api.get(f"/t/{token}/certificate.pdf")
    assert mine.status_code == 200 and "Kader 01" in _pdf_text(mine.content)
    page = api.get(f"/t/{token}")
    assert f"/t/{token}/certificate.pdf" in page.text
    nobody = s.people[3]["ticket_url"].rsplit("/", 1)[1]
    assert api.get(f"/t/{nobody}/certificate.pdf").status_code == 404
    assert f"/t/{nobody}/certificate.pdf" not in api.get(f"/t/{nobody}").text

    r = api.post(f"/api/certificates/{items[0]['id']}/revoke",
                 json={"reason": "Data peserta dipalsukan"})
    assert r.status_code == 200, r.text
    assert api.post(f"/api/certificates/{items[0]['id']}/revoke",
                    json={"reason": "Lagi"}).status_code == 409
    merged = api.get(f"/api/trainings/{s.tid}/certificates.pdf")
    assert len(PdfReader(io.BytesIO(merged.content)).pages) == 1
    assert "Kader 01" not in _pdf_text(merged.content)
    assert api.get(f"/t/{token}/certificate.pdf").status_code == 404
    code = items[0]["verification_url"].rsplit("/", 1)[1]
    v = api.get(f"/v/{code}")
    assert v.status_code == 200 and "dicabut" in v.text.lower()
    assert "dipalsukan" not in v.text  # the reason stays with the committee
    # Revoked stays issued: no new number for the same person.
    assert api.post(f"/api/trainings/{s.tid}/certificates").json()["issued"] == 0


def test_preview_png_and_other_organizations_see_nothing(api: TestClient, db: Session) -> None:
    s = make_setup(api, db, people=1)
    put_template(api, s)
    r = api.get(f"/api/trainings/{s.tid}/certificate-template/preview.png")
    assert r.status_code == 200 and r.content.startswith(b"\x89PNG")
    assert Image.open(io.BytesIO(r.content)).size[0] == 900
    from service.services.auth import create_user, get_or_create_organization

    other = get_or_create_organization(db, "DP3AP2KB Kota Pontianak")
    create_user(db, email="x@pontianak.test", password="another-long-pass", name="X",
                role="admin", organization=other)
    token = api.post("/api/auth/token", data={"username": "x@pontianak.test",
                                              "password": "another-long-pass"}).json()
    headers = {"Authorization": f"Bearer {token['access_token']}"}
    assert api.get(f"/api/trainings/{s.tid}/certificates/eligibility",
                   headers=headers).status_code == 404
    assert api.post(f"/api/trainings/{s.tid}/certificates", headers=headers).status_code == 404


def jpeg(width: int = 60, height: int = 40, progressive: bool = False) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (width, height), "#a33").save(buf, "JPEG", progressive=progressive)
    return buf.getvalue()


def forged_jpeg(width: int, height: int) -> bytes:
    """A JPEG whose start-of-frame claims a huge size (an APP0 segment before it)."""
    app0 = b"\xff\xe0" + struct.pack(">H", 16) + b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    sof = b"\xff\xc0" + struct.pack(">HBHHB", 11, 8, height, width, 1) + b"\x01\x11\x00"
    return b"\xff\xd8" + app0 + sof + b"\xff\xd9"


def test_jpeg_sizes_are_read_from_the_frame_header() -> None:
    from service.services.certificates.images import sniff

    plain = sniff(jpeg(60, 40))
    assert plain is not None and (plain.kind, plain.width, plain.height) == ("jpeg", 60, 40)
    info = sniff(jpeg(61, 41, progressive=True))
    assert info is not None and (info.kind, info.width, info.height) == ("jpeg", 61, 41)
    big = sniff(forged_jpeg(30000, 20000))
    assert big is not None and (big.width, big.height) == (30000, 20000)
    assert sniff(b"\xff\xd8\xff\xda" + b"\x00" * 10) is None  # scan data before any frame


def test_jpeg_background_and_a_forged_one(api: TestClient, db: Session) -> None:
    s = make_setup(api, db, people=1)
    url = f"/api/trainings/{s.tid}/certificate-template/background"
    ok = api.put(url, files={"file": ("latar.jpg", jpeg(), "image/jpeg")})
    assert ok.status_code == 200 and ok.json()["background_name"] == "latar.jpg"
    bad = api.put(url, files={"file": ("bom.jpg", forged_jpeg(30000, 20000), "image/jpeg")},
                  headers={"Accept-Language": "en"})
    assert bad.status_code == 422 and bad.json()["code"] == "image_too_large"
    assert "30000 × 20000" in bad.json()["message"] and "megapixels" in bad.json()["message"]


def test_session_mode_counts_jpl_of_attended_sessions(api: TestClient, db: Session) -> None:
    s = make_setup(api, db, people=2, mode="session")
    slots = (("2018-09-12", "08:00", "10:00", 3), ("2018-09-12", "10:00", "12:00", 3),
             ("2018-09-13", "08:00", "12:00", 4))
    sessions = [add_session(db, s, *slot) for slot in slots]
    admin = db.get(User, s.user_id)
    assert admin is not None
    # Person 1 at all three sessions; person 2 at the first two (6 of 10 JPL): each
    # found by name five minutes after the session starts.
    for person, attended in ((0, (0, 1, 2)), (1, (0, 1))):
        for k in attended:
            day, start = date.fromisoformat(slots[k][0]), time.fromisoformat(slots[k][1])
            factories.check_in(db, registration(db, s, person), day, admin,
                               at=start.replace(minute=5), session_id=sessions[k])
    factories.committed(db)
    assert put_template(api, s, rule="jpl", min_percent=75).status_code == 200
    people = eligibility(api, s)
    assert people["Kader 01 Nur'aini"]["jpl_attended"] == 10
    assert people["Kader 01 Nur'aini"]["eligible"] is True
    assert people["Kader 02 Nur'aini"]["jpl_attended"] == 6
    assert people["Kader 02 Nur'aini"]["why"] == ["Mengikuti 60,0% JPL (6 dari 10), minimal 75%"]
    # By days, a day with any session counts: person 2 missed day 2.
    assert put_template(api, s, rule="all_days").status_code == 200
    assert eligibility(api, s)["Kader 02 Nur'aini"]["why"] == [
        "Tidak hadir hari ke-2 (13 September 2018)"]


def test_days_still_to_come_are_not_called_missed(api: TestClient, db: Session) -> None:
    from datetime import date, timedelta

    s = make_setup(api, db, people=1, start=date.today() + timedelta(days=3))
    person = eligibility(api, s)["Kader 01 Nur'aini"]
    assert person["eligible"] is False
    assert len(person["why"]) == 2, person["why"]  # both days, neither yet held
    assert all("belum berlangsung" in why for why in person["why"]), person["why"]


def test_downloads_per_batch_and_another_trainings_batch_refused(api: TestClient,
                                                                 db: Session) -> None:
    s = make_setup(api, db)
    for person in (0, 1):
        check_in(db, s, person, 0)
        check_in(db, s, person, 1)
    saved_template(db, s)
    first, second = (b["id"] for b in s.batches)
    other = make_setup(api, db, people=0).batches[0]["id"]  # another training's batch
    r = api.post(f"/api/trainings/{s.tid}/certificates?batch={other}")
    assert r.status_code == 404 and r.json()["code"] == "not_found"
    assert api.get(f"/api/trainings/{s.tid}/certificates").json()["items"] == []
    assert api.post(f"/api/trainings/{s.tid}/certificates?batch={first}").json()["issued"] == 2
    merged = api.get(f"/api/trainings/{s.tid}/certificates.pdf?batch={first}")
    assert len(PdfReader(io.BytesIO(merged.content)).pages) == 2
    z = api.get(f"/api/trainings/{s.tid}/certificates.zip?batch={first}")
    assert len(zipfile.ZipFile(io.BytesIO(z.content)).namelist()) == 2
    empty = api.get(f"/api/trainings/{s.tid}/certificates.pdf?batch={second}")
    assert empty.status_code == 404 and empty.json()["code"] == "no_certificate"
    for path in ("certificates.pdf", "certificates.zip"):
        r = api.get(f"/api/trainings/{s.tid}/{path}?batch={other}")
        assert r.status_code == 404 and r.json()["code"] == "not_found", path


def test_a_break_counts_no_jpl_wherever_jpl_is_totalled(api: TestClient, db: Session) -> None:
    s = make_setup(api, db)
    attend(db, s)
    batch = s.batches[0]["id"]
    for title, kind, start, end, jpl in (("Materi", "material", "08:00", "10:00", 4),
                                         ("Ishoma", "break", "12:00", "13:00", 2)):
        add_session(db, s, "2018-09-12", start, end, jpl, title=title, kind=kind)
    assert put_template(api, s, rule="jpl", min_percent=80).status_code == 200
    person = eligibility(api, s)["Kader 01 Nur'aini"]
    assert (person["jpl_attended"], person["jpl_total"]) == (4, 4)
    t = api.get(f"/api/trainings/{s.tid}").json()
    assert [b["total_jpl"] for b in t["batches"] if b["id"] == batch] == [4]
