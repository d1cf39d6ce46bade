"""The demo's guests, committee and narasumber attendance.

Padang 2018: the officials who opened the training on its first day, the committee of
the DP3AP2KB present every day, and each session's narasumber, present but for one
session a speaker missed (the SPJ pays honorarium for the others only). Sumsel 2022: the
workshop's opening guests and its committee. Names are made up; positions are the real
posts of such offices."""

from datetime import date

from sqlmodel import Session

from service.models import Training
from service.models.base import pk
from service.models.guests import EventPerson, EventPersonAttendance
from service.models.speaker_attendance import SpeakerAttendance
from service.schemas.guests import PersonCreate
from service.services.guests import people, speaker_attendance

# name, position, institution
PADANG_GUESTS = (
    ("Drs. H. Syafrizal Amri, M.M.", "Wakil Wali Kota Padang", "Pemerintah Kota Padang"),
    ("Dr. Ir. Hardiansyah Putra, M.Si.", "Kepala Perwakilan",
     "Perwakilan BKKBN Provinsi Sumatera Barat"),
    ("Hj. Yusnidar Rahman, S.H., M.M.", "Kepala Dinas", "DP3AP2KB Kota Padang"),
    ("Ny. Hj. Rosmaniar Syafrizal", "Ketua", "TP-PKK Kota Padang"),
    ("Afrizal Chaniago, S.STP., M.Si.", "Camat Padang Barat", "Kecamatan Padang Barat"),
)
# role, name, position, institution, NIP
PADANG_COMMITTEE = (
    ("Penanggung jawab", "Hj. Yusnidar Rahman, S.H., M.M.", "Kepala Dinas",
     "DP3AP2KB Kota Padang", "196805121994032004"),
    ("Ketua", "Drs. Zulkifli Anwar", "Kepala Bidang Pengendalian Penduduk dan KB",
     "DP3AP2KB Kota Padang", "197003151997031003"),
    ("Sekretaris", "Rina Oktavia, S.Sos.", "Kepala Seksi Advokasi dan KIE",
     "DP3AP2KB Kota Padang", "198010202005012011"),
    ("Bendahara", "Yulia Fitri, S.E.", "Bendahara Pengeluaran Pembantu",
     "DP3AP2KB Kota Padang", "198507072010012016"),
    ("Anggota", "Hendra Saputra, S.Kom.", "Pengelola Data", "DP3AP2KB Kota Padang", ""),
    ("Anggota", "Desi Ramadhani, A.Md.", "Staf Bidang KB", "DP3AP2KB Kota Padang", ""),
    ("Anggota", "Ferdi Kurniawan", "PKB Kecamatan Koto Tangah", "DP3AP2KB Kota Padang", ""),
    ("Anggota", "Mutia Sari, S.KM.", "PKB Kecamatan Kuranji", "DP3AP2KB Kota Padang", ""),
)
SUMSEL_GUESTS = (
    ("Drs. H. Ahmad Najib, M.A.P.", "Asisten I Sekretariat Daerah",
     "Pemerintah Provinsi Sumatera Selatan"),
    ("Dr. dr. Mediheryanti Saleh, M.Kes.", "Kepala Perwakilan",
     "Perwakilan BKKBN Provinsi Sumatera Selatan"),
    ("Ir. Darmawan Syahri, M.T.", "Kepala Bappeda", "Bappeda Provinsi Sumatera Selatan"),
)
SUMSEL_COMMITTEE = (
    ("Penanggung jawab", "Dr. dr. Mediheryanti Saleh, M.Kes.", "Kepala Perwakilan",
     "Perwakilan BKKBN Provinsi Sumatera Selatan", ""),
    ("Ketua", "Hj. Siti Aminah, S.Sos., M.Si.", "Koordinator Bidang Latbang",
     "Perwakilan BKKBN Provinsi Sumatera Selatan", ""),
    ("Sekretaris", "Rudi Hartono, S.E.", "Analis Kebijakan",
     "Perwakilan BKKBN Provinsi Sumatera Selatan", ""),
    ("Bendahara", "Lestari Wulandari, S.E.", "Bendahara Pengeluaran",
     "Perwakilan BKKBN Provinsi Sumatera Selatan", ""),
    ("Anggota", "M. Fajri Alamsyah, S.Kom.", "Pranata Komputer",
     "Perwakilan BKKBN Provinsi Sumatera Selatan", ""),
    ("Anggota", "Nurul Hidayah, A.Md.", "Pengadministrasi Umum",
     "Perwakilan BKKBN Provinsi Sumatera Selatan", ""),
)


def _add(db: Session, training: Training, guests: tuple[tuple[str, str, str], ...],
         committee: tuple[tuple[str, str, str, str, str], ...]
         ) -> tuple[list[EventPerson], list[EventPerson]]:
    added_guests = [people.add_person(db, training, PersonCreate(
        kind="guest", name=n, position=p, institution=i)) for n, p, i in guests]
    added_committee = [people.add_person(db, training, PersonCreate(
        kind="committee", committee_role=r, name=n, position=p, institution=i, nip=nip or None))
        for r, n, p, i, nip in committee]
    return added_guests, added_committee


def _present(db: Session, persons: list[EventPerson], days: list[date],
             admin_id: int | None, via: str) -> None:
    db.add_all([EventPersonAttendance(person_id=pk(p), day=d, present=True, via=via,
                                      user_id=admin_id) for p in persons for d in days])


def _seed_training(db: Session, training: Training, guests: tuple[tuple[str, str, str], ...],
                   committee: tuple[tuple[str, str, str, str, str], ...],
                   admin_id: int | None) -> None:
    days = people.training_days(db, training)
    invited, panitia = _add(db, training, guests, committee)
    # The guests came to the opening; the committee scanned its cards every day.
    _present(db, invited, days[:1], admin_id, "tick")
    _present(db, panitia, days, admin_id, "scan")
    db.flush()


def _speakers(db: Session, training: Training, admin_id: int | None) -> None:
    """Every session's narasumber present, ticked by the committee (a few by their own
    link), but the first narasumber of Angkatan III's first afternoon, who missed it."""
    slots = speaker_attendance.slots(db, training)
    third_days = sorted({s.session.date for s in slots if s.batch.name.endswith(" III")})
    missed = next((s for s in slots if third_days and s.session.date == third_days[0]
                   and s.batch.name.endswith(" III") and s.session.start_time.hour >= 13),
                  None)
    for i, s in enumerate(slots):
        absent = missed is not None and s is missed
        via_link = not absent and i % 7 == 3
        db.add(SpeakerAttendance(session_id=pk(s.session), speaker_id=pk(s.speaker),
                                 present=not absent, via_link=via_link,
                                 user_id=None if via_link else admin_id))
    db.flush()


def seed_guests(db: Session, padang: Training | None = None,
                province: Training | None = None, admin_id: int | None = None) -> None:
    """Padang's guests, committee and narasumber attendance; Sumsel's guests and
    committee. Either may be left out; a training that lists people already is left as
    it is (seeding twice adds nothing). Flushes only."""
    if padang is not None and not people.list_people(db, padang):
        _seed_training(db, padang, PADANG_GUESTS, PADANG_COMMITTEE, admin_id)
        _speakers(db, padang, admin_id)
    if province is not None and not people.list_people(db, province):
        _seed_training(db, province, SUMSEL_GUESTS, SUMSEL_COMMITTEE, None)
