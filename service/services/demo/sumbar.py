"""The demo's West Sumatra province office (Perwakilan BKKBN Provinsi Sumatera Barat) and
the offices around it: Padang shares its aggregates with it, so does Kota Bukittinggi (a
small 2019 orientation of its cadres), and Kabupaten Agam runs one too but has not
agreed, so the province's table (/province) shows two rows and never Agam.

Small on purpose (50 people in all): `bimtek demo` stays fast. Built through the services
a committee uses; the people are invented, their NIKs shaped like the region's (13.75
Bukittinggi, 13.06 Agam), their kecamatan and nagari/kelurahan real.
"""

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from faker import Faker
from sqlalchemy import insert
from sqlmodel import Session

from service.models import CheckIn, Organization, User
from service.models.base import pk
from service.models.province import PROVINCE
from service.schemas.certificates import SignatoryIn, TemplateUpdate
from service.schemas.kampung_kb import KampungKBCreate
from service.schemas.planning import BatchCreate, CategoryIn, SessionCreate, TrainingCreate
from service.services import agenda, auth, kampung_kb, meeting_days, registrations, trainings
from service.services.certificates import issuing
from service.services.certificates import template as templates
from service.services.province import sharing

SEED = 1300  # West Sumatra's province code
EMAIL = "admin@sumbar.demo"
ORG_NAME = "Perwakilan BKKBN Provinsi Sumatera Barat"
CATEGORIES = ("Kader BKB", "Kader BKR", "Kader BKL", "PIK R")
# (title, start, end, JPL) of each office's two days: the same small agenda.
AGENDA = (("Kebijakan Program Bangga Kencana dan Kampung KB", 0, "08:30", "10:00", 2),
          ("Pengelolaan Poktan BKB, BKR dan BKL", 0, "10:15", "11:45", 2),
          ("Pencatatan dan Pelaporan Poktan", 1, "08:30", "10:00", 2))
PHONE_PREFIXES = ("812", "813", "821", "822", "852", "853")


@dataclass(frozen=True)
class SmallOffice:
    name: str
    city: str
    email: str
    regency_code: int  # Kemendagri 13.xx
    regency: str
    # kecamatan -> (its code, its nagari or kelurahan that run a Kampung KB)
    kecamatan: dict[str, tuple[int, tuple[str, ...]]]
    title: str
    start: date
    people: int
    target: int
    shares: bool


BUKITTINGGI = SmallOffice(
    name="DPPKB Kota Bukittinggi", city="Bukittinggi", email="admin@bukittinggi.demo",
    regency_code=75, regency="Kota Bukittinggi",
    kecamatan={"Guguk Panjang": (1, ("Benteng Pasar Atas", "Bukit Cangang Kayu Ramang")),
               "Mandiangin Koto Selayan": (2, ("Campago Ipuh", "Puhun Tembok")),
               "Aur Birugo Tigo Baleh": (3, ("Aur Kuning", "Birugo"))},
    title="Orientasi Kader Poktan Kampung KB Kota Bukittinggi", start=date(2019, 7, 16),
    people=30, target=24, shares=True)
AGAM = SmallOffice(
    name="DPPKBPPPA Kabupaten Agam", city="Lubuk Basung", email="admin@agam.demo",
    regency_code=6, regency="Kabupaten Agam",
    kecamatan={"Lubuk Basung": (12, ("Manggopoh", "Garagahan")),
               "Tanjung Raya": (7, ("Maninjau", "Koto Malintang"))},
    title="Pelatihan Kader Kampung KB Kabupaten Agam", start=date(2019, 10, 8),
    people=20, target=82, shares=False)


@dataclass(frozen=True)
class SumbarResult:
    organization_id: int
    summary: str


def _nik(rng: random.Random, office: SmallOffice, kec: int, woman: bool,
         seen: set[str]) -> str:
    birth = date(rng.randint(1965, 1995), 1, 1) + timedelta(days=rng.randint(0, 364))
    prefix = (f"13{office.regency_code:02d}{kec:02d}{birth.day + (40 if woman else 0):02d}"
              f"{birth.month:02d}{birth.year % 100:02d}")
    serial = rng.randint(1, 80)
    while f"{prefix}{serial:04d}" in seen:
        serial += 1
    seen.add(f"{prefix}{serial:04d}")
    return f"{prefix}{serial:04d}"


def _people(rng: random.Random, fake: Faker, office: SmallOffice) -> list[dict[str, Any]]:
    places = [(kec, code, village) for kec, (code, villages) in office.kecamatan.items()
              for village in villages]
    seen: set[str] = set()
    out = []
    for n in range(office.people):
        kecamatan, code, village = places[n % len(places)]
        woman = rng.random() < 0.85
        name = (f"{fake.first_name_female()} {fake.last_name_female()}" if woman
                else f"{fake.first_name_male()} {fake.last_name_male()}")
        out.append({"name": name, "nik": _nik(rng, office, code, woman, seen),
                    "phone": f"0{rng.choice(PHONE_PREFIXES)}{rng.randint(10**7, 10**8 - 1)}",
                    "category": CATEGORIES[n % len(CATEGORIES)], "village": village,
                    "district": kecamatan, "regency": office.regency,
                    "province": "Sumatera Barat", "kampung_kb": f"Kampung KB {village}"})
    return out


def _check_ins(rng: random.Random, batch_id: int, days: list[date], rows: list[int],
               user_id: int) -> list[dict[str, Any]]:
    """Most came both days (WIB, 07.30 to 08.30); a few missed one."""
    tz = ZoneInfo("Asia/Jakarta")
    out = []
    for day in days:
        for rid in rows:
            if rng.random() < 0.12:
                continue
            at = datetime.combine(day, time(7, 30), tz).astimezone(UTC) + timedelta(
                seconds=rng.randint(0, 3600))
            out.append({"registration_id": rid, "batch_id": batch_id, "day": day, "slot": 0,
                        "session_id": None, "scanned_at": at,
                        "recorded_at": at + timedelta(seconds=1), "device_id": "hp-panitia",
                        "method": "qr", "nonce": f"sb-{rng.getrandbits(96):024x}",
                        "user_id": user_id, "offline": False})
    return out


def _office(db: Session, office: SmallOffice, password_hash: str, rng: random.Random,
            fake: Faker) -> tuple[Organization, User, int]:
    """The office, its admin, its register and its one training; how many it trained."""
    org = auth.get_or_create_organization(db, office.name)
    org.city, org.kampung_kb_target = office.city, office.target
    # The same password as the other demo logins, without hashing it once more (a hash
    # carries its own salt): the demo stays quick.
    admin = User(organization_id=pk(org), email=office.email, name=f"Admin {office.name}",
                 role="admin", password_hash=password_hash)
    db.add_all([org, admin])
    db.flush()
    org_id = pk(org)
    for kecamatan, (_code, villages) in office.kecamatan.items():
        for village in villages:
            kampung_kb.create_kampung_kb(db, org_id, KampungKBCreate(
                name=f"Kampung KB {village}", village=village, district=kecamatan,
                year_formed=rng.choice((2016, 2017, 2018)),
                poktan=["BKB", "BKR", "BKL"] + (["PIK-R"] if rng.random() < 0.5 else [])))
    end = office.start + timedelta(days=1)
    training = trainings.create_training(db, org_id, TrainingCreate(
        title=office.title, kind="pelatihan", start_date=office.start, end_date=end,
        timezone="Asia/Jakarta", categories=[CategoryIn(name=c) for c in CATEGORIES]))
    batch = trainings.create_batch(db, training, BatchCreate(
        name="Angkatan I", start_date=office.start, end_date=end, capacity=office.people))
    for title, day, start, finish, jpl in AGENDA:
        agenda.save_session(db, org_id, batch, training, SessionCreate(
            title=title, date=office.start + timedelta(days=day),
            start_time=time.fromisoformat(start), end_time=time.fromisoformat(finish),
            kind="material", jpl=jpl))
    rows = [pk(registrations.register(db, training, raw, pk(batch), source="import"))
            for raw in _people(rng, fake, office)]
    came = _check_ins(rng, pk(batch), meeting_days.days_of(batch), rows, pk(admin))
    db.connection().execute(insert(CheckIn.__table__), came)  # type: ignore[attr-defined]
    kampung_kb.match_participants(db, org_id)
    templates.save(db, training, pk(admin), templates.draft(
        templates.current(db, training), TemplateUpdate(
            title="SERTIFIKAT", place=office.city, issue_date=end,
            numbering_pattern="{seq:03}/SERT/KKB/{roman_month}/{year}", rule="all_days",
            min_percent=100, use_background=False,
            signatories=[SignatoryIn(name="Drs. H. Syafrizal Datuak Bandaro",
                                     title=f"Kepala {office.name}", nip="")])))
    issuing.issue(db, training, pk(admin), batch_id=pk(batch))
    return org, admin, len({r["registration_id"] for r in came})


def seed_sumbar(db: Session, admin_password: str, padang_id: int, padang_admin_id: int,
                admin_email: str = EMAIL) -> SumbarResult:
    """The province office with its admin, Padang's agreement, and the two small offices;
    flushes, the caller commits."""
    rng = random.Random(SEED)
    fake = Faker("id_ID")
    fake.seed_instance(SEED)
    admin = auth.create_admin(db, admin_email, admin_password, ORG_NAME)
    admin.name = "Admin Perwakilan BKKBN Sumbar"
    province = db.get(Organization, admin.organization_id)
    assert province is not None
    province.city = "Padang"
    db.add_all([admin, province])
    sharing.set_kind(db, province, PROVINCE)
    padang_admin = db.get(User, padang_admin_id)
    assert padang_admin is not None
    sharing.share(db, padang_id, pk(province), padang_admin)
    trained = {}
    for office in (BUKITTINGGI, AGAM):
        org, office_admin, trained[office.name] = _office(db, office, admin.password_hash,
                                                          rng, fake)
        if office.shares:
            sharing.share(db, pk(org), pk(province), office_admin)
    summary = (f"{ORG_NAME}: Kota Padang dan {BUKITTINGGI.city} berbagi rekap "
               f"({trained[BUKITTINGGI.name]} kader Bukittinggi hadir), {AGAM.regency} "
               "belum berbagi")
    return SumbarResult(organization_id=pk(province), summary=summary)
