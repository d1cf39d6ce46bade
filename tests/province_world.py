"""A hand-built West Sumatra for the province view: a province office, two offices that
share with it (Padang with a register and two trainings, Bukittinggi with one), one that
does not (Agam, which shares with another province instead), and people whose names,
NIKs, NIPs, phones and emails are distinctive enough to be searched for in every answer.

Padang, all years (the figures tests/test_province.py expects):

| cadre | training | category | Kampung KB | present | JPL |
|---|---|---|---|---|---|
| 0 | 2018 | Kader BKB | Melati | both days (certificate) | 6 |
| 1 | 2018 | Kader BKB | Melati | day 1 | 4 |
| 2 | 2018 | PIK R | Melati | never | 0 |
| 3 | 2018 | PKB | Mawar | day 1 | 4 |
| 4 | 2018 | Kader BKR | Kenanga (not in the register) | day 2 | 2 |
| 0 | 2019 | Kader BKB | Melati | its one day | 3 |
| 5 | 2019 | Kader BKR | Anggrek | its one day | 3 |

The 2018 training's agenda: two 2-JPL sessions on day 1 and one on day 2 (a break on day
1 counts none); the 2019 one: one 3-JPL session.
"""

from dataclasses import dataclass
from datetime import date, time, timedelta

from sqlmodel import Session

from service.models import Batch, Organization, Registration, Training, User
from service.models.base import pk
from service.models.province import PROVINCE
from service.schemas.kampung_kb import KampungKBCreate
from service.services import kampung_kb
from service.services.province import sharing
from tests import factories

PADANG, BUKITTINGGI, AGAM = ("DP3AP2KB Kota Padang", "DPPKB Kota Bukittinggi",
                             "DPPKBPPPA Kabupaten Agam")
SUMBAR, RIAU = ("Perwakilan BKKBN Provinsi Sumatera Barat", "Perwakilan BKKBN Provinsi Riau")


def person(n: int) -> dict[str, str]:
    """The n-th person (n < 10): a name, NIK, NIP, phone and email found nowhere else."""
    return {"name": f"Zulqarnain Wiratmaja Qistiyani {n}", "nik": f"137101520385770{n}",
            "nip": f"19850312201001207{n}", "phone": f"08139977010{n}",
            "email": f"qistiyani.rahasia{n}@contoh-pribadi.id"}


def secrets_of(n: int) -> list[str]:
    """What must never reach the province of person n: the name, NIK, NIP, the phone as
    typed and as stored (its digits after the 0), the email."""
    p = person(n)
    return [p["name"], p["nik"], p["nip"], p["phone"], p["phone"][1:], p["email"],
            p["name"].split()[1]]


PEOPLE = range(8)
# The office users and the narasumber: their names and contacts stay home too.
OTHER_SECRETS = ["Adminah Rahasiawati", "admin.rahasia@padang.test", "Dr. Narasumber Tersembunyi",
                 "81266554433"]


@dataclass
class World:
    province: Organization
    other_province: Organization
    padang: Organization
    bukittinggi: Organization
    agam: Organization
    padang_admin: User
    province_admin: User
    province_user: User
    t2018: Training
    t2019: Training


def _cadre(db: Session, t: Training, b: Batch, n: int, category: str, by: User,
           days: list[int], kkb: str | None) -> Registration:
    reg = factories.register(db, t, b, **person(n), category=category, kampung_kb=kkb)
    for day in days:
        factories.check_in(db, reg, b.start_date + timedelta(days=day), by)
    return reg


def _office(db: Session, name: str, city: str, email: str,
            admin_name: str = "Adminah Rahasiawati") -> tuple[Organization, User]:
    org = factories.organization(db, name)
    org.city = city
    db.add(org)
    return org, factories.user(db, org, role="admin", email=email, name=admin_name)


def _entry(db: Session, org: Organization, name: str, village: str, district: str) -> None:
    kampung_kb.create_kampung_kb(db, pk(org), KampungKBCreate(
        name=name, village=village, district=district, poktan=["BKB", "BKR"]))


def build(db: Session) -> World:
    province, province_admin = _office(db, SUMBAR, "Padang", "admin@sumbar.test",
                                      "Admin Perwakilan")
    sharing.set_kind(db, province, PROVINCE)
    province_user = factories.user(db, province, role="committee", email="staf@sumbar.test")
    riau, _riau_admin = _office(db, RIAU, "Pekanbaru", "admin@riau.test")
    sharing.set_kind(db, riau, PROVINCE)

    padang, admin = _office(db, PADANG, "Padang", "admin.rahasia@padang.test")
    _entry(db, padang, "Kampung KB Melati", "Air Tawar Barat", "Padang Utara")
    _entry(db, padang, "Kampung KB Anggrek", "Ulak Karang Utara", "Padang Utara")
    _entry(db, padang, "Kampung KB Mawar", "Lapai", "Nanggalo")
    kampung_kb.set_target(db, pk(padang), 10)
    cats = ("Kader BKB", "Kader BKR", "PIK R", "PKB")
    speaker = factories.speaker(db, padang, name="Dr. Narasumber Tersembunyi",
                                phone="081266554433")
    t2018 = factories.training(db, padang, title="Pelatihan Kader Kampung KB 2018",
                               start=date(2018, 9, 12), days=2, categories=cats)
    b2018 = factories.batch(db, t2018)
    day1, day2 = b2018.start_date, b2018.end_date
    factories.session(db, t2018, b2018, "Kebijakan Kampung KB", day1, time(8), time(9, 30),
                      jpl=2, teachers=[speaker])
    factories.session(db, t2018, b2018, "Rehat kopi", day1, time(9, 30), time(10), jpl=0,
                      kind="break")
    factories.session(db, t2018, b2018, "Pengelolaan BKB", day1, time(10), time(11, 30), jpl=2)
    factories.session(db, t2018, b2018, "Pencatatan dan pelaporan", day2, time(8),
                      time(9, 30), jpl=2)
    _cadre(db, t2018, b2018, 0, "Kader BKB", admin, [0, 1], "Kampung KB Melati")
    _cadre(db, t2018, b2018, 1, "Kader BKB", admin, [0], "Kampung KB Melati")
    _cadre(db, t2018, b2018, 2, "PIK R", admin, [], "Kampung KB Melati")
    _cadre(db, t2018, b2018, 3, "PKB", admin, [0], "Kampung KB Mawar")
    _cadre(db, t2018, b2018, 4, "Kader BKR", admin, [1], "Kampung KB Kenanga")
    factories.certificate_template_for(db, t2018, admin)
    assert len(factories.issue_certificates(db, t2018, admin)) == 1  # cadre 0 only

    t2019 = factories.training(db, padang, title="Pembinaan Kader Kampung KB 2019",
                               start=date(2019, 3, 5), days=1, categories=cats,
                               kind="pembinaan")
    b2019 = factories.batch(db, t2019, days=1)
    factories.session(db, t2019, b2019, "Evaluasi poktan", b2019.start_date, time(8),
                      time(10, 15), jpl=3)
    _cadre(db, t2019, b2019, 0, "Kader BKB", admin, [0], "Kampung KB Melati")
    _cadre(db, t2019, b2019, 5, "Kader BKR", admin, [0], "Kampung KB Anggrek")
    kampung_kb.match_participants(db, pk(padang))

    bukittinggi, bkt_admin = _office(db, BUKITTINGGI, "Bukittinggi", "admin@bukittinggi.test")
    t_bkt = factories.training(db, bukittinggi, title="Bimtek Kader Bukittinggi",
                               start=date(2019, 6, 3), days=1, categories=cats, kind="bimtek")
    b_bkt = factories.batch(db, t_bkt, days=1)
    _cadre(db, t_bkt, b_bkt, 6, "Kader BKB", bkt_admin, [0], None)

    agam, agam_admin = _office(db, AGAM, "Lubuk Basung", "admin@agam.test")
    t_agam = factories.training(db, agam, title="Pelatihan Kader Agam",
                                start=date(2019, 7, 1), days=1, categories=cats)
    b_agam = factories.batch(db, t_agam, days=1)
    _cadre(db, t_agam, b_agam, 7, "Kader BKB", agam_admin, [0], None)

    sharing.share(db, pk(padang), pk(province), admin)
    sharing.share(db, pk(bukittinggi), pk(province), bkt_admin)
    # Agam shares with Riau, not with West Sumatra.
    sharing.share(db, pk(agam), pk(riau), agam_admin)
    return World(province, riau, padang, bukittinggi, agam, admin, province_admin,
                 province_user, t2018, t2019)
