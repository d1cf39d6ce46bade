"""A training in which Yusnimar Chaniago took part (registered, checked in both days,
a certificate, messages sent, a mark's reason and an import upload naming her), beside
a batchmate who stays; and the texts of every answer, PDFs and spreadsheets included."""

import io
import re
import subprocess
import zipfile
from dataclasses import dataclass
from datetime import date, timedelta

import openpyxl
from sqlmodel import Session

from service.models import Organization, Registration, Training, User
from service.models.base import pk
from service.services import imports
from service.services.messaging import outbox
from tests import factories as f

NAME = "Yusnimar Chaniago"
NIK = "1371016504880007"
NIP = "198804252010012007"
PHONE = "081374400123"
PHONE_DIGITS = "81374400123"
EMAIL = "yusnimar.chaniago@contoh.id"
DAY1 = date(2018, 9, 12)


@dataclass
class World:
    org: Organization
    committee: User
    training: Training
    other_training: Training
    batch_id: int
    reg: Registration
    other_reg: Registration
    mate: Registration
    person_id: int
    session_id: int
    code: str  # her certificate's verification code


def build(db: Session, admin: User) -> World:
    org = db.get(Organization, admin.organization_id)
    assert org is not None
    committee = f.user(db, org, name="Panitia Padang")
    t = f.training(db, org, "Pelatihan Kader Kampung KB Kota Padang", start=DAY1, days=2)
    b = f.batch(db, t, days=2)
    s = f.session(db, t, b, jpl=4)
    f.session(db, t, b, "Pengasuhan Remaja", day=b.end_date, jpl=4)
    reg = f.register(db, t, b, name=f"Hj. {NAME}, S.Pd.", nik=NIK, phone=PHONE, email=EMAIL,
                     nip=NIP, village="Air Tawar Barat", district="Padang Utara",
                     regency="Kota Padang", institution="TP-PKK Kelurahan Air Tawar Barat")
    mate = f.register(db, t, b, name="Rahmi Dt. Bungsu", nik="1371015203850019",
                      phone="081266340099", district="Kuranji")
    for day in (b.start_date, b.end_date):
        f.check_in(db, reg, day, committee)
        f.check_in(db, mate, day, committee)
    f.mark(db, reg, b.start_date, committee, "present",
           reason=f"Lupa scan; NIK {NIK} dicek manual")
    f.mark(db, mate, b.end_date, committee, "present",
           reason=f"Datang bersama {NAME}, tiket di HP {PHONE}")
    f.certificate_template_for(db, t, committee)
    certs = f.issue_certificates(db, t, committee)
    mine = next(c for c in certs if c.registration_id == pk(reg))
    outbox.queue(db, t, outbox.SendRequest(
        kind="custom", channel="both",
        text=f"Yth. Ibu {NAME}, sertifikat Anda sudah terbit."),
        "http://testserver", pk(committee), channels=("whatsapp", "email"))
    sheet = (f"nama,nik,no_hp\n{NAME},{NIK},{PHONE}\nRahmi Dt. Bungsu,1371015203850019,"
             "081266340099\n").encode()
    imports.save_upload(db, t, committee, "peserta-susulan.csv", sheet)
    t2 = f.training(db, org, "Bimtek Pengelola Kampung KB", start=DAY1 + timedelta(days=200),
                    days=1)
    b2 = f.batch(db, t2, days=1)
    other = f.register(db, t2, b2, name=NAME, nik=NIK, phone=PHONE)
    f.committed(db)
    return World(org, committee, t, t2, pk(b), reg, other, mate, reg.participant_id, pk(s),
                 mine.verification_code)


# --- texts of answers ------------------------------------------------------------------

def _pdf_text(content: bytes) -> str:
    done = subprocess.run(["pdftotext", "-layout", "-", "-"], input=content,
                          capture_output=True, check=True)
    return done.stdout.decode("utf-8", "replace")


def _xlsx_text(content: bytes) -> str:
    book = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    return "\n".join(str(v) for ws in book.worksheets for row in ws.iter_rows(values_only=True)
                     for v in row if v is not None)


def _zip_text(content: bytes) -> str:
    parts = []
    with zipfile.ZipFile(io.BytesIO(content)) as z:
        for info in z.infolist():
            data = z.read(info)
            parts.append(text_of(data, info.filename))
    return "\n".join(parts)


def text_of(content: bytes, name: str = "", content_type: str = "") -> str:
    """What a reader of this answer sees: a PDF's text, a workbook's cells, a DOCX's or
    a ZIP's parts, else the bytes as text."""
    if content.startswith(b"%PDF"):
        return _pdf_text(content)
    if content.startswith(b"PK"):
        out = _zip_text(content)
        if "spreadsheet" in content_type or name.endswith(".xlsx") or b"xl/" in content[:2000]:
            try:
                out += "\n" + _xlsx_text(content)
            except Exception:  # noqa: BLE001 (a docx or zip is read as its parts)
                pass
        return out
    if content.startswith(b"\x89PNG") or content.startswith(b"\xff\xd8"):
        return ""
    text = content.decode("utf-8", "replace")
    return re.sub(r"<[^>]+>", " ", text) + "\n" + text


def traces(text: str) -> list[str]:
    """Which of her identifiers the text holds (numbers also with separators)."""
    found = [n for n in (NIK, NIP, EMAIL, "Yusnimar", "Chaniago") if n.casefold() in
             text.casefold()]
    digits = re.sub(r"[\s.\-()]", "", text)
    if PHONE_DIGITS in digits:
        found.append("phone")
    if NIK in digits:
        found.append("nik digits")
    return found
