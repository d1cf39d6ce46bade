"""The demo's SPJ: the treasurers of Padang and of the Sumsel workshop, their rate
tables (Padang 2018; Sumsel 2022 with transport by zone for the 17 kabupaten/kota and
Palembang as the city), the narasumber's finance fields and the signers, so that
/spj shows Padang's 421 cadres' transport over two days and the honorarium of its 7
institutions' narasumber.

Call after the guests demo (service/services/demo/guests.py), which records the
narasumber's attendance; a session it left without a record gets one here (present), so
the honorarium is paid on every JP taught. Amounts are illustrative, in the shape of a
Standar Biaya Masukan: each office's treasurer sets its own."""

from typing import Any

from sqlmodel import Session, col, select

from service.models import (
    AgendaSession,
    Batch,
    Organization,
    SessionSpeaker,
    Speaker,
    Training,
    User,
)
from service.models.speaker_attendance import SpeakerAttendance
from service.schemas.spj import RateTableIn, SignersIn, SpeakerFinanceIn
from service.services import auth
from service.services.spj import compute, finance, rates

PADANG_TREASURER = "bendahara@padang.demo"
SUMSEL_TREASURER = "bendahara@sumsel.demo"
# A narasumber's finance fields by institution: NIP, golongan, NPWP, bank, account, class.
Finance = dict[str, tuple[str | None, str | None, str | None, str, str, str]]

CLASSES = [{"name": "Eselon I", "rate": 1_400_000}, {"name": "Eselon II", "rate": 1_000_000},
           {"name": "Eselon III ke bawah", "rate": 900_000},
           {"name": "Non-ASN/Praktisi", "rate": 900_000}]
PPH21 = {"I": {"with_npwp": "0", "without_npwp": "0"},
         "II": {"with_npwp": "0", "without_npwp": "0"},
         "III": {"with_npwp": "5", "without_npwp": "6"},
         "IV": {"with_npwp": "15", "without_npwp": "18"},
         "non_asn": {"with_npwp": "5", "without_npwp": "6"}}

PADANG_2018 = {
    "honorarium_unit": "jp", "classes": CLASSES,
    "transport": {"within_city": 100_000, "default": 150_000,
                  "regencies": [{"name": "Kabupaten Padang Pariaman", "rate": 150_000},
                                {"name": "Kota Pariaman", "rate": 175_000}],
                  "zones": []},
    "daily_allowance": 0, "meals": 0, "tax": {"transport": "0", "pph21": PPH21}}

# Sumsel's zones by distance from Palembang (Kota Palembang is the city itself).
ZONES = {
    "Zona I": (300_000, ("Kabupaten Banyuasin", "Kabupaten Ogan Ilir", "Kota Prabumulih",
                         "Kabupaten Muara Enim", "Kabupaten Ogan Komering Ilir")),
    "Zona II": (450_000, ("Kabupaten Musi Banyuasin", "Kabupaten Penukal Abab Lematang Ilir",
                          "Kabupaten Lahat", "Kabupaten Ogan Komering Ulu",
                          "Kabupaten OKU Timur")),
    "Zona III": (600_000, ("Kabupaten Musi Rawas", "Kabupaten Musi Rawas Utara",
                           "Kota Lubuklinggau", "Kabupaten Empat Lawang", "Kota Pagar Alam",
                           "Kabupaten OKU Selatan")),
}
SUMSEL_2022 = {
    "honorarium_unit": "jp", "classes": CLASSES,
    "transport": {"within_city": 150_000, "default": 600_000, "regencies": [],
                  "zones": [{"name": n, "rate": r, "regencies": list(places)}
                            for n, (r, places) in ZONES.items()]},
    "daily_allowance": 0, "meals": 0, "tax": {"transport": "0", "pph21": PPH21}}

# Padang's narasumber by institution: (NIP, golongan, NPWP, bank, account, class).
PADANG_FINANCE: Finance = {
    "BKKBN Perwakilan Sumatera Barat": ("196803121993032001", "IV", "094512783201000", "BNI",
                                        "0251873301", "Eselon III ke bawah"),
    "AKU Sumbar": (None, None, None, "Bank Nagari", "2101020118734", "Non-ASN/Praktisi"),
    "Dinas Pendidikan Kota Padang": ("196507141991031004", "IV", "077214569201000",
                                     "Bank Nagari", "2101020245561", "Eselon III ke bawah"),
    "Dinas Kesehatan Kota Padang": ("197403222000122002", "III", "082219746201000",
                                    "Bank Nagari", "2101020309874", "Eselon III ke bawah"),
    "BNN Kota Padang": ("197910052005011003", "III", "091133468201000", "BRI",
                        "548201009871503", "Eselon III ke bawah"),
    "DP3AP2KB Kota Padang": ("196609171990032003", "IV", "068845213201000", "Bank Nagari",
                             "2101020187720", "Eselon III ke bawah"),
    "TP-PKK Kota Padang": (None, None, "093370215201000", "Bank Mandiri", "1110012874653",
                           "Non-ASN/Praktisi"),
}
SUMSEL_FINANCE: Finance = {
    "Perwakilan BKKBN Provinsi Sumatera Selatan": (
        "197002101995032002", "IV", "071234567301000", "BNI", "0312456789", "Eselon II"),
    "Bappeda Provinsi Sumatera Selatan": (
        "196811231994031002", "IV", "072345678301000", "Bank Sumsel Babel", "15009876543",
        "Eselon III ke bawah"),
    "Dinas Kesehatan Provinsi Sumatera Selatan": (
        "197505162003122003", "IV", "073456789301000", "Bank Sumsel Babel", "15001234567",
        "Eselon III ke bawah"),
    "Dinas PMD Provinsi Sumatera Selatan": (
        "196904081996031001", "IV", "074567890301000", "BRI", "012301002345507",
        "Eselon III ke bawah"),
    "Dinas PPPA dan PPKB Provinsi Sumatera Selatan": (
        "197208252001122001", "III", "075678901301000", "Bank Sumsel Babel", "15002468135",
        "Eselon III ke bawah"),
}


def _treasurer(db: Session, org_id: int, email: str, name: str, password: str) -> User:
    found = db.exec(select(User).where(User.email == email)).first()
    if found is not None:
        return found
    organization = db.get(Organization, org_id)
    assert organization is not None
    return auth.create_user(db, email=email, password=password, name=name, role="treasurer",
                            organization=organization)


def _finance(db: Session, org_id: int, table: Finance) -> None:
    for s in db.exec(select(Speaker).where(Speaker.organization_id == org_id)).all():
        row = table.get(s.institution or "")
        if row is None:
            continue
        nip, golongan, npwp, bank, account, klass = row
        finance.save(db, s, SpeakerFinanceIn(
            nip=nip, golongan=golongan, npwp=npwp, bank_name=bank, bank_account=account,
            account_holder=s.name, honorarium_class=klass))


def _speaker_presence(db: Session, training: Training, user_id: int | None) -> int:
    """Record as present every (session, narasumber) of the training that has no record."""
    pairs = db.exec(select(SessionSpeaker.session_id, SessionSpeaker.speaker_id)
                    .join(AgendaSession, col(AgendaSession.id) == SessionSpeaker.session_id)
                    .join(Batch, col(Batch.id) == AgendaSession.batch_id)
                    .where(Batch.training_id == training.id)).all()
    known = {(a.session_id, a.speaker_id) for a in db.exec(
        select(SpeakerAttendance).where(col(SpeakerAttendance.session_id).in_(
            {p[0] for p in pairs}))).all()} if pairs else set()
    added = 0
    for session_id, speaker_id in pairs:
        if (session_id, speaker_id) not in known:
            db.add(SpeakerAttendance(session_id=session_id, speaker_id=speaker_id,
                                     present=True, user_id=user_id))
            added += 1
    db.flush()
    return added


PADANG_SIGNERS = SignersIn(
    pptk_name="Drs. Syafrizal Chaniago, M.Si.", pptk_nip="196805121994031005",
    treasurer_name="Yuliana Putri, S.E.", treasurer_nip="198107152006042011", place="Padang")
SUMSEL_SIGNERS = SignersIn(
    pptk_name="Drs. H. Zulkarnain Ibrahim, M.M.", pptk_nip="196707211993031003",
    treasurer_name="Hj. Marlina Dewi, S.E., M.Ak.", treasurer_nip="197803042005012004",
    place="Palembang")


def _seed_office(db: Session, training: Training, password: str, email: str, year: int,
                 table: dict[str, Any], finance_fields: Finance, signers: SignersIn) -> None:
    """One office's treasurer (`email`, named in `signers`), its rate table of `year`, its
    narasumber's finance fields, the training's signers and narasumber presence."""
    org_id = training.organization_id
    treasurer = _treasurer(db, org_id, email, signers.treasurer_name, password)
    if rates.find(db, org_id, year) is None:
        rates.save(db, org_id, year, RateTableIn.model_validate(table), treasurer)
    _finance(db, org_id, finance_fields)
    compute.save_signers(db, training, signers)
    _speaker_presence(db, training, None)


def seed_spj(db: Session, admin_password: str, padang: Training,
             province: Training | None = None) -> None:
    """Padang's treasurer, its 2018 rate table, its narasumber's finance fields and the
    signers of the training; the same for the Sumsel workshop (2022) when given.
    Flushes only; seeding twice changes nothing."""
    _seed_office(db, padang, admin_password, PADANG_TREASURER, 2018, PADANG_2018,
                 PADANG_FINANCE, PADANG_SIGNERS)
    if province is not None:
        _seed_office(db, province, admin_password, SUMSEL_TREASURER, 2022, SUMSEL_2022,
                     SUMSEL_FINANCE, SUMSEL_SIGNERS)
