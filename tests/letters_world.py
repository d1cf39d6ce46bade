"""A world for the letters' tests: Padang's office with its letter settings, a two-day
training at a hotel with two narasumber in its timetable, three invited units and a
committee of three. Built through the services (and EventPerson rows directly)."""

import secrets
from dataclasses import dataclass
from datetime import date, time

from sqlmodel import Session

from service.models import (
    EventPerson,
    LetterSettings,
    Organization,
    Speaker,
    Training,
    TrainingUnit,
    User,
)
from service.models.base import pk
from service.schemas.letters import LetterKindSetting, LetterSettingsIn
from service.services.letters import settings
from service.services.nominations import units as nomination_units
from tests import factories as f

HEADER = ["PEMERINTAH KOTA PADANG",
          "DINAS PENGENDALIAN PENDUDUK, KELUARGA BERENCANA, PEMBERDAYAAN PEREMPUAN DAN "
          "PERLINDUNGAN ANAK",
          "Jl. Jenderal Sudirman No. 1, Padang Telp. (0751) 123456 Email dp3ap2kb@padang.go.id"]
PATTERN = "{seq:03}/{code}/DP3AP2KB/{roman_month}/{year}"
NIP = "196805141994031007"


def settings_in(**over: object) -> LetterSettingsIn:
    data: dict[str, object] = {
        "header_lines": HEADER, "place": "Padang",
        "signatory_name": "Drs. H. Editiawarman, M.Si.", "signatory_nip": NIP,
        "signatory_position": "Kepala Dinas", "contact": "Rina Marlina (0812 6634 0001)",
        "kinds": {"invitation": LetterKindSetting(pattern=PATTERN, code="005"),
                  "speaker_request": LetterKindSetting(pattern=PATTERN, code="005"),
                  "committee_assignment": LetterKindSetting(pattern=PATTERN, code="094")}}
    data.update(over)
    return LetterSettingsIn.model_validate(data)


def set_up(db: Session, org: Organization, by: User | None = None) -> LetterSettings:
    return settings.save(db, pk(org), settings_in(), by)


@dataclass
class World:
    org: Organization
    admin: User
    training: Training
    speakers: list[Speaker]
    units: list[TrainingUnit]
    committee: list[EventPerson]


def committee_member(db: Session, t: Training, name: str, nip: str, position: str,
                     role: str, order: int) -> EventPerson:
    p = EventPerson(training_id=pk(t), kind="committee", name=name, nip=nip,
                    position=position, committee_role=role, token=secrets.token_hex(16),
                    sort_order=order)
    db.add(p)
    db.flush()
    return p


def world(db: Session, *, with_settings: bool = True, units: int = 3,
          committee: bool = True) -> World:
    org = f.organization(db)
    admin = f.user(db, org, role="admin", name="Admin Padang")
    venue = f.venue(db, org, "Hotel Pangeran Beach")
    t = f.training(db, org, title="Pelatihan Kader Kampung KB Kota Padang", days=2,
                   categories=(), venue_id=venue.id)
    b = f.batch(db, t, days=2)
    siti = f.speaker(db, org, "Dr. Siti Rahma", title="M.Kes.", position="Kepala Bidang KB",
                     institution="Perwakilan BKKBN Sumatera Barat")
    budi = f.speaker(db, org, "Budi Santoso", institution="Dinas Kesehatan Kota Padang")
    f.session(db, t, b, "Kebijakan Program Bangga Kencana", start=time(8), end=time(9, 30),
              jpl=2, teachers=[siti])
    f.session(db, t, b, "Kesehatan Reproduksi Remaja", day=date(2018, 9, 13),
              start=time(10), end=time(12, 15), jpl=3, teachers=[siti])
    f.session(db, t, b, "Gizi Keluarga", start=time(10), end=time(11, 30), jpl=2,
              teachers=[budi])
    names = ["Kecamatan Padang Barat", "Kecamatan Kuranji", "Dinas Kesehatan Kota Padang",
             "Kota Pariaman"][:units]
    tus = [nomination_units.add_unit(db, t, quota=8 - i, name=n, kind="kecamatan",
                                     deadline=date(2018, 9, 5))
           for i, n in enumerate(names)]
    members = [committee_member(db, t, "Rina Marlina, S.Sos.", "198203172006042011",
                                "Kepala Seksi Advokasi", "Ketua", 0),
               committee_member(db, t, "Andi Pratama", "199001012015031002",
                                "Penyuluh KB Ahli Pertama", "Sekretaris", 1),
               committee_member(db, t, "Yusnaini", "", "Staf", "Anggota", 2)] \
        if committee else []
    if with_settings:
        set_up(db, org, admin)
    return World(org, admin, t, [siti, budi], tus, members)
