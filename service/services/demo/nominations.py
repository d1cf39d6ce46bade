"""The Sumsel provincial workshop's nominations (issue 16): each of the 17 kabupaten/kota
was invited to name its delegates up to a quota (the 144 places: 9 for the first eight,
8 for the others, as the workshop's own list has them) by Friday 5 August 2022. Most units
named their full quota with the officials already registered, had them accepted and sent a
scanned surat tugas; three lag (fewer names than the quota, not all accepted, no letter).

The focal points and their contacts are invented; the units are the province's real ones.
"""

import io
import random
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas
from sqlmodel import Session, col, select

from service.models import Nominee, Participant, Registration, Training, TrainingUnit
from service.models.base import pk
from service.services import units as register
from service.services.demo.province import REGENCIES, ProvinceResult
from service.services.nominations import surat_tugas
from service.services.nominations import units as training_units

SEED = 2022
DEADLINE = date(2022, 8, 5)  # Jumat, 5 Agustus 2022 pukul 23.59 WIB
# The units still short of their quota when the deadline came.
LAGGING = ("Kabupaten Empat Lawang", "Kabupaten Musi Rawas Utara",
           "Kabupaten Penukal Abab Lematang Ilir")
FOCAL = ("Hj. Yuliana", "Rudi Hartono", "Siti Marlina", "Ahmad Syarifuddin", "Dewi Sartika",
         "M. Ikhsan", "Nurhasanah", "Firdaus", "Ratna Juwita", "Syamsul Bahri", "Fitriani",
         "Heri Susanto", "Kgs. Abdul Rahman", "Eka Putri", "Zulkarnain", "Rosmalina",
         "Andi Saputra")


def _letter_pdf(unit: str, names: list[str]) -> bytes:
    """A small scanned-looking surat tugas: the office, the letter's title and the names."""
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=A4)
    c.setTitle(f"Surat Tugas {unit}")
    c.setFont("Helvetica-Bold", 13)
    c.drawCentredString(297, 790, f"PEMERINTAH {unit.upper()}")
    c.setFont("Helvetica", 10)
    c.drawCentredString(297, 774, "Dinas Pengendalian Penduduk dan Keluarga Berencana")
    c.line(60, 766, 535, 766)
    c.setFont("Helvetica-Bold", 12)
    c.drawCentredString(297, 740, "SURAT TUGAS")
    c.setFont("Helvetica", 10)
    c.drawString(60, 712, "Menugaskan kepada nama-nama berikut untuk mengikuti Workshop Penguatan")
    c.drawString(60, 698, "Kampung KB Provinsi Sumatera Selatan, Palembang, 24-26 Agustus 2022:")
    for i, name in enumerate(names, start=1):
        c.drawString(75, 676 - 15 * i, f"{i}. {name}")
    c.drawString(360, 660 - 15 * len(names) - 30, "Kepala Dinas,")
    c.showPage()
    c.save()
    return out.getvalue()


def _people_by_regency(db: Session, training: Training
                       ) -> dict[str, list[tuple[Registration, Participant]]]:
    rows = db.exec(select(Registration, Participant)
                   .join(Participant, col(Participant.id) == Registration.participant_id)
                   .where(Registration.training_id == training.id)
                   .order_by(col(Registration.id))).all()
    out: dict[str, list[tuple[Registration, Participant]]] = defaultdict(list)
    for reg, person in rows:
        out[person.regency or ""].append((reg, person))
    return out


def seed_nominations(db: Session, province: ProvinceResult) -> list[TrainingUnit]:
    """The workshop's 17 training units with their delegates; flushes only. Returns the
    TrainingUnit rows in the order of REGENCIES."""
    training = db.get(Training, province.training_id)
    assert training is not None
    rng = random.Random(SEED)
    people = _people_by_regency(db, training)
    made: list[TrainingUnit] = []
    for n, regency in enumerate(REGENCIES):
        slug = regency.split(" ", 1)[1].lower().replace(" ", "")
        unit = register.find_unit(db, province.organization_id, regency) or register.create_unit(
            db, province.organization_id, regency, "kabupaten_kota", focal_name=FOCAL[n],
            focal_phone=f"+62812{7300000 + 1117 * n:07d}", focal_email=f"ppkb@{slug}.go.id")
        theirs = people.get(regency, [])
        tu = training_units.add_unit(db, training, unit_id=pk(unit), quota=len(theirs) or 8,
                                     deadline=DEADLINE)
        lagging = regency in LAGGING
        named = theirs[: len(theirs) - rng.randint(2, 4)] if lagging else theirs
        accepted = named[: len(named) // 2] if lagging else named
        sent = datetime(2022, 7, 18, 2, 0, tzinfo=UTC) + timedelta(days=n % 12,
                                                                  minutes=37 * n)
        nominees: list[Nominee] = []
        for i, (reg, person) in enumerate(named):
            took = i < len(accepted)  # a prefix of the named
            nominees.append(Nominee(
                training_unit_id=pk(tu), name=person.name, nip=person.nip or "",
                position=person.position or "", phone=person.phone or "",
                email=person.email or "", registration_id=reg.id if took else None,
                via_link=True, created_at=sent + timedelta(minutes=3 * i)))
            if took:
                reg.unit_id = unit.id
                db.add(reg)
        db.add_all(nominees)
        if not lagging:
            surat_tugas.attach(db, tu, _letter_pdf(regency, [p.name for _r, p in named]),
                               f"Surat Tugas {regency}.pdf", check_deadline=False,
                               now=sent + timedelta(days=1))
        made.append(tu)
    db.flush()
    return made

