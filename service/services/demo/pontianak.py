"""The Pontianak 2018 demo programme: a bimtek for Kampung KB managers staged by kecamatan
(Tahap 1: Pontianak Barat and Pontianak Kota, 50 people at a restaurant, two days;
Tahap 2: the other four kecamatan), then monthly coaching (pembinaan) in all six
kecamatan: one batch per kecamatan at its own hall, made by one form, meeting on the
second Tuesday of each month for a year (one meeting moved a week). Built through the
same services a committee uses: registrations, the carry from stage to stage, moving
into a batch, batches from a rule.

Seeded into the organization it is given (the Padang demo's office, or one of its own).
The people are invented; names, NIKs and kelurahan are shaped like Pontianak's.
"""

import random
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from faker import Faker
from sqlalchemy import insert
from sqlmodel import Session, select

from service.models import (
    Batch,
    CheckIn,
    Organization,
    Participant,
    Registration,
    Training,
    Venue,
)
from service.models.base import pk
from service.schemas.planning import (
    BatchCreate,
    BatchLine,
    CategoryIn,
    RecurrenceIn,
    RecurringBatches,
    TrainingCreate,
    VenueCreate,
)
from service.schemas.programs import CarryIn, ProgramCreate
from service.services import (
    auth,
    batch_dates,
    meeting_days,
    programs,
    registrations,
    trainings,
    venues,
)
from service.services.demo import minutes as demo_minutes

SEED = 6171  # Kota Pontianak's Kemendagri code: the same demo on every machine
PROGRAM_TITLE = "Bimtek Pengelola Kampung KB Kota Pontianak 2018"
PROGRAM_DESCRIPTION = (
    "Bimbingan teknis bagi pengelola Kampung KB se-Kota Pontianak, bertahap per kecamatan, "
    "dilanjutkan pembinaan bulanan selama satu tahun di enam kecamatan.")
VENUE = VenueCreate(name="Rumah Makan Kapuas Indah", address="Jl. Sultan Abdurrahman No. 12, "
                    "Pontianak", city="Pontianak", rooms=["Ruang Pertemuan"])
CATEGORIES = ("Pokja Kampung KB", "PKB/PLKB")

# Kecamatan of Kota Pontianak with their Kemendagri code (61.71.xx) and their kelurahan.
KECAMATAN: dict[str, tuple[int, tuple[str, ...]]] = {
    "Pontianak Selatan": (1, ("Akcaya", "Benua Melayu Darat", "Benua Melayu Laut", "Kota Baru",
                              "Parit Tokaya")),
    "Pontianak Timur": (2, ("Banjar Serasan", "Dalam Bugis", "Parit Mayor", "Saigon",
                            "Tambelan Sampit", "Tanjung Hilir", "Tanjung Hulu")),
    "Pontianak Barat": (3, ("Pal Lima", "Sungai Beliung", "Sungai Jawi Dalam",
                            "Sungai Jawi Luar")),
    "Pontianak Utara": (4, ("Batu Layang", "Siantan Hilir", "Siantan Hulu", "Siantan Tengah")),
    "Pontianak Kota": (5, ("Darat Sekip", "Mariana", "Sungai Bangkong", "Sungai Jawi",
                           "Tengah")),
    "Pontianak Tenggara": (6, ("Bangka Belitung Darat", "Bangka Belitung Laut", "Bansir Darat",
                               "Bansir Laut")),
}
# (stage title, kecamatan and how many managers each sends, first day)
TAHAP_1 = ("Bimtek Pengelola Kampung KB: Pontianak Barat dan Pontianak Kota",
           {"Pontianak Barat": 24, "Pontianak Kota": 26}, date(2018, 3, 20))
TAHAP_2 = ("Bimtek Pengelola Kampung KB: Pontianak Selatan, Pontianak Tenggara, Pontianak "
           "Timur dan Pontianak Utara",
           {"Pontianak Selatan": 14, "Pontianak Tenggara": 12, "Pontianak Timur": 16,
            "Pontianak Utara": 14}, date(2018, 4, 24))
COACHING_TITLE = "Pembinaan bulanan Pengelola Kampung KB"
COACHING_START, COACHING_END = date(2018, 5, 1), date(2019, 4, 30)
# The coaching's meetings, as the committee's one form says it: every month on the
# second Tuesday, twelve times (8 May 2018 to 9 April 2019), each kecamatan at its hall.
COACHING_RULE = RecurrenceIn(frequency="monthly_weekday", start=COACHING_START, weekday=1,
                             nth=2, count=12)
# Pontianak Utara's December meeting moved a week (the hall was taken).
MOVED_MEETING = ("Pontianak Utara", date(2018, 12, 11), date(2018, 12, 18))

# Pilgrims are addressed Hj./H.; an older graduate keeps Drs./Dra. in front (and no
# degree behind).
HAJI = {True: "Hj. ", False: "H. "}
DOKTORANDUS = {True: "Dra. ", False: "Drs. "}
BACK_TITLES = (", S.Sos.", ", S.Pd.", ", S.E.", ", S.KM.", ", A.Md.", ", S.Sos., M.Si.",
               ", S.H.", ", S.Ag.")
# Pontianak's Malay nobility keep their titles in everyday names.
MALAY_TITLES_M, MALAY_TITLES_F = ("Syarif ", "Uray ", "Abang "), ("Syarifah ", "Utin ", "Dayang ")
POSITIONS = ("Ketua Pokja Kampung KB", "Sekretaris Pokja Kampung KB", "Bendahara Pokja Kampung KB",
             "Anggota Pokja Kampung KB")
PHONE_PREFIXES = ("811", "812", "813", "821", "822", "852", "853", "857", "896")
ABSENT_DAY1, ABSENT_DAY2, ABSENT_MEETING, ABSENT_LATER = 0.06, 0.1, 0.08, 0.14
NO_SHOWS = 2  # per stage: registered, never came


def _name(rng: random.Random, fake: Faker, woman: bool) -> str:
    if woman:
        name = fake.first_name_female() + " " + fake.last_name_female()
        if rng.random() < 0.12:
            name = rng.choice(MALAY_TITLES_F) + name
    else:
        name = fake.first_name_male() + " " + fake.last_name_male()
        if rng.random() < 0.12:
            name = rng.choice(MALAY_TITLES_M) + name
    if rng.random() < 0.08:
        return DOKTORANDUS[woman] + name
    if rng.random() < 0.18:
        name = HAJI[woman] + name
    if rng.random() < 0.55:
        name += rng.choice(BACK_TITLES)
    return name


def _nik(rng: random.Random, kec_code: int, birth: date, woman: bool, seen: set[str]) -> str:
    # NIK: province 61, city 71, kecamatan, birth date DDMMYY (day + 40 for women), serial.
    day = birth.day + 40 if woman else birth.day
    prefix = f"6171{kec_code:02d}{day:02d}{birth.month:02d}{birth.year % 100:02d}"
    serial = rng.randint(1, 60)
    while f"{prefix}{serial:04d}" in seen:
        serial += 1
    seen.add(f"{prefix}{serial:04d}")
    return f"{prefix}{serial:04d}"


def _people(rng: random.Random, fake: Faker, by_kecamatan: dict[str, int],
            seen: set[str]) -> list[dict[str, Any]]:
    """The managers one stage's kecamatan send: a few PKB/PLKB, the rest of the Pokja."""
    out = []
    for kecamatan, count in by_kecamatan.items():
        code, kelurahan = KECAMATAN[kecamatan]
        for n in range(count):
            village = kelurahan[n % len(kelurahan)]
            pkb = n % 6 == 5
            woman = rng.random() < (0.55 if pkb else 0.7)
            birth = date(2018 - rng.randint(28, 58), 1, 1) + timedelta(days=rng.randint(0, 364))
            out.append({
                "name": _name(rng, fake, woman), "nik": _nik(rng, code, birth, woman, seen),
                "gender": "P" if woman else "L",
                "phone": f"0{rng.choice(PHONE_PREFIXES)}{rng.randint(10**7, 10**8 - 1)}",
                "category": CATEGORIES[1] if pkb else CATEGORIES[0],
                "position": "Penyuluh KB" if pkb else rng.choice(POSITIONS),
                "institution": (f"Balai Penyuluhan KB Kec. {kecamatan}" if pkb
                                else f"Pokja Kampung KB Kel. {village}"),
                "village": village, "district": kecamatan, "regency": "Kota Pontianak",
                "province": "Kalimantan Barat", "kampung_kb": f"Kampung KB {village}"})
    return out


def _venue(db: Session, org_id: int) -> Venue:
    found = db.exec(select(Venue).where(Venue.organization_id == org_id,
                                        Venue.name == VENUE.name)).first()
    return found or venues.create_venue(db, org_id, VENUE)


def _stage(db: Session, org_id: int, program_id: int, title: str, kind: str, start: date,
           end: date, stage: int, venue_id: int | None) -> Training:
    return trainings.create_training(db, org_id, TrainingCreate(
        title=title, kind=kind, start_date=start, end_date=end, timezone="Asia/Jakarta",
        venue_id=venue_id, categories=[CategoryIn(name=c) for c in CATEGORIES],
        program_id=program_id, program_stage=stage))


def _check_ins(rng: random.Random, batch: Batch, rows: list[tuple[int, int]], user_id: int,
               absent: float, no_shows: int = 0, later: float = ABSENT_DAY2
               ) -> list[dict[str, Any]]:
    """Who came on each day the batch meets (WIB, between 07.30 and 08.30): a share
    `absent` missing the first day, `later` each day after; `no_shows` registered people
    never came (they wait for the coaching on the programme's page)."""
    tz = ZoneInfo("Asia/Jakarta")
    away = set(rng.sample([rid for rid, _pid in rows], no_shows))
    out = []
    for day in meeting_days.days_of(batch):
        share = absent if day == batch.start_date else later
        for rid, _pid in rows:
            if rid in away or rng.random() < share:
                continue
            at = datetime.combine(day, time(7, 30), tz).astimezone(UTC) + timedelta(
                seconds=rng.randint(0, 3600))
            out.append({"registration_id": rid, "batch_id": pk(batch), "day": day, "slot": 0,
                        "session_id": None, "scanned_at": at,
                        "recorded_at": at + timedelta(seconds=1), "device_id": "hp-panitia",
                        "method": "qr", "nonce": f"ptk-{rng.getrandbits(96):024x}",
                        "user_id": user_id, "offline": False})
    return out


EMAIL = "admin@pontianak.demo"
ORG_NAME = "DP2KBP3A Kota Pontianak"


def seed_office(db: Session, admin_password: str, admin_email: str = EMAIL) -> str:
    """The programme in an office of its own (Kota Pontianak) with its admin; flushes."""
    admin = auth.create_admin(db, admin_email, admin_password, ORG_NAME)
    admin.name = "Admin DP2KBP3A Kota Pontianak"
    org = db.get(Organization, admin.organization_id)
    assert org is not None
    org.city = "Pontianak"
    db.add_all([admin, org])
    db.flush()
    return seed_pontianak(db, pk(org), pk(admin))


def seed_pontianak(db: Session, org_id: int, user_id: int) -> str:
    """Seed the programme into the organization; flushes, the caller commits. `user_id`
    is the committee member who checked people in."""
    rng = random.Random(SEED)
    fake = Faker("id_ID")
    fake.seed_instance(SEED)
    venue = _venue(db, org_id)
    program = programs.create_program(db, org_id, ProgramCreate(
        title=PROGRAM_TITLE, start_date=date(2018, 3, 1), end_date=COACHING_END,
        description=PROGRAM_DESCRIPTION))
    pid = pk(program)
    niks: set[str] = set()
    stages: list[Training] = []
    checkins: list[dict[str, Any]] = []
    for n, (title, by_kecamatan, start) in enumerate((TAHAP_1, TAHAP_2), 1):
        training = _stage(db, org_id, pid, title, "bimtek", start, start + timedelta(days=1), n,
                          venue.id)
        size = sum(by_kecamatan.values())
        batch = trainings.create_batch(db, training, BatchCreate(
            name="Angkatan I", start_date=start, end_date=start + timedelta(days=1),
            capacity=size))
        rows = []
        for person in _people(rng, fake, by_kecamatan, niks):
            reg = registrations.register(db, training, person, pk(batch), source="import")
            rows.append((pk(reg), reg.participant_id))
        checkins += _check_ins(rng, batch, rows, user_id, ABSENT_DAY1, NO_SHOWS)
        stages.append(training)
    db.flush()
    db.connection().execute(insert(CheckIn.__table__), checkins)  # type: ignore[attr-defined]

    coaching = _stage(db, org_id, pid, COACHING_TITLE, "pembinaan", COACHING_START,
                      COACHING_END, 3, None)
    made = trainings.create_recurring(db, coaching, RecurringBatches(
        rule=COACHING_RULE, batches=[BatchLine(name=f"Kec. {kec}",
                                               venue=f"Aula Kantor Camat {kec}", capacity=40)
                                     for kec in sorted(KECAMATAN)]))
    batches = dict(zip(sorted(KECAMATAN), made, strict=True))
    kec, day, to = MOVED_MEETING
    batch_dates.move_meeting(db, coaching, batches[kec], day, to)
    carried = sum(programs.carry(db, program, CarryIn(
        from_training_id=pk(stage), to_training_id=pk(coaching), only_attended=True)).carried
        for stage in stages)
    # Each coaching batch is one kecamatan: the committee moves each person into theirs.
    for reg, manager in db.exec(select(Registration, Participant)
                               .join(Participant, Participant.id == Registration.participant_id)  # type: ignore[arg-type]
                               .where(Registration.training_id == coaching.id)).all():
        registrations.move(db, coaching, reg, pk(batches[manager.district or ""]))
    meeting: list[dict[str, Any]] = []
    for batch in batches.values():
        rows = [(pk(r), r.participant_id) for r in db.exec(
            select(Registration).where(Registration.batch_id == batch.id)).all()]
        meeting += _check_ins(rng, batch, rows, user_id, ABSENT_MEETING, later=ABSENT_LATER)
    db.connection().execute(insert(CheckIn.__table__), meeting)  # type: ignore[attr-defined]
    db.flush()
    demo_minutes.seed_pontianak(db, coaching)  # actions carried month to month
    first, second = (sum(by.values()) for _t, by, _d in (TAHAP_1, TAHAP_2))
    return (f"{PROGRAM_TITLE}: Tahap 1 ({first} peserta, Pontianak Barat dan Pontianak Kota), "
            f"Tahap 2 ({second} peserta, empat kecamatan lain), pembinaan bulanan di "
            f"{len(batches)} kecamatan, 12 pertemuan masing-masing ({carried} peserta dibawa "
            f"dari tahap sebelumnya)")
