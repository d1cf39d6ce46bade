"""The demo's provincial workshop: Palembang, August 2022, 144 officials of the 17
kabupaten/kota of Sumatera Selatan (Bappeda, Dinas Kesehatan, Dinas PMD and Dinas PPKB of
each), three days at a hotel with a field visit on day 3 to Kampung KB Seroja in Desa
Sembadak, Ogan Ilir. Its own office (the BKKBN's provincial representation) and admin,
beside the Padang training; built through the services a committee uses.

The persons are invented; the places, offices and the shape of the event are real (a press
report of the 2022 workshop, design.md).
"""

import random
from dataclasses import dataclass
from datetime import date, time, timedelta

from faker import Faker
from sqlmodel import Session

from service.models import Organization, Participant, Registration, Training
from service.models.base import pk
from service.schemas.planning import (
    BatchCreate,
    CategoryIn,
    SessionCreate,
    SessionKind,
    SpeakerCreate,
    TrainingCreate,
    VenueCreate,
)
from service.services import (
    agenda,
    assignment,
    auth,
    places,
    registrations,
    seats,
    speakers,
    trainings,
    venues,
)
from service.services.participant_fields import contact_key

SEED = 2022
EMAIL = "admin@sumsel.demo"
ORG_NAME = "Perwakilan BKKBN Provinsi Sumatera Selatan"
TITLE = "Workshop Penguatan Kampung KB Provinsi Sumatera Selatan"
DESCRIPTION = (
    "Workshop tiga hari bagi pejabat Bappeda, Dinas Kesehatan, Dinas PMD dan Dinas PPKB "
    "dari 17 kabupaten/kota se-Sumatera Selatan, diselenggarakan Perwakilan BKKBN Provinsi "
    "Sumatera Selatan bersama Dinas PPKB kabupaten/kota, dengan kunjungan lapangan ke "
    "Kampung KB Seroja, Desa Sembadak, Kabupaten Ogan Ilir.")
FIRST_DAY = date(2022, 8, 24)
DAYS = 3
HOTEL = VenueCreate(name="Hotel Aryaduta Palembang", address="Jl. POM IX, Lorok Pakjo, Palembang",
                    city="Palembang", rooms=["Ballroom Musi"])
ROOM = "Ballroom Musi"
FIELD_VISIT = VenueCreate(name="Kampung KB Seroja, Desa Sembadak",
                          address="Kabupaten Ogan Ilir", city="Ogan Ilir")

# The 17 kabupaten/kota of Sumatera Selatan.
REGENCIES = (
    "Kabupaten Banyuasin", "Kabupaten Empat Lawang", "Kabupaten Lahat",
    "Kabupaten Muara Enim", "Kabupaten Musi Banyuasin", "Kabupaten Musi Rawas",
    "Kabupaten Musi Rawas Utara", "Kabupaten Ogan Ilir", "Kabupaten Ogan Komering Ilir",
    "Kabupaten Ogan Komering Ulu", "Kabupaten OKU Selatan", "Kabupaten OKU Timur",
    "Kabupaten Penukal Abab Lematang Ilir", "Kota Lubuklinggau", "Kota Pagar Alam",
    "Kota Palembang", "Kota Prabumulih",
)
# The four offices each kabupaten/kota sends: (category, how the office names itself,
# the positions its delegates hold with their usual pangkat/golongan).
OFFICES: tuple[tuple[str, str, tuple[tuple[str, tuple[str, ...]], ...]], ...] = (
    ("Bappeda", "Bappeda", (
        ("Kepala Bidang Pemerintahan dan Pembangunan Manusia",
         ("Pembina (IV/a)", "Pembina Tk. I (IV/b)")),
        ("Kepala Subbidang Sosial dan Budaya", ("Penata Tk. I (III/d)", "Pembina (IV/a)")),
        ("Perencana Ahli Muda", ("Penata (III/c)", "Penata Tk. I (III/d)")))),
    ("Dinas Kesehatan", "Dinas Kesehatan", (
        ("Kepala Bidang Kesehatan Masyarakat", ("Pembina (IV/a)", "Pembina Tk. I (IV/b)")),
        ("Kepala Seksi Kesehatan Keluarga dan Gizi", ("Penata Tk. I (III/d)",)),
        ("Nutrisionis Ahli Muda", ("Penata (III/c)", "Penata Tk. I (III/d)")))),
    ("Dinas PMD", "Dinas Pemberdayaan Masyarakat dan Desa", (
        ("Kepala Bidang Pemberdayaan Masyarakat Desa", ("Pembina (IV/a)",)),
        ("Kepala Seksi Kelembagaan Desa", ("Penata Tk. I (III/d)", "Penata (III/c)")),
        ("Analis Pemberdayaan Masyarakat", ("Penata Muda Tk. I (III/b)", "Penata (III/c)")))),
    ("Dinas PPKB", "Dinas Pengendalian Penduduk dan Keluarga Berencana", (
        ("Kepala Bidang Keluarga Berencana", ("Pembina (IV/a)", "Pembina Tk. I (IV/b)")),
        ("Kepala Seksi Advokasi, Penggerakan dan Informasi", ("Penata Tk. I (III/d)",)),
        ("Penyuluh KB Ahli Madya", ("Pembina (IV/a)", "Penata Tk. I (III/d)")))),
)
PER_OFFICE = 2  # delegates of each office of each kabupaten/kota
# 17 x 4 x 2 = 136; the first eight kabupaten/kota bring a third PPKB official: 144.
EXTRA_PPKB = 8
TOTAL = len(REGENCIES) * len(OFFICES) * PER_OFFICE + EXTRA_PPKB

SPEAKERS: dict[str, SpeakerCreate] = {
    "bkkbn": SpeakerCreate(
        name="Dr. Hj. Rahmawati Sulaiman", title="S.K.M., M.Kes.",
        position="Koordinator Bidang Keluarga Berencana dan Kesehatan Reproduksi",
        institution="Perwakilan BKKBN Provinsi Sumatera Selatan", phone="+6281273410522"),
    "bappeda": SpeakerCreate(
        name="Ir. H. Ahmad Fauzi Husin", title="M.T.",
        position="Kepala Bidang Pemerintahan dan Pembangunan Manusia",
        institution="Bappeda Provinsi Sumatera Selatan", phone="+6281367702314"),
    "dinkes": SpeakerCreate(
        name="dr. Nyimas Ratna Dewi", title="M.Kes.",
        position="Kepala Bidang Kesehatan Masyarakat",
        institution="Dinas Kesehatan Provinsi Sumatera Selatan", phone="+6282178830145"),
    "pmd": SpeakerCreate(
        name="Drs. Kgs. Muhammad Ridwan", title="M.Si.",
        position="Kepala Bidang Pemberdayaan Masyarakat Desa",
        institution="Dinas PMD Provinsi Sumatera Selatan", phone="+6281271559063"),
    "ppkb": SpeakerCreate(
        name="Hj. Siti Rohani", title="S.Sos., M.Si.",
        position="Kepala Bidang Pengendalian Penduduk",
        institution="Dinas PPPA dan PPKB Provinsi Sumatera Selatan", phone="+6285267331290"),
}

# (day, start, end, title, kind, JPL, narasumber keys, held at the hotel on day 3)
AGENDA: tuple[tuple[int, str, str, str, SessionKind, int, tuple[str, ...], bool], ...] = (
    (0, "08:00", "09:00", "Registrasi peserta", "opening", 0, (), False),
    (0, "09:00", "09:45", "Pembukaan", "opening", 0, (), False),
    (0, "09:45", "10:00", "Rehat kopi", "break", 0, (), False),
    (0, "10:00", "11:30", "Kebijakan dan Strategi Penguatan Kampung KB", "material", 2,
     ("bkkbn",), False),
    (0, "11:30", "13:00", "Kampung KB dalam Perencanaan Pembangunan Daerah", "material", 2,
     ("bappeda",), False),
    (0, "13:00", "14:00", "Ishoma", "break", 0, (), False),
    (0, "14:00", "15:30", "Percepatan Penurunan Stunting di Kampung KB", "material", 2,
     ("dinkes",), False),
    (0, "15:30", "17:00", "Dana Desa untuk Kegiatan Kampung KB", "material", 2, ("pmd",),
     False),
    (1, "08:00", "09:30", "Peran OPD KB Kabupaten/Kota dalam Pengelolaan Kampung KB",
     "material", 2, ("ppkb",), False),
    (1, "09:30", "11:00", "Rumah Data Kependudukan dan Pelaporan Kampung KB", "material", 2,
     ("bkkbn",), False),
    (1, "11:00", "11:15", "Rehat kopi", "break", 0, (), False),
    (1, "11:15", "12:45", "Diskusi kelompok: rencana kerja Kampung KB per kabupaten/kota",
     "material", 2, ("bappeda", "ppkb"), False),
    (1, "12:45", "13:45", "Ishoma", "break", 0, (), False),
    (1, "13:45", "15:15", "Presentasi hasil diskusi kelompok", "material", 2,
     ("bkkbn", "pmd"), False),
    (1, "15:15", "16:00", "Persiapan kunjungan lapangan", "material", 1, ("ppkb",), False),
    (2, "07:00", "08:30", "Perjalanan ke Desa Sembadak, Ogan Ilir", "field_visit", 0, (),
     False),
    (2, "08:30", "11:30", "Kunjungan lapangan Kampung KB Seroja: Rumah Data, BKB dan UPPKA",
     "field_visit", 4, ("bkkbn", "ppkb"), False),
    (2, "11:30", "13:00", "Ishoma dan perjalanan kembali ke Palembang", "break", 0, (),
     False),
    # Back at the hotel for the close: a session with a place of its own.
    (2, "14:00", "15:30", "Rencana tindak lanjut per kabupaten/kota", "closing", 2,
     ("bkkbn",), True),
    (2, "15:30", "16:00", "Penutupan", "closing", 0, (), True),
)

MEN_TITLES = ("", "", "", "H. ", "Drs. ", "Ir. ", "Kgs. ", "Mgs. ", "dr. ")
WOMEN_TITLES = ("", "", "", "Hj. ", "Dra. ", "Nyimas ", "R.A. ", "dr. ")
DEGREES = {
    "Bappeda": (", S.E.", ", S.T.", ", S.E., M.Si.", ", S.T., M.T.", ", S.P., M.Si."),
    "Dinas Kesehatan": (", S.K.M.", ", S.K.M., M.Kes.", ", S.Gz.", ", S.Kep., Ns.", ", A.Md.Keb."),
    "Dinas PMD": (", S.Sos.", ", S.IP.", ", S.Sos., M.Si.", ", S.H.", ", S.E."),
    "Dinas PPKB": (", S.Sos.", ", S.K.M.", ", S.Psi.", ", S.Sos., M.Si.", ", S.Pd."),
}
PHONE_PREFIXES = ("811", "812", "813", "821", "822", "852", "853", "877", "895")


@dataclass
class ProvinceResult:
    training_id: int
    organization_id: int
    batch_id: int
    field_visit_day: date
    summary: str


def nip(rng: random.Random, birth: date, woman: bool, seen: set[str]) -> str:
    """A NIP that parse_nip accepts: birth date, appointment month (TMT), gender, serial."""
    tmt = (min(birth.year + rng.randint(23, 31), 2021), rng.randint(1, 12))
    stem = f"{birth:%Y%m%d}{tmt[0]}{tmt[1]:02d}{2 if woman else 1}"
    serial = rng.randint(1, 20)
    while f"{stem}{serial:03d}" in seen:
        serial += 1
    seen.add(f"{stem}{serial:03d}")
    return f"{stem}{serial:03d}"


def _name(fake: Faker, rng: random.Random, woman: bool, category: str) -> str:
    given = (f"{fake.first_name_female()} {fake.last_name_female()}" if woman
             else f"{fake.first_name_male()} {fake.last_name_male()}")
    title = rng.choice(WOMEN_TITLES if woman else MEN_TITLES)
    if title == "dr. ":
        return f"dr. {given}" + (", M.Kes." if rng.random() < 0.5 else "")
    degree = rng.choice(DEGREES[category])
    if title in ("Drs. ", "Dra. "):
        degree = ", M.Si." if rng.random() < 0.6 else ""
    return f"{title}{given}{degree}"


def participants(org_id: int, seed: int = SEED) -> list[tuple[Participant, str]]:
    """The 144 officials with their category, the same for the same seed."""
    rng = random.Random(seed)
    fake = Faker("id_ID")
    fake.seed_instance(seed)
    nips: set[str] = set()
    phones: set[str] = set()
    out: list[tuple[Participant, str]] = []
    for n, regency in enumerate(REGENCIES):
        for category, office, posts in OFFICES:
            count = PER_OFFICE + (1 if category == "Dinas PPKB" and n < EXTRA_PPKB else 0)
            for i in range(count):
                position, ranks = posts[i % len(posts)]
                woman = rng.random() < 0.45
                birth = date(rng.randint(1966, 1992), 1, 1) + timedelta(days=rng.randint(0, 364))
                phone = f"+62{rng.choice(PHONE_PREFIXES)}{rng.randint(10**7, 10**8 - 1)}"
                while phone in phones:
                    phone = f"+62{rng.choice(PHONE_PREFIXES)}{rng.randint(10**7, 10**8 - 1)}"
                phones.add(phone)
                out.append((Participant(
                    organization_id=org_id, name=_name(fake, rng, woman, category),
                    nip=nip(rng, birth, woman, nips), gender="P" if woman else "L",
                    birth_date=birth, phone=phone, institution=f"{office} {regency}",
                    position=position, rank=rng.choice(ranks), regency=regency,
                    province="Sumatera Selatan"), category))
    return out


def _agenda(db: Session, org_id: int, training: Training, batch_id: int,
            speaker_ids: dict[str, int]) -> None:
    batch, _ = trainings.get_batch(db, org_id, batch_id)
    for day, start, end, title, kind, jpl, keys, at_hotel in AGENDA:
        agenda.save_session(db, org_id, batch, training, SessionCreate(
            title=title, date=FIRST_DAY + timedelta(days=day), start_time=time.fromisoformat(start),
            end_time=time.fromisoformat(end), kind=kind, jpl=jpl,
            # The hotel's ballroom, except on the road and in the village.
            room=ROOM if kind != "break" and (day < 2 or at_hotel) else None,
            venue=HOTEL.name if at_hotel else None,
            speaker_ids=[speaker_ids[k] for k in keys]))


def seed_province(db: Session, admin_password: str, admin_email: str = EMAIL
                  ) -> ProvinceResult:
    """Seed the workshop into the session with its office and admin; flushes only."""
    admin = auth.create_admin(db, admin_email, admin_password, ORG_NAME)
    admin.name = "Admin Perwakilan BKKBN Sumsel"
    org = db.get(Organization, admin.organization_id)
    assert org is not None
    org_id = pk(org)
    org.city = "Palembang"
    # A BKKBN Perwakilan: offices of its province may share their figures with it.
    org.kind = "province"
    db.add_all([admin, org])

    hotel = venues.create_venue(db, org_id, HOTEL)
    field = venues.create_venue(db, org_id, FIELD_VISIT)
    categories = [(category, len(REGENCIES) * PER_OFFICE
                   + (EXTRA_PPKB if category == "Dinas PPKB" else 0))
                  for category, _office, _posts in OFFICES]
    training = trainings.create_training(db, org_id, TrainingCreate(
        title=TITLE, kind="workshop", start_date=FIRST_DAY,
        end_date=FIRST_DAY + timedelta(days=DAYS - 1), timezone="Asia/Jakarta",
        venue_id=hotel.id, description=DESCRIPTION, region_level="regency",
        categories=[CategoryIn(name=n, quota=q) for n, q in categories]))
    batch = trainings.create_batch(db, training, BatchCreate(
        name="Angkatan I", start_date=training.start_date, end_date=training.end_date,
        capacity=TOTAL))
    visit = FIRST_DAY + timedelta(days=DAYS - 1)
    places.set_day_place(db, org_id, batch, visit, venue_id=field.id)
    speaker_ids = {k: pk(speakers.create_speaker(db, org_id, s)) for k, s in SPEAKERS.items()}
    _agenda(db, org_id, training, pk(batch), speaker_ids)

    people = participants(org_id)
    db.add_all([p for p, _c in people])
    db.flush()
    by_name = {c.name: c for c in registrations.categories_of(db, pk(training))}
    for person, category in people:
        db.add(Registration(training_id=pk(training), participant_id=pk(person),
                            category_id=by_name[category].id, status="waitlisted",
                            ticket_token=registrations.new_ticket_token(), source="import",
                            contact_key=contact_key(person.phone, person.name)))
    for name, quota in categories:
        seats.take_quota(db, pk(by_name[name]), quota)
    db.flush()
    placed = assignment.apply(db, training, "region")
    if placed.waitlisted:
        raise RuntimeError(f"province demo left {placed.waitlisted} without a seat")
    summary = (f"{training.title}: 1 angkatan, {len(people)} peserta dari "
               f"{len(REGENCIES)} kabupaten/kota, {len(SPEAKERS)} narasumber, "
               f"kunjungan lapangan hari ke-{DAYS}")
    return ProvinceResult(training_id=pk(training), organization_id=org_id,
                          batch_id=pk(batch), field_visit_day=visit, summary=summary)
