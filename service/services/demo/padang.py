"""The demo: the 2018 Kampung KB cadre training of Kota Padang, built through the same
service functions a committee uses, so it obeys the same rules (no double-booked
narasumber or room)."""

import random
from dataclasses import dataclass, field
from datetime import date, time, timedelta

from faker import Faker
from sqlmodel import Session

from service.models import Batch, Organization, Participant, Registration, Speaker, Training
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
    registrations,
    seats,
    speakers,
    trainings,
    venues,
)
from service.services.certificates import demo as certificate_demo
from service.services.demo import assessments as demo_assessments
from service.services.demo import attendance as demo_attendance
from service.services.demo import erasure as demo_erasure
from service.services.demo import evaluations as demo_evaluations
from service.services.demo import kampung_kb as demo_kampung_kb
from service.services.demo import learning_links as demo_learning_links
from service.services.demo import minutes as demo_minutes
from service.services.demo import paperwork as demo_paperwork
from service.services.demo import pontianak as demo_pontianak
from service.services.demo import questionnaire as demo_questionnaire
from service.services.demo import report as demo_report
from service.services.demo import sumbar as demo_sumbar
from service.services.demo import tangsel as demo_tangsel
from service.services.demo.province import ProvinceResult, seed_province
from service.services.demo.sumbar import SumbarResult
from service.services.messaging import demo as messages_demo
from service.services.participant_fields import contact_key

# A fixed seed: the demo is the same on every machine and every run.
SEED = 2018

ORG_NAME = "DP3AP2KB Kota Padang"
TRAINING_TITLE = "Pelatihan Pengelolaan Kelompok Kegiatan Kampung KB Kota Padang"
DESCRIPTION = (
    "Pelatihan bagi kader BKB, BKR dan BKL, anggota UPPKS, Penyuluh KB, TP-PKK kelurahan "
    "dan Pokja Kampung KB se-Kota Padang, dalam empat angkatan, untuk memperkuat "
    "pengelolaan kelompok kegiatan di Kampung KB."
)
VENUE = VenueCreate(name="Hotel Pangeran Beach", address="Jl. Ir. H. Juanda No. 79, Padang",
                    city="Padang", rooms=["Ruang Minang", "Ruang Bagonjong"])

# Quotas sum to the 421 participants of the real event.
CATEGORIES: dict[str, int] = {
    "Kader BKB": 90, "Kader BKR": 75, "Kader BKL": 60, "UPPKS": 60, "PKB": 30,
    "TP-PKK Kelurahan": 52, "Pokja Kampung KB": 54,
}
# Two pairs of angkatan side by side, each pair in the two rooms of the hotel.
BATCHES: tuple[tuple[str, date, int, str], ...] = (
    ("Angkatan I", date(2018, 9, 12), 106, "Ruang Minang"),
    ("Angkatan II", date(2018, 9, 12), 105, "Ruang Bagonjong"),
    ("Angkatan III", date(2018, 9, 17), 105, "Ruang Minang"),
    ("Angkatan IV", date(2018, 9, 17), 105, "Ruang Bagonjong"),
)

# One narasumber per institution of the real event. The persons are invented.
SPEAKERS: dict[str, SpeakerCreate] = {
    "bkkbn": SpeakerCreate(
        name="Dr. Hj. Rahmiyati Syafril", title="M.Si.",
        position="Kepala Bidang Pengendalian Penduduk",
        institution="BKKBN Perwakilan Sumatera Barat", phone="+6281266104521"),
    "aku": SpeakerCreate(
        name="Ir. Zulkifli Datuak Rajo Mudo", title="M.M.", position="Ketua",
        institution="AKU Sumbar", phone="+6281374412088"),
    "disdik": SpeakerCreate(
        name="Drs. Afrizal Chaniago", title="M.Pd.",
        position="Kepala Bidang Pembinaan PAUD dan Pendidikan Nonformal",
        institution="Dinas Pendidikan Kota Padang", phone="+6285263317740"),
    "dinkes": SpeakerCreate(
        name="Hj. Desmawati", title="S.KM., M.Kes.",
        position="Kepala Seksi Kesehatan Keluarga dan Gizi",
        institution="Dinas Kesehatan Kota Padang", phone="+6281363520917"),
    "bnn": SpeakerCreate(
        name="Rinaldi Putra", title="S.Sos., M.Si.",
        position="Kepala Seksi Pencegahan dan Pemberdayaan Masyarakat",
        institution="BNN Kota Padang", phone="+6282283140655"),
    "dp3ap2kb": SpeakerCreate(
        name="Dra. Hj. Yusnimar Tanjung", title="M.Si.",
        position="Kepala Bidang Keluarga Berencana dan Ketahanan Keluarga",
        institution="DP3AP2KB Kota Padang", phone="+6281266789032"),
    "pkk": SpeakerCreate(
        name="Hj. Elvira Ermayanti", title="S.E.", position="Ketua Pokja IV",
        institution="TP-PKK Kota Padang", phone="+6281374609815"),
}

# The material sessions, in Angkatan I's order: (title, narasumber key, description).
# 2018 wording: the programme was "KKBPK" until it became "Bangga Kencana" in 2019.
MATERIALS: tuple[tuple[str, str, str], ...] = (
    ("Kebijakan Program KKBPK dan Pengembangan Kampung KB", "bkkbn",
     "Arah kebijakan nasional dan provinsi; kriteria dan tahapan Kampung KB."),
    ("Pengelolaan Kelompok Kegiatan BKB, BKR dan BKL", "dp3ap2kb",
     "Pembentukan, pertemuan rutin dan pembinaan kelompok tribina."),
    ("PAUD dan Pendidikan Keluarga", "disdik",
     "Integrasi BKB dengan PAUD; peran orang tua dalam pendidikan anak."),
    ("Kesehatan Reproduksi dan Gizi Keluarga", "dinkes",
     "Kesehatan reproduksi remaja, 1000 HPK dan pencegahan stunting."),
    ("Pengembangan Usaha Kelompok UPPKS", "aku",
     "Pengelolaan usaha, pembukuan sederhana dan akses permodalan."),
    ("Pencegahan Penyalahgunaan Narkoba dalam Keluarga (P4GN)", "bnn",
     "Mengenali tanda penyalahgunaan narkoba pada remaja; peran keluarga."),
    ("Peran TP-PKK dalam Kampung KB", "pkk",
     "Sepuluh program pokok PKK dan sinergi dengan Pokja Kampung KB."),
    ("Pokja Kampung KB: Perencanaan, Pencatatan dan Pelaporan", "dp3ap2kb",
     "Rencana kegiatan masyarakat, register dan laporan bulanan Kampung KB."),
)
MATERIAL_JPL = 2  # every material slot is 90 minutes, two 45-minute JPL

# The two-day grid shared by every angkatan: (day, start, end, title, kind).
# A title of None is a material slot, filled from MATERIALS in the batch's order.
GRID: tuple[tuple[int, str, str, str | None, SessionKind], ...] = (
    (0, "08:00", "08:30", "Registrasi peserta dan pre-test", "opening"),
    (0, "08:30", "09:00", "Pembukaan", "opening"),
    (0, "09:00", "10:30", None, "material"),
    (0, "10:30", "10:45", "Rehat kopi", "break"),
    (0, "10:45", "12:15", None, "material"),
    (0, "12:15", "13:15", "Ishoma", "break"),
    (0, "13:15", "14:45", None, "material"),
    (0, "14:45", "15:00", "Rehat kopi", "break"),
    (0, "15:00", "16:30", None, "material"),
    (1, "08:00", "09:30", None, "material"),
    (1, "09:30", "11:00", None, "material"),
    (1, "11:00", "11:15", "Rehat kopi", "break"),
    (1, "11:15", "12:45", None, "material"),
    (1, "12:45", "13:45", "Ishoma", "break"),
    (1, "13:45", "15:15", None, "material"),
    (1, "15:15", "15:30", "Rehat kopi", "break"),
    (1, "15:30", "16:00", "Post-test, evaluasi dan rencana tindak lanjut", "closing"),
    (1, "16:00", "16:30", "Penutupan", "closing"),
)
FIXED_DESCRIPTIONS = {
    "Pembukaan": "Dibuka oleh Kepala DP3AP2KB Kota Padang.",
    "Penutupan": "Ditutup oleh Sekretaris DP3AP2KB Kota Padang.",
}

# Kecamatan of Kota Padang with their Kemendagri code (13.71.xx) and some of their kelurahan.
KECAMATAN: dict[str, tuple[int, tuple[str, ...]]] = {
    "Bungus Teluk Kabung": (1, ("Bungus Barat", "Bungus Selatan", "Bungus Timur",
                                "Teluk Kabung Selatan", "Teluk Kabung Tengah")),
    "Lubuk Kilangan": (2, ("Bandar Buat", "Batu Gadang", "Indarung", "Koto Lalang",
                           "Padang Besi")),
    "Lubuk Begalung": (3, ("Banuaran Nan XX", "Gates Nan XX", "Kampung Baru Nan XX",
                           "Lubuk Begalung Nan XX", "Pampangan Nan XX")),
    "Padang Selatan": (4, ("Alang Laweh", "Batang Arau", "Mata Air", "Rawang",
                           "Seberang Padang", "Teluk Bayur")),
    "Padang Timur": (5, ("Andalas", "Ganting Parak Gadang", "Jati", "Kubu Marapalam",
                         "Sawahan", "Simpang Haru")),
    "Padang Barat": (6, ("Belakang Tangsi", "Berok Nipah", "Flamboyan Baru", "Kampung Pondok",
                         "Olo", "Purus")),
    "Padang Utara": (7, ("Air Tawar Barat", "Air Tawar Timur", "Alai Parak Kopi",
                         "Gunung Pangilun", "Ulak Karang Utara")),
    "Nanggalo": (8, ("Gurun Laweh", "Kampung Lapai", "Kampung Olo", "Kurao Pagang",
                     "Surau Gadang")),
    "Kuranji": (9, ("Anduring", "Gunung Sarik", "Kalumbuk", "Korong Gadang",
                    "Pasar Ambacang")),
    "Pauh": (10, ("Binuang Kampung Dalam", "Cupak Tangah", "Kapalo Koto", "Koto Luar",
                  "Limau Manis")),
    "Koto Tangah": (11, ("Air Pacah", "Balai Gadang", "Bungo Pasang", "Dadok Tunggul Hitam",
                         "Lubuk Buaya", "Parupuk Tabing")),
}


@dataclass(frozen=True)
class Profile:
    """How a category's participants look: share of women, ages, positions held."""

    women: float
    ages: tuple[int, int]
    positions: tuple[str, ...]


PROFILES: dict[str, Profile] = {
    "Kader BKB": Profile(0.97, (24, 55), ("Kader BKB",) * 4 + ("Ketua Kelompok BKB",)),
    "Kader BKR": Profile(0.93, (28, 58), ("Kader BKR",) * 4 + ("Ketua Kelompok BKR",)),
    "Kader BKL": Profile(0.88, (38, 64), ("Kader BKL",) * 4 + ("Ketua Kelompok BKL",)),
    "UPPKS": Profile(0.85, (26, 60), ("Anggota UPPKS",) * 3 + ("Ketua UPPKS", "Bendahara UPPKS")),
    "PKB": Profile(0.6, (26, 57), ("Penyuluh KB Ahli Pertama", "Penyuluh KB Ahli Muda",
                                    "Penyuluh KB Terampil", "PLKB")),
    "TP-PKK Kelurahan": Profile(0.98, (30, 62), ("Ketua TP-PKK Kelurahan", "Sekretaris",
                                                  "Ketua Pokja I", "Ketua Pokja II",
                                                  "Ketua Pokja III", "Ketua Pokja IV")),
    "Pokja Kampung KB": Profile(0.55, (30, 63), ("Ketua Pokja Kampung KB",
                                                  "Sekretaris Pokja Kampung KB",
                                                  "Anggota Pokja Kampung KB",
                                                  "Anggota Pokja Kampung KB")),
}
UPPKS_GROUPS = ("Melati", "Mawar", "Anggrek", "Kenanga", "Cempaka", "Seroja", "Dahlia",
                "Bundo Kanduang", "Saiyo Sakato", "Sakinah")
# Mobile prefixes of the operators common in West Sumatra.
PHONE_PREFIXES = ("811", "812", "813", "821", "822", "852", "853", "823", "857", "878")


# The demo's superuser (an account of Padang's office with the same password).
OPERATOR_EMAIL = "operator@padang.demo"


@dataclass
class DemoResult:
    training_id: int
    organization_id: int
    summary: str
    batch_ids: list[int] = field(default_factory=list)
    speaker_ids: list[int] = field(default_factory=list)
    participant_count: int = 0
    # The provincial workshop, in an office of its own (demo_province).
    province: ProvinceResult | None = None
    # Pontianak's programme (stages, then monthly coaching), in an office of its own.
    pontianak: str | None = None
    # The West Sumatra province office Padang shares its aggregates with (demo_sumbar).
    sumbar: SumbarResult | None = None


def _hm(value: str) -> time:
    return time.fromisoformat(value)


def material_rotation() -> int:
    """The smallest shift of the material order at which no narasumber is needed in
    two rooms in the same slot, so Angkatan II can run beside Angkatan I."""
    keys = [m[1] for m in MATERIALS]
    n = len(keys)
    for shift in range(1, n):
        if all(keys[i] != keys[(i + shift) % n] for i in range(n)):
            return shift
    raise RuntimeError("no rotation of the demo materials avoids a narasumber clash")


def _build_agenda(db: Session, org_id: int, batch: Batch, training: Training, room: str,
                  speaker_ids: dict[str, int], shift: int) -> None:
    order = [MATERIALS[(i + shift) % len(MATERIALS)] for i in range(len(MATERIALS))]
    materials = iter(order)
    for day, start, end, fixed, kind in GRID:
        if fixed is None:
            title, key, description = next(materials)
            ids, jpl = [speaker_ids[key]], MATERIAL_JPL
        else:
            title, ids, jpl, description = fixed, [], 0, FIXED_DESCRIPTIONS.get(fixed, "")
        agenda.save_session(db, org_id, batch, training, SessionCreate(
            title=title, date=batch.start_date + timedelta(days=day),
            start_time=_hm(start), end_time=_hm(end), kind=kind, jpl=jpl,
            # Breaks are taken outside the training room (restaurant, prayer room).
            room=None if kind == "break" else room,
            speaker_ids=ids, description=description or None))


def padang_nik(rng: random.Random, kec_code: int, birth: date, woman: bool,
               seen: set[str]) -> str:
    # NIK: province 13, city 71, kecamatan, birth date DDMMYY (day + 40 for women), serial.
    day = birth.day + 40 if woman else birth.day
    prefix = f"1371{kec_code:02d}{day:02d}{birth.month:02d}{birth.year % 100:02d}"
    serial = rng.randint(1, 60)
    while f"{prefix}{serial:04d}" in seen:
        serial += 1
    nik = f"{prefix}{serial:04d}"
    seen.add(nik)
    return nik


def _institution(category: str, kelurahan: str, kecamatan: str, rng: random.Random) -> str:
    if category.startswith("Kader "):
        return f"Kelompok {category.removeprefix('Kader ')} Kel. {kelurahan}"
    if category == "UPPKS":
        return f"UPPKS {rng.choice(UPPKS_GROUPS)} Kel. {kelurahan}"
    if category == "PKB":
        return f"Balai Penyuluhan KB Kec. {kecamatan}"
    if category == "TP-PKK Kelurahan":
        return f"TP-PKK Kel. {kelurahan}"
    return f"Pokja Kampung KB {kelurahan}"


def demo_participants(org_id: int, seed: int = SEED) -> list[Participant]:
    """The 421 participants, the same for the same seed: names from Faker's id_ID locale,
    NIK, phone and address consistent with a real kelurahan of Padang."""
    rng = random.Random(seed)
    fake = Faker("id_ID")
    fake.seed_instance(seed)
    places = [(kec, code, kel) for kec, (code, kels) in KECAMATAN.items() for kel in kels]
    niks: set[str] = set()
    phones: set[str] = set()
    people: list[Participant] = []
    for category, quota in CATEGORIES.items():
        profile = PROFILES[category]
        for _ in range(quota):
            kecamatan, code, kelurahan = rng.choice(places)
            woman = rng.random() < profile.women
            age = rng.randint(*profile.ages)
            birth = date(2018 - age, 1, 1) + timedelta(days=rng.randint(0, 364))
            if woman:
                # Minang women often go by one name; pilgrims are addressed "Hj.".
                name = fake.first_name_female()
                if rng.random() < 0.6:
                    name += " " + fake.last_name_female()
                if age >= 45 and rng.random() < 0.2:
                    name = "Hj. " + name
            else:
                name = f"{fake.first_name_male()} {fake.last_name_male()}"
            phone = f"+62{rng.choice(PHONE_PREFIXES)}{rng.randint(10**7, 10**8 - 1)}"
            while phone in phones:
                phone = f"+62{rng.choice(PHONE_PREFIXES)}{rng.randint(10**7, 10**8 - 1)}"
            phones.add(phone)
            people.append(Participant(
                organization_id=org_id, nik=padang_nik(rng, code, birth, woman, niks), name=name,
                gender="P" if woman else "L", birth_date=birth, phone=phone,
                institution=_institution(category, kelurahan, kecamatan, rng),
                position=rng.choice(profile.positions), village=kelurahan, district=kecamatan,
                regency="Kota Padang", province="Sumatera Barat",
                kampung_kb=f"Kampung KB {kelurahan}"))
    return people


def _register_all(db: Session, training: Training, participants: list[Participant]) -> None:
    """Everyone registered in their category, then placed into the four angkatan by the
    same balanced assignment a committee would run; each gets a working ticket."""
    categories = {c.name: c for c in registrations.categories_of(db, pk(training))}
    names = [name for name, quota in CATEGORIES.items() for _ in range(quota)]
    for person, category in zip(participants, names, strict=True):
        db.add(Registration(training_id=pk(training), participant_id=pk(person),
                            category_id=categories[category].id, status="waitlisted",
                            ticket_token=registrations.new_ticket_token(), source="import",
                            contact_key=contact_key(person.phone, person.name)))
    for name, quota in CATEGORIES.items():
        seats.take_quota(db, pk(categories[name]), quota)
    db.flush()
    result = assignment.apply(db, training, "balanced")
    if result.waitlisted:
        raise RuntimeError(f"demo assignment left {result.waitlisted} without a seat")


def seed_demo(db: Session, admin_email: str, admin_password: str) -> DemoResult:
    """Seed the Padang 2018 training into the session; flushes, the caller commits."""
    admin = auth.create_admin(db, admin_email, admin_password, ORG_NAME)
    admin.name = "Admin DP3AP2KB Kota Padang"
    org = db.get(Organization, admin.organization_id)
    assert org is not None and org.id is not None
    org_id = org.id
    org.city = "Padang"
    db.add_all([admin, org])

    venue = venues.create_venue(db, org_id, VENUE)
    training = trainings.create_training(db, org_id, TrainingCreate(
        title=TRAINING_TITLE, kind="pelatihan", start_date=date(2018, 9, 12),
        end_date=date(2018, 9, 18), timezone="Asia/Jakarta", venue_id=venue.id,
        description=DESCRIPTION,
        categories=[CategoryIn(name=n, quota=q) for n, q in CATEGORIES.items()]))

    people: dict[str, Speaker] = {k: speakers.create_speaker(db, org_id, s)
                                  for k, s in SPEAKERS.items()}
    speaker_ids = {k: s.id for k, s in people.items() if s.id is not None}

    batches = [trainings.create_batch(db, training, BatchCreate(
        name=name, start_date=start, end_date=start + timedelta(days=1), capacity=capacity))
        for name, start, capacity, _room in BATCHES]
    first, second, third, fourth = batches
    # Angkatan II runs beside I with the same narasumber, its materials rotated.
    _build_agenda(db, org_id, first, training, BATCHES[0][3], speaker_ids, 0)
    _build_agenda(db, org_id, second, training, BATCHES[1][3], speaker_ids, material_rotation())
    for source, target in ((first, third), (second, fourth)):
        copied = agenda.copy_agenda(db, org_id, source, target, training, replace=False)
        if copied.warnings:
            raise RuntimeError(f"demo agenda copy to {target.name} dropped: {copied.warnings}")

    participants = demo_participants(org_id)
    db.add_all(participants)
    db.flush()
    _register_all(db, training, participants)
    # Where the cadres come from: the office's Kampung KB register (the coverage page).
    demo_kampung_kb.seed_register(db, org_id, participants, SEED)
    demo_attendance.seed_attendance(db, training, batches, admin_email, SEED)
    # How the cadres rated the narasumber and the event (the evaluations page).
    demo_evaluations.seed_evaluations(db, training, batches, SEED)
    # What the cadres knew before and after (the pre-test and post-test pages, issue 15).
    demo_assessments.seed_assessments(db, training, batches, SEED)
    demo_questionnaire.seed_questionnaire(db, training, batches, SEED)
    # Angkatan I has finished: its certificates are issued (see certificate_demo).
    certificate_demo.seed_certificates(db, training, first, admin.id)
    # What the committee sent them, and how it went (the messages page).
    messages_demo.seed_messages(db, training, batches, admin.id)
    demo_learning_links.seed_learning_links(db, training, batches, admin.id)
    # The laporan kegiatan's texts and photos (the report page, its PDF and DOCX).
    demo_report.seed_report(db, training, admin)
    # A cadre who asked to be forgotten (UU PDP), and a request waiting on /erasure.
    demo_erasure.seed_erasure(db, first, admin)
    # The installation's operator: sets up offices, imports an office's export (/offices)
    # and watches the backups (/backups).
    operator = auth.create_user(db, email=OPERATOR_EMAIL, password=admin_password,
                                name="Operator server Bimtek", role="admin", organization=org)
    operator.is_superuser = True
    db.add(operator)

    # Tangerang Selatan's Pokja Kampung KB meeting, in an office of its own (issue 17).
    demo_minutes.seed_tangsel(db, demo_tangsel.seed_office(db, admin_password))
    # The provincial workshop in its own office (demo_province.EMAIL, the same password),
    # and the paperwork of both trainings: invited units, guests, letters, SPJ (issue 16).
    province = seed_province(db, admin_password)
    demo_paperwork.seed_paperwork(db, training, admin, province, admin_password)
    assert training.id is not None
    jpl = MATERIAL_JPL * len(MATERIALS)
    summary = (f"{training.title}: {len(batches)} angkatan, {len(participants)} peserta, "
               f"{len(people)} narasumber, {jpl} JPL per angkatan")
    return DemoResult(training_id=training.id, organization_id=org_id, summary=summary,
                      batch_ids=[b.id for b in batches if b.id is not None],
                      speaker_ids=list(speaker_ids.values()),
                      participant_count=len(participants),
                      province=province,
                      pontianak=demo_pontianak.seed_office(db, admin_password),
                      # The province office Padang shares with, and two small offices.
                      sumbar=demo_sumbar.seed_sumbar(db, admin_password, org_id, pk(admin)))
