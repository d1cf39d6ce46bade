"""The people and places of bench_province's organizations: office names, kecamatan and
kelurahan, the Kampung KB register, and persons as offices' sheets have them (titles
before and after the name, 16-digit NIKs, NIPs of civil servants, phones).

Names come from a few hundred of Faker's id_ID names combined at random (calling Faker
150,000 times would take longer than the rest of the build, as in checkin_data)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from faker import Faker

from service.i18n.names import sort_key
from service.models.kampung_kb import POKTAN
from service.services.participant_fields import contact_key

PROVINCE = "Sumatera Barat"
PROVINCE_CODE = 13
OFFICES = ("DP3AP2KB", "Dinas PPKB", "DPPKB", "Dinas P2KB", "DP2KBP3A")
PLACE_A = ("Sungai", "Koto", "Air", "Tanjung", "Padang", "Bukit", "Lubuk", "Teluk", "Pasir",
           "Batu", "Pulau", "Parak", "Sawah", "Talang", "Muara", "Tebing", "Ujung", "Simpang",
           "Lambung", "Limau")
PLACE_B = ("Tawar", "Baru", "Lama", "Gadang", "Ketek", "Jaya", "Makmur", "Indah", "Permai",
           "Sari", "Raya", "Panjang", "Kuning", "Hijau", "Merah", "Putih", "Tinggi", "Besar",
           "Emas", "Intan", "Manis", "Kapur")
PLACE_C = ("", " Barat", " Timur", " Utara", " Selatan", " Tengah", " Hilir", " Hulu")
FLOWERS = ("Melati", "Mawar", "Anggrek", "Kenanga", "Cempaka", "Seroja", "Dahlia", "Teratai",
           "Flamboyan", "Bougenville", "Kamboja", "Tanjung", "Asoka", "Sakura", "Lily")
# (category, weight among cadres, share of women, ages, positions)
ROLES: tuple[tuple[str, int, float, tuple[int, int], tuple[str, ...]], ...] = (
    ("Kader BKB", 25, 0.95, (25, 60), ("Ketua BKB", "Kader BKB", "Sekretaris BKB")),
    ("Kader BKR", 20, 0.9, (25, 60), ("Ketua BKR", "Kader BKR")),
    ("Kader BKL", 15, 0.85, (35, 65), ("Ketua BKL", "Kader BKL")),
    ("UPPKS", 12, 0.9, (30, 60), ("Ketua UPPKS", "Bendahara UPPKS", "Anggota UPPKS")),
    ("PIK-R", 8, 0.6, (18, 30), ("Ketua PIK-R", "Pendidik Sebaya", "Konselor Sebaya")),
    ("PKB", 8, 0.6, (28, 58), ("Penyuluh KB Ahli Muda", "Penyuluh KB Ahli Pertama",
                                "PLKB")),
    ("TP-PKK Kelurahan", 6, 1.0, (30, 62), ("Ketua TP-PKK", "Sekretaris TP-PKK")),
    ("Pokja Kampung KB", 6, 0.7, (30, 62), ("Ketua Pokja", "Sekretaris Pokja",
                                             "Anggota Pokja")),
)
CATEGORIES = tuple(r[0] for r in ROLES)
PHONE_PREFIXES = ("811", "812", "813", "821", "822", "852", "853", "823", "857", "878")
WOMEN_FRONT = (("Hj. ", 0.16), ("Ny. ", 0.03), ("Dra. ", 0.02), ("dr. ", 0.01))
MEN_FRONT = (("H. ", 0.12), ("Drs. ", 0.04), ("Ir. ", 0.02), ("dr. ", 0.01))
DEGREES = (", S.Pd", ", S.Pd.", ", S.Sos", ", S.KM", ", A.Md.Keb", ", S.ST", ", M.Si",
           ", S.E.", ", S.H.", ", S.Pd.I")


@dataclass(frozen=True)
class Place:
    district: str  # kecamatan
    district_code: int
    village: str  # kelurahan/desa


@dataclass(frozen=True)
class Person:
    id: int
    name: str
    role: str  # a category name of ROLES
    kampung_kb_id: int
    contact_key: str | None


def name_pools(seed: int) -> dict[str, list[str]]:
    fake = Faker("id_ID")
    fake.seed_instance(seed)
    return {"ff": [fake.first_name_female() for _ in range(600)],
            "fl": [fake.last_name_female() for _ in range(300)],
            "mf": [fake.first_name_male() for _ in range(600)],
            "ml": [fake.last_name_male() for _ in range(300)]}


def place_names(rng: random.Random, n: int, taken: set[str] | None = None) -> list[str]:
    seen = taken if taken is not None else set()
    out: list[str] = []
    while len(out) < n:
        name = f"{rng.choice(PLACE_A)} {rng.choice(PLACE_B)}{rng.choice(PLACE_C)}"
        if name not in seen:
            seen.add(name)
            out.append(name)
    return out


def organization_names(rng: random.Random, n: int) -> list[tuple[str, str]]:
    """(office name, its kabupaten/kota) for n offices, each name once."""
    out = []
    for i, place in enumerate(place_names(rng, n)):
        regency = f"{'Kota' if i % 5 == 0 else 'Kabupaten'} {place}"
        out.append((f"{OFFICES[i % len(OFFICES)]} {regency}", regency))
    return out


def places(rng: random.Random, villages: int) -> list[Place]:
    districts = place_names(rng, max(4, villages // 10))
    names = place_names(rng, villages)
    return [Place(districts[i % len(districts)], i % len(districts) + 1, v)
            for i, v in enumerate(names)]


def kampung_kb_rows(rng: random.Random, org_id: int, first_id: int, where: list[Place],
                    now: datetime) -> list[tuple[Any, ...]]:
    rows = []
    for i, place in enumerate(where):
        runs = [p for p in POKTAN if rng.random() < 0.7] or [rng.choice(POKTAN)]
        rows.append((first_id + i, org_id, f"Kampung KB {rng.choice(FLOWERS)}",
                     place.village, place.district, rng.randint(2016, 2023), ",".join(runs), now))
    return rows


def _name(rng: random.Random, pools: dict[str, list[str]], woman: bool, age: int) -> str:
    if woman:
        name = rng.choice(pools["ff"])
        if rng.random() < 0.6:
            name += " " + rng.choice(pools["fl"])
        fronts = WOMEN_FRONT
    else:
        name = f"{rng.choice(pools['mf'])} {rng.choice(pools['ml'])}"
        fronts = MEN_FRONT
    if name.startswith("Nur") and len(name) > 4 and rng.random() < 0.3:
        name = f"Nur'{name[3:]}"  # "Nur'aini"
    for title, share in fronts:
        if (age >= 40 or not title.startswith("H")) and rng.random() < share:
            name = title + name
            break
    if rng.random() < 0.12:
        name += rng.choice(DEGREES)
    return name


def person_rows(rng: random.Random, pools: dict[str, list[str]], org_id: int, org_index: int,
                regency: str, first_id: int, count: int, kkb: list[tuple[Any, ...]],
                phones: set[str], now: datetime
                ) -> tuple[list[tuple[object, ...]], list[Person]]:
    """`count` persons of one office: (participant rows, who they are)."""
    weights = [r[1] for r in ROLES]
    niks: set[str] = set()
    rows: list[tuple[object, ...]] = []
    people: list[Person] = []
    for i in range(count):
        role, _w, women, ages, positions = rng.choices(ROLES, weights)[0]
        woman = rng.random() < women
        age = rng.randint(*ages)
        birth = date(2024 - age, 1, 1) + timedelta(days=rng.randint(0, 364))
        name = _name(rng, pools, woman, age)
        home = kkb[rng.randrange(len(kkb))]
        kkb_id, kkb_name, village, district = home[0], home[2], home[3], home[4]
        nik = None
        if rng.random() < 0.9:
            day = birth.day + 40 if woman else birth.day
            prefix = (f"{PROVINCE_CODE}{org_index % 100:02d}{rng.randint(1, 30):02d}"
                      f"{day:02d}{birth.month:02d}{birth.year % 100:02d}")
            serial = rng.randint(1, 80)
            while f"{prefix}{serial:04d}" in niks:
                serial += 1
            nik = f"{prefix}{serial:04d}"
            niks.add(nik)
        nip = None
        if role == "PKB" or rng.random() < 0.04:
            nip = (f"{birth:%Y%m%d}{rng.randint(2000, 2020)}{rng.randint(1, 12):02d}"
                   f"{2 if woman else 1}{rng.randint(1, 999):03d}")
        phone = None
        if rng.random() < 0.95:
            phone = f"+62{rng.choice(PHONE_PREFIXES)}{rng.randint(10**7, 10**9 - 1)}"
            while phone in phones:
                phone = f"+62{rng.choice(PHONE_PREFIXES)}{rng.randint(10**7, 10**9 - 1)}"
            phones.add(phone)
        email = None
        if rng.random() < 0.15:
            email = f"{sort_key(name).split()[0]}{rng.randint(1, 999)}@gmail.com"
        linked = kkb_id if rng.random() < 0.85 else None
        institution = (f"Balai Penyuluhan KB Kec. {district}" if role == "PKB"
                       else f"{role} Kel. {village}")
        pid = first_id + i
        rows.append((pid, org_id, nik, name, "P" if woman else "L", birth, phone, email,
                     institution, rng.choice(positions), None, nip, village, district, regency,
                     PROVINCE, kkb_name, linked, sort_key(name), nik[::-1] if nik else None,
                     phone[::-1] if phone else None,
                     now - timedelta(days=rng.randint(0, 1800))))
        people.append(Person(pid, name, role, kkb_id, contact_key(phone, name)))
    return rows, people


PARTICIPANT_COLUMNS = ("id", "organization_id", "nik", "name", "gender", "birth_date", "phone",
                       "email", "institution", "position", "rank", "nip", "village", "district",
                       "regency", "province", "kampung_kb", "kampung_kb_id", "sort_name",
                       # Kept by the model's events in the app; the bulk load sets them.
                       "nik_reversed", "phone_reversed", "created_at")
KAMPUNG_KB_COLUMNS = ("id", "organization_id", "name", "village", "district", "year_formed",
                      "poktan", "created_at")


def build_time() -> datetime:
    """The rows' created_at: fixed, so that a rebuild makes the same database."""
    return datetime(2026, 1, 5, 2, 0, tzinfo=UTC)
