"""The trainings of one bench_province office over five years: programmes of three stages
(stage 1 by kecamatan, stage 2 for most of stage 1, then monthly coaching on six meeting
days), and ordinary trainings of 30 to 180 people in 1 to 4 batches of 2 or 3 days; each
with its categories, agenda, registrations, the door's check-ins (per day, or per
session for some), a few committee marks, and certificates for those present every day.

Who goes where: every person holds one ticket or more (a cadre goes to many trainings,
most people to one or two); the tickets, shuffled, are dealt to the trainings in order of
their dates."""

from __future__ import annotations

import math
import random
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from bench.province_people import CATEGORIES, Person

FIRST_DAY, LAST_DAY = date(2021, 1, 4), date(2025, 12, 12)
ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")
KINDS = (("pelatihan", 40), ("bimtek", 25), ("workshop", 10), ("pembinaan", 10),
         ("pertemuan", 15))
TOPICS = {
    "pelatihan": ("Pelatihan Kader Kampung KB", "Pelatihan Pengelolaan Poktan Kampung KB",
                  "Pelatihan Kader BKB Holistik Integratif", "Pelatihan Pendidik Sebaya PIK-R",
                  "Pelatihan Pengelola UPPKS"),
    "bimtek": ("Bimtek Pengelola Kampung KB", "Bimtek Rumah Data Kependudukan",
               "Bimtek Pencatatan dan Pelaporan Poktan"),
    "workshop": ("Workshop Penguatan Kampung KB", "Workshop Percepatan Penurunan Stunting"),
    "pembinaan": ("Pembinaan Kader Poktan", "Pembinaan Kelompok UPPKS"),
    "pertemuan": ("Pertemuan Pokja Kampung KB", "Rapat Koordinasi Kampung KB"),
}
# (start, end, kind, JPL) of each agenda item of a day.
DAY_AGENDA = (("08:00", "09:30", "material", 2), ("09:30", "09:45", "break", 0),
              ("09:45", "11:15", "material", 2), ("13:00", "14:30", "material", 2))
MATERIALS = ("Kebijakan Program Bangga Kencana", "Pengelolaan Kampung KB",
             "Pencatatan dan Pelaporan Poktan", "Pengasuhan 1000 Hari Pertama Kehidupan",
             "Kesehatan Reproduksi Remaja", "Pemberdayaan Ekonomi Keluarga",
             "Perawatan Lansia", "Praktik Penyuluhan")
MEETINGS = 6  # the coaching stage's monthly meetings
WIB = timedelta(hours=7)

Sink = Callable[[str, tuple[object, ...]], None]


def _t(hm: str) -> time:
    return time(int(hm[:2]), int(hm[3:]))


@dataclass
class Ids:
    """The next id of each table: explicit ids, so that rows can refer to each other."""

    next: dict[str, int] = field(default_factory=lambda: defaultdict(lambda: 1))

    def take(self, table: str) -> int:
        value = self.next[table]
        self.next[table] += 1
        return value


@dataclass
class Plan:
    """A training before it has people: programme stages 2 and 3 take theirs from stage 1."""

    kind: str
    start: date
    size: int
    program: int | None = None
    stage: int | None = None
    after: Plan | None = None  # the stage its people come from
    share: float = 1.0  # of `after`'s people
    people: list[int] = field(default_factory=list)
    id: int = 0


@dataclass
class Office:
    """What one office's trainings need to know about it."""

    id: int
    regency: str
    people: dict[int, Person]
    registrations: int  # how many to make in all
    rng: random.Random
    certificates: int = 0  # issued so far (their numbers' sequence)


def _ticket_counts(rng: random.Random, people: list[int], total: int) -> list[int]:
    """How many trainings each person goes to: at least one, a long tail of cadres in
    many (up to 40, and at most half the office's trainings), summing to `total`."""
    mean_extra = max(total / max(len(people), 1) - 1, 0.01)
    p = 1 / (1 + mean_extra)
    most = max(2, min(40, total // 105 // 2), -(-total // max(len(people), 1)) + 1)
    counts = [1 + min(int(math.log(1 - rng.random()) / math.log(1 - p)), most - 1)
              for _ in people]
    diff = total - sum(counts)
    while diff > 0:
        i = rng.randrange(len(counts))
        if counts[i] < most:
            counts[i] += 1
            diff -= 1
    while diff < 0:
        i = rng.randrange(len(counts))
        if counts[i] > 1:
            counts[i] -= 1
            diff += 1
    return counts


def _day(rng: random.Random, first: date, last: date) -> date:
    d = first + timedelta(days=rng.randint(0, (last - first).days))
    return d - timedelta(days=max(d.weekday() - 3, 0))  # Monday to Thursday


def plan(office: Office, programs: list[int]) -> list[Plan]:
    """The office's trainings over five years, with stage 1 and ordinary trainings given
    their people (stages 2 and 3 are given theirs by `people_of_stages`)."""
    rng = office.rng
    ids = list(office.people)
    plans: list[Plan] = []
    years = LAST_DAY.year - FIRST_DAY.year + 1
    for n, program_id in enumerate(programs):
        year = FIRST_DAY.year + n % years
        first = Plan("bimtek", _day(rng, date(year, 2, 1), date(year, 5, 31)),
                     min(len(ids) // 2, rng.randint(120, 400)), program_id, 1)
        second = Plan("bimtek", first.start + timedelta(days=63), 0, program_id, 2, first, 0.85)
        third = Plan("pembinaan", second.start + timedelta(days=42), 0, program_id, 3, second,
                     0.7)
        plans += [first, second, third]
    later = 0  # the registrations of stages 2 and 3
    for p in plans:
        if p.stage == 1:
            second = round(p.size * 0.85)
            later += second + round(second * 0.7)
    pool_size = max(office.registrations - later, len(ids))
    tickets = [pid for pid, n in zip(ids, _ticket_counts(rng, ids, pool_size), strict=True)
               for _ in range(n)]
    rng.shuffle(tickets)
    left = len(tickets) - sum(p.size for p in plans)
    while left > 0:
        size = min(rng.randint(30, 180), left)
        if size < 10 and plans and plans[-1].stage is None:
            plans[-1].size += size
        else:
            kind = rng.choices([k for k, _ in KINDS], [w for _, w in KINDS])[0]
            plans.append(Plan(kind, _day(rng, FIRST_DAY, LAST_DAY), size))
        left -= size
    plans.sort(key=lambda p: (p.start, p.stage or 0))
    carry: list[int] = []
    position = 0
    for p in plans:
        if p.after is not None:
            continue
        chosen: set[int] = set()
        later_ones: list[int] = []
        for pid in carry:  # tickets a training before already held
            if pid in chosen or len(chosen) >= p.size:
                later_ones.append(pid)
            else:
                chosen.add(pid)
        while len(chosen) < p.size and position < len(tickets):
            pid = tickets[position]
            position += 1
            if pid in chosen:
                later_ones.append(pid)
            else:
                chosen.add(pid)
        carry = later_ones
        p.people = sorted(chosen)
        rng.shuffle(p.people)
    _place_leftovers(rng, [p for p in plans if p.after is None], carry)
    return plans


def _place_leftovers(rng: random.Random, plans: list[Plan], tickets: list[int]) -> None:
    """Tickets still held at the end (a cadre's twentieth ticket among the last few
    trainings) go to a random training without that person, so the total holds."""
    if not plans:
        return
    members = [set(p.people) for p in plans]
    for pid in tickets:
        for _ in range(50):
            i = rng.randrange(len(plans))
            if pid not in members[i]:
                members[i].add(pid)
                plans[i].people.append(pid)
                break


def people_of_stages(rng: random.Random, plans: list[Plan]) -> None:
    for p in sorted((p for p in plans if p.after is not None), key=lambda p: p.stage or 0):
        source = p.after.people if p.after is not None else []
        p.people = rng.sample(source, round(len(source) * p.share))


def _batches(rng: random.Random, p: Plan, ids: Ids) -> list[tuple[int, str, list[date]]]:
    """(id, name, meeting days) of the training's batches: two side by side each week;
    the coaching stage meets once a month."""
    if p.stage == 3:
        return [(ids.take("batch"), "Angkatan I",
                 [p.start + timedelta(days=28 * k) for k in range(MEETINGS)])]
    length = rng.choice((2, 2, 3))
    count = min(4, max(1, math.ceil(len(p.people) / 60)))
    out = []
    for i in range(count):
        first = p.start + timedelta(days=7 * (i // 2))
        out.append((ids.take("batch"), f"Angkatan {ROMAN[i]}",
                    [first + timedelta(days=k) for k in range(length)]))
    return out


def _agenda(rng: random.Random, batch_id: int, days: list[date], meets: bool, ids: Ids,
            sink: Sink, now: datetime) -> dict[date, list[int]]:
    """The batch's agenda rows; the material sessions of each day."""
    materials: dict[date, list[int]] = defaultdict(list)
    items = (("09:00", "10:30", "material", 2),) if meets else DAY_AGENDA
    for day in days:
        for start, end, kind, jpl in items:
            sid = ids.take("agenda_session")
            title = rng.choice(MATERIALS) if kind == "material" else "Rehat kopi"
            sink("agenda_session", (sid, batch_id, day, _t(start), _t(end), title, kind, jpl,
                                    None, None, None, now))
            if kind == "material":
                materials[day].append(sid)
    return materials


def _moment(day: date, hm: str, seconds: int = 0) -> datetime:
    return datetime.combine(day, _t(hm), UTC) - WIB + timedelta(seconds=seconds)


def emit(office: Office, p: Plan, ids: Ids, sink: Sink, now: datetime) -> None:
    """Write one training's rows: the training, its categories, batches and agenda, the
    registrations, check-ins, committee marks and certificates."""
    rng = office.rng
    tid = p.id = ids.take("training")
    per_session = p.stage is None and p.kind in ("pelatihan", "bimtek") and rng.random() < 0.06
    batches = _batches(rng, p, ids)
    end = max(days[-1] for _b, _n, days in batches)
    stage = f" Tahap {p.stage}" if p.stage in (1, 2) else ""
    title = (f"{rng.choice(TOPICS[p.kind])}{stage} {office.regency} {p.start.year}"
             if p.stage != 3 else f"Pembinaan Bulanan Pengelola Kampung KB {office.regency} "
             f"{p.start.year}")
    created = _moment(p.start, "08:00", -30 * 86400)
    sink("training", (tid, office.id, title, p.kind, p.start, end, "Asia/Jakarta", None, None,
                      "district", "session" if per_session else "day", None, None, None,
                      False, p.program, p.stage, None, None, created))
    names = rng.sample(CATEGORIES, rng.randint(3, 6))
    category = {name: ids.take("trainingcategory") for name in names}
    taken: dict[str, int] = defaultdict(int)
    sessions = {bid: _agenda(rng, bid, days, p.stage == 3, ids, sink, now)
                for bid, _n, days in batches}
    confirmed: dict[int, int] = defaultdict(int)
    certified = p.kind in ("pelatihan", "bimtek", "workshop") and rng.random() < 0.85
    for n, pid in enumerate(p.people):
        person = office.people[pid]
        rid = ids.take("registration")
        u = rng.random()
        status = "cancelled" if u < 0.03 else "waitlisted" if u < 0.05 else "confirmed"
        bid, _name, days = batches[n % len(batches)]
        created = _moment(p.start, "10:00", -rng.randint(3, 30) * 86400)
        name = person.role if person.role in category else rng.choice(names)
        if status != "cancelled":
            taken[name] += 1
        sink("registration", (
            rid, tid, pid, bid if status == "confirmed" else None, None, category[name], status,
            f"{rng.getrandbits(144):036x}", person.contact_key,
            "program" if p.stage in (2, 3) else rng.choice(("import", "import", "manual")),
            created, created + timedelta(days=2) if status == "cancelled" else None, None))
        if status != "confirmed":
            continue
        confirmed[bid] += 1
        present = _attend(rng, rid, bid, days, sessions[bid], per_session, ids, sink)
        if certified and present == set(days):
            _certificate(office, tid, rid, person, days[-1], ids, sink)
    for position, (bid, bname, days) in enumerate(batches):
        meetings = [d.isoformat() for d in days] if p.stage == 3 else None
        sink("batch", (bid, tid, bname, days[0], days[-1],
                       max(confirmed[bid], math.ceil(len(p.people) / len(batches))) + 5, None,
                       meetings, confirmed[bid], position, now))
    for position, (name, cid) in enumerate(category.items()):
        sink("trainingcategory", (cid, tid, name, None, taken[name], position))


def _attend(rng: random.Random, rid: int, bid: int, days: list[date],
            sessions: dict[date, list[int]], per_session: bool, ids: Ids, sink: Sink
            ) -> set[date]:
    """The door's check-ins of one registration (most people come every day, a few
    never), and now and then a committee mark; the days present in the end."""
    present = set() if rng.random() < 0.04 else {d for d in days if rng.random() < 0.94}
    for day in sorted(present):
        slots = [0]
        if per_session:
            slots = [s for s in sessions[day] if rng.random() < 0.92] or sessions[day][:1]
        for slot in slots:
            scanned = _moment(day, "07:30", rng.randint(0, 5400))
            sink("checkin", (ids.take("checkin"), rid, bid, day, slot, slot or None, scanned,
                             scanned + timedelta(seconds=1), f"pintu-{rng.randint(1, 2)}",
                             "manual" if rng.random() < 0.04 else "qr", None, None, False))
    if rng.random() < 0.015:
        day, u = rng.choice(days), rng.random()
        mark: tuple[str, str | None, str] | None = None
        if day in present and u < 0.3:
            mark = ("absent", None, "Salah pindai: bukan peserta angkatan ini")
            present.discard(day)
        elif day not in present:
            mark = (("present", None, "Hadir, lupa pindai QR (daftar hadir)") if u < 0.6
                    else ("excused", rng.choice(("leave", "sick")), "Surat izin"))
            if u < 0.6:
                present.add(day)
        if mark is not None:
            sink("attendance_mark", (ids.take("attendance_mark"), rid, bid, day, 0, None,
                                     *mark, None, _moment(day + timedelta(days=1), "10:00")))
    return present


def _certificate(office: Office, tid: int, rid: int, person: Person, last_day: date,
                 ids: Ids, sink: Sink) -> None:
    rng = office.rng
    office.certificates += 1
    issued = _moment(last_day + timedelta(days=3), "09:00")
    revoked = rng.random() < 0.003
    sink("certificate", (
        ids.take("certificate"), office.id, tid, rid, person.name,
        f"{office.certificates:03}/SERT/{ROMAN[issued.month - 1]}/{issued.year}",
        f"{rng.getrandbits(128):032x}", issued, None,
        issued + timedelta(days=10) if revoked else None, None,
        "Nama salah tulis" if revoked else None, None))
