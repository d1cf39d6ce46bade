"""A small SPJ world computed by hand (tests/test_spj_*.py, tests/test_treasurer_*.py).

Padang, Angkatan I, 12-13 September 2018; the 2018 rate table below.

Transport (per day: transport + meals 40.000; tax 0%):
- Ani, Kota Padang (within the city): 150.000 + 40.000 = 190.000 × 2 days = 380.000
- Budi, sent by the unit "Kabupaten Padang Pariaman": 250.000 + 40.000 = 290.000 × 1 day
  (absent on day 2) = 290.000
- Citra, Kabupaten Solok (zone II): 350.000 + 40.000 = 390.000 × 2 days = 780.000
  transport: gross 1.450.000, tax 0, net 1.450.000

Honorarium (per JP):
- Dr. Hendra (Eselon II: 1.000.000, golongan IV with NPWP: 15%): 3 + 2 JP present = 5 JP
  -> 5.000.000, tax 750.000, net 4.250.000
- Rina (Non-ASN/Praktisi: 900.000, no NPWP: 6%): 2 JP present, 2 JP not recorded ->
  1.800.000, tax 108.000, net 1.692.000
  honorarium: gross 6.800.000, tax 858.000, net 5.942.000

Total: gross 8.250.000, tax 858.000, net 7.392.000
("tujuh juta tiga ratus sembilan puluh dua ribu rupiah").
"""

from dataclasses import dataclass
from datetime import time, timedelta
from typing import Any

from sqlmodel import Session

from service.models import (
    AgendaSession,
    Batch,
    Organization,
    OrgUnit,
    Registration,
    Speaker,
    Training,
    User,
)
from service.models.base import pk
from service.models.speaker_attendance import SpeakerAttendance
from service.schemas.spj import RateTableIn, SpeakerFinanceIn
from service.services.spj import finance, rates
from tests import factories

NPWP = "123456789012345"  # recognisable in any page or export
ACCOUNT = "7788990011"
NIP = "197001011990031002"


def rates_2018() -> dict[str, Any]:
    return {
        "honorarium_unit": "jp",
        "classes": [{"name": "Eselon I", "rate": 1_400_000},
                    {"name": "Eselon II", "rate": 1_000_000},
                    {"name": "Eselon III ke bawah", "rate": 900_000},
                    {"name": "Non-ASN/Praktisi", "rate": 900_000}],
        "transport": {
            "within_city": 150_000, "default": 400_000,
            "regencies": [{"name": "Kabupaten Padang Pariaman", "rate": 250_000}],
            "zones": [{"name": "Zona II", "rate": 350_000,
                       "regencies": ["Kota Solok", "Kabupaten Solok"]}]},
        "daily_allowance": 0, "meals": 40_000,
        "tax": {"transport": "0",
                "pph21": {"I": {"with_npwp": "0", "without_npwp": "0"},
                          "II": {"with_npwp": "0", "without_npwp": "0"},
                          "III": {"with_npwp": "5", "without_npwp": "6"},
                          "IV": {"with_npwp": "15", "without_npwp": "18"},
                          "non_asn": {"with_npwp": "5", "without_npwp": "6"}}},
    }


@dataclass
class World:
    org: Organization
    committee: User
    treasurer: User
    training: Training
    batch: Batch
    ani: Registration
    budi: Registration
    citra: Registration
    hendra: Speaker
    rina: Speaker
    unrecorded: AgendaSession


def build(db: Session) -> World:
    org = factories.organization(db)
    org.city = "Padang"
    db.add(org)
    committee = factories.user(db, org, role="committee", email="panitia@padang.test")
    treasurer = factories.user(db, org, role="treasurer", name="Yuliana",
                               email="bendahara@padang.test")
    rates.save(db, pk(org), 2018, RateTableIn.model_validate(rates_2018()), treasurer)
    t = factories.training(db, org, days=2, categories=())
    b = factories.batch(db, t, days=2)
    day1, day2 = t.start_date, t.start_date + timedelta(days=1)
    ani = factories.register(db, t, b, name="Ani Suryani", regency="Kota Padang")
    unit = OrgUnit(organization_id=pk(org), name="Kabupaten Padang Pariaman",
                   kind="kabupaten_kota")
    db.add(unit)
    db.flush()
    budi = factories.register(db, t, b, name="Budi Santoso", regency="Padang")
    budi.unit_id = pk(unit)  # the unit that sent him decides, not what he typed
    db.add(budi)
    citra = factories.register(db, t, b, name="Citra Lestari", regency="Kabupaten Solok")
    for reg in (ani, budi, citra):
        factories.check_in(db, reg, day1, committee)
    for reg in (ani, citra):
        factories.check_in(db, reg, day2, committee)

    hendra = factories.speaker(db, org, name="Dr. Hendra Gunawan", institution="BKKBN Sumbar")
    finance.save(db, hendra, SpeakerFinanceIn(
        nip=NIP, golongan="IV", npwp="12.345.678.9-012.345", bank_name="Bank Nagari",
        bank_account=ACCOUNT, account_holder="Hendra Gunawan", honorarium_class="Eselon II"))
    rina = factories.speaker(db, org, name="Rina Marlina", institution="PKK Kota Padang")
    finance.save(db, rina, SpeakerFinanceIn(honorarium_class="Non-ASN/Praktisi",
                                            bank_name="BRI", bank_account="5566778899"))
    s1 = factories.session(db, t, b, "Kebijakan Kampung KB", day=day1, start=time(8),
                           end=time(10, 15), jpl=3, teachers=[hendra])
    s2 = factories.session(db, t, b, "Pengasuhan Balita", day=day1, start=time(10, 30),
                           end=time(12), jpl=2, teachers=[rina])
    s3 = factories.session(db, t, b, "Rencana Tindak Lanjut", day=day2, start=time(8),
                           end=time(9, 30), jpl=2, teachers=[hendra])
    s4 = factories.session(db, t, b, "Ketahanan Keluarga", day=day2, start=time(10),
                           end=time(11, 30), jpl=2, teachers=[rina])
    for s, who in ((s1, hendra), (s2, rina), (s3, hendra)):
        db.add(SpeakerAttendance(session_id=pk(s), speaker_id=pk(who), present=True,
                                 user_id=committee.id))
    db.flush()
    return World(org, committee, treasurer, t, b, ani, budi, citra, hendra, rina, s4)
