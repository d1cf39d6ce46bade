"""The Tangerang Selatan 2018 demo: the Pokja Kampung KB meeting (pertemuan) of the
officials of the city's 7 kecamatan and its offices (OPD), in an office of its own
(admin@tangsel.demo, the demo password). Each OPD presents its Kampung KB activities in
a time slot with a small PDF presentation; the delegates of each unit are checked in;
the BKKBN narasumber's slides wait on the participants' tickets.

`seed_office(db, password) -> Training` returns the meeting, so that the minutes and
follow-up actions of the same meeting can be seeded on top of it (demo_minutes).
People are invented; units and places are shaped like Tangerang Selatan's.
"""

import io
import random
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfgen import canvas
from sqlalchemy import insert
from sqlmodel import Session

from service.models import CheckIn, Organization, Training
from service.models.base import pk
from service.schemas.meetings import PresenterIn
from service.schemas.planning import (
    BatchCreate,
    SessionCreate,
    SpeakerCreate,
    TrainingCreate,
    VenueCreate,
)
from service.services import agenda, auth, registrations, speakers, trainings, units, venues
from service.services.meetings import delegates, materials, presenters

SEED = 3674  # Kota Tangerang Selatan's Kemendagri code
EMAIL = "admin@tangsel.demo"
ORG_NAME = "DPPKB Kota Tangerang Selatan"
TITLE = "Rapat Pokja Kampung KB Kota Tangerang Selatan"
DAY = date(2018, 10, 16)
DESCRIPTION = ("Rapat kerja Kelompok Kerja (Pokja) Kampung KB tingkat kota: paparan kegiatan "
               "setiap OPD di Kampung KB, laporan tujuh kecamatan, dan kesepakatan rencana "
               "tindak lanjut agar Kampung KB tetap berjalan setelah tahun pertama.")
VENUE = VenueCreate(name="Ruang Rapat Blandongan, Pusat Pemerintahan Kota Tangerang Selatan",
                    address="Jl. Maruga Raya No. 1, Serua, Ciputat", city="Tangerang Selatan",
                    rooms=["Ruang Blandongan"])
KECAMATAN = ("Ciputat", "Ciputat Timur", "Pamulang", "Pondok Aren", "Serpong",
             "Serpong Utara", "Setu")
# OPD, presenter, position, topic, minutes.
OPD = (
    ("DP3AKB", "Dra. Hj. Rahmawati Ningsih, M.Si.", "Kepala Bidang KB",
     "Capaian Kampung KB 2018 dan peran Pokja", 20),
    ("Dinas Kesehatan", "dr. Allin Hendalin Mahdaniar", "Kepala Dinas",
     "Posyandu, imunisasi dan pelayanan KB di puskesmas", 20),
    ("Disdukcapil", "Drs. Dedi Budiawan", "Kepala Bidang Pelayanan",
     "Akta kelahiran dan KIA untuk keluarga Kampung KB", 15),
    ("Bappeda", "Ir. Yuni Kartika", "Kepala Bidang Sosial Budaya",
     "Kampung KB dalam RKPD 2019", 15),
    ("Dinas Sosial", "Wahyu Hidayat, S.Sos.", "Sekretaris Dinas",
     "PKH dan bantuan sosial bagi keluarga prasejahtera", 15),
    ("Dinas Pendidikan dan Kebudayaan", "Siti Nurjanah, S.Pd., M.Pd.",
     "Kepala Bidang PAUD", "PAUD dan BKB terpadu", 15),
)
FIRST_NAMES = ("Ahmad", "Budi", "Cucu", "Dewi", "Eka", "Fitri", "Gunawan", "Hesti", "Iwan",
               "Juju", "Kurniasih", "Lilis", "Maman", "Nani", "Oman", "Puji", "Rina", "Sri",
               "Tati", "Ujang", "Yayah", "Zaenal", "Asep", "Nurhayati")
LAST_NAMES = ("Suherman", "Hidayat", "Rohaeti", "Setiawan", "Maryani", "Saputra", "Kurnia",
              "Rahayu", "Hermawan", "Komariah", "Sopandi", "Lestari")
DELEGATE_ROLES = ("Sekretaris Camat", "PKB/PLKB", "Ketua Pokja Kampung KB", "TP-PKK")


def _slides(unit: str, topic: str, name: str) -> bytes:
    """A small two-page landscape PDF standing in for the OPD's presentation."""
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=landscape(A4), invariant=True)
    width, height = landscape(A4)
    c.setTitle(f"{unit} - {topic}")
    c.setFillColor(colors.HexColor("#0f6e4f"))
    c.rect(0, height - 90, width, 90, stroke=0, fill=1)
    c.setFillColor(colors.white)
    c.setFont("Helvetica-Bold", 26)
    c.drawString(40, height - 58, unit)
    c.setFillColor(colors.black)
    c.setFont("Helvetica-Bold", 22)
    c.drawString(40, height - 160, topic)
    c.setFont("Helvetica", 15)
    c.drawString(40, height - 195, f"{name} - {TITLE}")
    c.drawString(40, height - 220, "Selasa, 16 Oktober 2018")
    c.showPage()
    c.setFont("Helvetica-Bold", 20)
    c.drawString(40, height - 60, "Kegiatan di Kampung KB")
    c.setFont("Helvetica", 14)
    for n, line in enumerate(("Sasaran: keluarga di 7 kecamatan",
                              "Capaian triwulan III 2018",
                              "Kendala dan usulan tindak lanjut")):
        c.drawString(60, height - 110 - 28 * n, f"{n + 1}. {line}")
    c.showPage()
    c.save()
    return out.getvalue()


def seed_office(db: Session, admin_password: str, admin_email: str = EMAIL) -> Training:
    """The meeting in an office of its own (Kota Tangerang Selatan) with its admin."""
    admin = auth.create_admin(db, admin_email, admin_password, ORG_NAME)
    admin.name = "Admin DPPKB Kota Tangerang Selatan"
    org = db.get(Organization, admin.organization_id)
    assert org is not None
    org.city = "Tangerang Selatan"
    db.add_all([admin, org])
    db.flush()
    return seed(db, pk(org), pk(admin))


def seed(db: Session, org_id: int, user_id: int) -> Training:
    """Seed the Pokja meeting into the organization; flushes, the caller commits.
    `user_id` is the committee member who checked the delegates in."""
    rng = random.Random(SEED)
    venue = venues.create_venue(db, org_id, VENUE)
    training = trainings.create_training(db, org_id, TrainingCreate(
        title=TITLE, kind="pertemuan", start_date=DAY, end_date=DAY,
        timezone="Asia/Jakarta", venue_id=venue.id, description=DESCRIPTION))
    batch = trainings.create_batch(db, training, BatchCreate(
        name="Rapat Pokja", start_date=DAY, end_date=DAY, capacity=60))
    kecamatan = [units.create_unit(db, org_id, f"Kecamatan {k}", "kecamatan",
                                   focal_name=f"Camat {k}",
                                   focal_phone=f"0812{SEED:04d}{n:04d}")
                 for n, k in enumerate(KECAMATAN, 1)]
    opd = [units.create_unit(db, org_id, name, "opd", focal_name=who,
                             focal_phone=f"0813{SEED:04d}{n:04d}")
           for n, (name, who, _pos, _topic, _min) in enumerate(OPD, 1)]

    bkkbn = speakers.create_speaker(db, org_id, SpeakerCreate(
        name="Drs. Sukaryo Teguh Santoso", title="M.Pd.",
        institution="Perwakilan BKKBN Provinsi Banten"))
    for title, kind, begins, ends, teachers in (
            ("Pembukaan dan arahan Wali Kota", "opening", time(8, 30), time(9, 0), []),
            ("Ishoma", "break", time(11, 0), time(12, 0), []),
            ("Kampung KB yang berkelanjutan: komunikasi, kolaborasi, evaluasi", "material",
             time(12, 0), time(13, 0), [pk(bkkbn)]),
            ("Diskusi dan kesepakatan rencana tindak lanjut", "material", time(13, 0),
             time(14, 30), []),
            ("Penutup", "closing", time(14, 30), time(15, 0), [])):
        session = agenda.save_session(db, org_id, batch, training, SessionCreate(
            title=title, date=DAY, start_time=begins, end_time=ends, kind=kind,
            jpl=1 if kind == "material" else 0, room="Ruang Blandongan",
            speaker_ids=teachers))
        if teachers:
            materials.add_material(db, session, training,
                                   _slides("Perwakilan BKKBN Provinsi Banten", title,
                                           bkkbn.name), "Kampung KB berkelanjutan.pdf",
                                   speaker=bkkbn)

    start = datetime.combine(DAY, time(9, 0))
    for n, (unit, (name, who, position, topic, minutes)) in enumerate(zip(opd, OPD, strict=True)):
        end = start + timedelta(minutes=minutes)
        presenter = presenters.create_presenter(db, training, PresenterIn(
            unit_id=unit.id, name=who, position=position, topic=topic, day=DAY,
            start_time=start.time(), end_time=end.time(), sort_order=n + 1))
        # One office still owes its slides: the page shows who has not uploaded.
        if name != "Dinas Sosial":
            presenters.set_file(db, presenter, _slides(name, topic, who),
                                f"Paparan {name} Pokja KB 2018.pdf")
        start = end

    checkins = _delegates(db, rng, training, batch, kecamatan, opd, user_id)
    db.connection().execute(insert(CheckIn.__table__), checkins)  # type: ignore[attr-defined]
    db.flush()
    return training


def _delegates(db: Session, rng: random.Random, training: Training, batch: Any,
               kecamatan: list[Any], opd: list[Any], user_id: int) -> list[dict[str, Any]]:
    """Four delegates per kecamatan and two per OPD, registered and linked to their unit;
    most are checked in between 08.00 and 08.45 WIB (two kecamatan came short)."""
    tz = ZoneInfo("Asia/Jakarta")
    out: list[dict[str, Any]] = []
    used: set[str] = set()
    phone = 0
    for unit, roles in ([(u, DELEGATE_ROLES) for u in kecamatan]
                        + [(u, ("Kepala Seksi", "Staf")) for u in opd]):
        for role in roles:
            name = ""
            while not name or name in used:
                name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
            used.add(name)
            phone += 1
            reg = registrations.register(db, training, {
                "name": name, "phone": f"0857{SEED:04d}{phone:04d}", "position": role,
                "institution": unit.name,
                "district": unit.name.removeprefix("Kecamatan ") if unit.kind == "kecamatan"
                else None, "regency": "Kota Tangerang Selatan"}, pk(batch), source="import")
            delegates.set_unit(db, reg, training, unit.id, None)
            short = unit.name in ("Kecamatan Setu", "Kecamatan Serpong Utara")
            if rng.random() < (0.5 if short else 0.92):
                at = datetime.combine(DAY, time(8, 0), tz).astimezone(UTC) + timedelta(
                    seconds=rng.randint(0, 2700))
                out.append({"registration_id": pk(reg), "batch_id": pk(batch), "day": DAY,
                            "slot": 0, "session_id": None, "scanned_at": at,
                            "recorded_at": at + timedelta(seconds=1),
                            "device_id": "hp-panitia", "method": "qr",
                            "nonce": f"tgs-{rng.getrandbits(96):024x}",
                            "user_id": user_id, "offline": False})
    return out
