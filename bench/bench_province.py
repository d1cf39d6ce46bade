"""A province: 200 offices, 5 years, ~500,000 registrations of 150,000 people, 20,000
Kampung KB (bench/province_data.py builds it once and caches it), on SQLite and on
PostgreSQL (when one answers). Through the real app in this process (TestClient), as a
committee member of the biggest office and of the smallest, it prints:

* person search p50/p99 over names, NIK and phone tails and NIPs (target p99 < 50 ms),
  by the API and by the page's htmx fragment;
* a person's page and API, the programme page and API, the coverage page and API for a
  whole office: median and p95 of 30 requests each, taken in rounds (every page once a
  round) so that a busy moment of the shared machine falls on all alike (target: 300 ms;
  PASS/FAIL on the median, the p95 beside it shows the spikes);
* SQL statements per request, for a small and the biggest case side by side (a person in
  1 training and in the most; the smallest office and the biggest): bounded means the
  same count for both;
* the reference, measured in the same run: GET /healthz through the same client (the
  cost of a request that does nothing), SELECT 1 on the same engine, and a fixed piece
  of CPU work timed once a round between the pages (its minimum is the idle figure; its
  median and p95 against it show how busy the machine was meanwhile).

Knobs: BENCH_PROVINCE_DB=sqlite|postgresql (one of them), BENCH_PROVINCE_RUNS=30,
BENCH_PROVINCE_SCALE=1 (province_data).
"""

from __future__ import annotations

import math
import os
import random
import statistics
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from fastapi.testclient import TestClient
from sqlalchemy import event, text
from sqlalchemy.engine import Engine

from bench import province_data
from tests.dbutil import pg_available
from tests.helpers import post_login

SEARCH_P99_MS = 50.0
PAGE_MS = 300.0
PAGE_RUNS = int(os.environ.get("BENCH_PROVINCE_RUNS", "30"))
WARMUP = 2
_CONTROL = ("BEGIN", "SAVEPOINT", "RELEASE", "ROLLBACK", "COMMIT")


@dataclass
class Timing:
    times: list[float]  # ms
    statements: int  # the most of any request
    status: int  # the first other than 200, else 200

    def pct(self, p: float) -> float:
        ordered = sorted(self.times)
        return ordered[max(0, math.ceil(p * len(ordered)) - 1)]

    @property
    def median(self) -> float:
        return statistics.median(self.times)


class Counter:
    """SQL statements the app sends (transaction control aside)."""

    def __init__(self, engine: Engine) -> None:
        self.engine, self.count = engine, 0

    def __call__(self, _conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if not statement.lstrip().upper().startswith(_CONTROL):
            self.count += 1

    def __enter__(self) -> Counter:
        event.listen(self.engine, "before_cursor_execute", self)
        return self

    def __exit__(self, *_exc: object) -> None:
        event.remove(self.engine, "before_cursor_execute", self)


class User:
    """A logged-in committee member: the browser's session cookie and an API token."""

    def __init__(self, client: TestClient, email: str, counter: Counter) -> None:
        self.client, self.counter = client, counter
        login = post_login(client, email, province_data.PASSWORD)
        assert login.status_code == 303, login.text
        token = client.post("/api/auth/token", data={"username": email,
                                                      "password": province_data.PASSWORD})
        assert token.status_code == 200, token.text
        self.bearer = {"Authorization": f"Bearer {token.json()['access_token']}"}

    def get(self, path: str, htmx: bool = False) -> tuple[float, int, int]:
        """(ms, statements, status) of one GET."""
        headers = dict(self.bearer) if path.startswith("/api/") else {}
        if htmx:
            headers["HX-Request"] = "true"
        before = self.counter.count
        started = time.perf_counter()
        response = self.client.get(path, headers=headers, follow_redirects=False)
        ms = (time.perf_counter() - started) * 1000
        return ms, self.counter.count - before, response.status_code

    def timed(self, paths: list[str], runs: int = 1, htmx: bool = False) -> Timing:
        for path in paths[:WARMUP]:
            self.get(path, htmx)
        times, statements, status = [], 0, 200
        for _ in range(runs):
            for path in paths:
                ms, n, code = self.get(path, htmx)
                times.append(ms)
                statements = max(statements, n)
                status = code if status == 200 else status
        return Timing(times, statements, status)


# --- what to ask for ----------------------------------------------------------------------

@dataclass
class Targets:
    big_people: int
    big_registrations: int
    small_people: int
    small_registrations: int
    busiest: tuple[int, int]  # (person id, trainings) of the biggest office
    one_training: int  # a person of the biggest office in one training
    big_program: tuple[int, int]  # (programme id, registrations)
    small_program: tuple[int, int]
    # The smallest office whose coverage takes the same path as the biggest's (a training
    # checked in per session, with committee marks): (office id, registrations).
    alike: tuple[int, int]
    searches: list[tuple[str, str]]  # (kind, q)


def _one(conn: Any, sql: str, **params: object) -> Any:
    return conn.execute(text(sql), params).one()


def targets(engine: Engine, seed: int = 14) -> Targets:
    big, small = 1, province_data.ORGS
    with engine.connect() as conn:
        sizes = {org: _one(conn, "SELECT (SELECT count(*) FROM participant WHERE "
                           "organization_id = :o), (SELECT count(*) FROM registration r JOIN "
                           "training t ON t.id = r.training_id WHERE t.organization_id = :o)",
                           o=org) for org in (big, small)}
        per_person = ("SELECT r.participant_id, count(*) AS n FROM registration r JOIN "
                      "participant p ON p.id = r.participant_id WHERE p.organization_id = :o "
                      "AND r.status <> 'cancelled' GROUP BY r.participant_id ")
        busiest = _one(conn, per_person + "ORDER BY n DESC, r.participant_id LIMIT 1", o=big)
        one = _one(conn, per_person + "HAVING count(*) = 1 ORDER BY r.participant_id LIMIT 1",
                   o=big)
        program = ("SELECT t.program_id, count(*) AS n FROM registration r JOIN training t "
                   "ON t.id = r.training_id WHERE t.organization_id = :o AND t.program_id IS "
                   "NOT NULL GROUP BY t.program_id ORDER BY n {order}, t.program_id LIMIT 1")
        big_program = _one(conn, program.format(order="DESC"), o=big)
        small_program = _one(conn, program.format(order="ASC"), o=small)
        alike = _one(conn, "SELECT t.organization_id, (SELECT count(*) FROM registration r2 "
                     "JOIN training t2 ON t2.id = r2.training_id WHERE t2.organization_id = "
                     "t.organization_id) AS n FROM training t WHERE t.checkin_mode = 'session' "
                     "AND EXISTS (SELECT 1 FROM registration r JOIN attendance_mark m ON "
                     "m.registration_id = r.id WHERE r.training_id = t.id) "
                     "GROUP BY t.organization_id ORDER BY n, t.organization_id LIMIT 1")
        people = conn.execute(text("SELECT sort_name, nik, phone, nip FROM participant WHERE "
                                   "organization_id = :o ORDER BY id"), {"o": big}).all()
    return Targets(sizes[big][0], sizes[big][1], sizes[small][0], sizes[small][1],
                   (busiest[0], busiest[1]), one[0], (big_program[0], big_program[1]),
                   (small_program[0], small_program[1]), (alike[0], alike[1]),
                   _searches(people, seed))


def committee_login(engine: Engine, org_id: int) -> str:
    """The email of a committee login of the office, made (once) as the app makes them."""
    from sqlmodel import Session, select

    from service.models import Organization
    from service.models import User as Account
    from service.services import auth

    email = f"panitia@kantor{org_id}.bench"
    with Session(engine) as db:
        if db.exec(select(Account).where(Account.email == email)).first() is None:
            org = db.get(Organization, org_id)
            assert org is not None
            auth.create_user(db, email=email, password=province_data.PASSWORD,
                             name="Panitia Bench", role="committee", organization=org)
            db.commit()
    return email


def _searches(people: list[Any], seed: int) -> list[tuple[str, str]]:
    """What a committee types: a name or part of one, two words of it, the last 4-6
    digits of a NIK or phone, a whole NIP; and a few that find nobody."""
    rng = random.Random(seed)
    out: list[tuple[str, str]] = []
    sample = rng.sample(people, min(len(people), 400))
    for sort_name, nik, phone, nip in sample:
        words = sort_name.split("\x1f", 1)[0].split()
        if len(out) % 5 == 0 and len(words) >= 2:
            out.append(("name", f"{words[0]} {words[1]}"))
        elif len(out) % 5 in (1, 2):
            out.append(("name", words[0][:rng.randint(3, len(words[0]))] if words else "ani"))
        elif len(out) % 5 == 3 and nik:
            out.append(("nik", nik[-rng.randint(4, 6):]))
        elif phone:
            out.append(("phone", phone[-rng.randint(4, 6):]))
        if nip and sum(k == "nip" for k, _q in out) < 20:
            out.append(("nip", nip))
        if len(out) >= 190:
            break
    out += [("miss", q) for q in ("qwxz", "zzyzx", "000000", "987650", "xenophon")]
    return out


# --- the run -------------------------------------------------------------------------------

def _use_database(url: str) -> None:
    from service.db import get_engine
    from service.settings import get_settings

    os.environ["BIMTEK_DATABASE_URL"] = url
    get_settings.cache_clear()
    get_engine.cache_clear()


def _cpu_work() -> float:
    """ms of a fixed piece of pure-Python work: alone on an idle CPU its time is the
    minimum of the samples; the median and p95 show how busy the machine was."""
    started = time.perf_counter()
    sum(i * i for i in range(100_000))
    return (time.perf_counter() - started) * 1000


def _rounds(items: list[tuple[str, User, str]]) -> tuple[dict[str, Timing], Timing]:
    """Each page PAGE_RUNS times, in rounds (every page once per round), so that a busy
    moment of the shared machine falls on all of them alike; the CPU reference once per
    round, between them."""
    for _key, who, path in items:
        who.get(path)  # templates, caches
    times: dict[str, list[float]] = {key: [] for key, _w, _p in items}
    statements = dict.fromkeys(times, 0)
    status = dict.fromkeys(times, 200)
    cpu: list[float] = []
    for _ in range(PAGE_RUNS):
        cpu.append(_cpu_work())
        for key, who, path in items:
            ms, n, code = who.get(path)
            times[key].append(ms)
            statements[key] = max(statements[key], n)
            status[key] = code if status[key] == 200 else status[key]
    return ({key: Timing(times[key], statements[key], status[key]) for key in times},
            Timing(cpu, 0, 200))


def _reference(user: User, engine: Engine) -> tuple[Timing, float]:
    healthz = user.timed(["/healthz"], runs=300)
    with engine.connect() as conn:
        times = []
        for _ in range(300):
            started = time.perf_counter()
            conn.execute(text("SELECT 1")).one()
            times.append((time.perf_counter() - started) * 1000)
    return healthz, statistics.median(times)


def _verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def _search_lines(user: User, t: Targets, ref: str, verdicts: list[bool]) -> Iterator[str]:
    queries = [f"/people?{urlencode({'q': q})}" for _k, q in t.searches]
    api = user.timed([f"/api{q}" for q in queries], runs=2)
    page = user.timed(queries, runs=2, htmx=True)
    for label, timing in (("API   GET /api/people?q=", api), ("page  GET /people?q= (htmx)", page)):
        verdicts.append(timing.pct(0.99) < SEARCH_P99_MS)
        p99 = timing.pct(0.99)
        yield (f"  search {label}: {len(timing.times)} requests, p50 {timing.pct(0.5):.1f} ms, "
               f"p99 {p99:.1f} ms, SQL/req {timing.statements}, HTTP {timing.status}  "
               f"[p99 < {SEARCH_P99_MS:.0f} ms: {_verdict(p99 < SEARCH_P99_MS)}]  ({ref})")
    kinds = sorted({k for k, _q in t.searches})
    per_kind = []
    for kind in kinds:
        paths = [f"/api/people?{urlencode({'q': q})}" for k, q in t.searches if k == kind]
        timing = user.timed(paths, runs=max(1, 60 // len(paths)))
        per_kind.append(f"{kind} ({len(paths)}) p99 {timing.pct(0.99):.1f} ms")
    yield "    API p99 by kind: " + "; ".join(per_kind)


def _page_ok(timing: Timing) -> bool:
    return timing.median < PAGE_MS and timing.status == 200


def _page_line(label: str, timing: Timing, ref: str) -> str:
    return (f"  {label:<52} median {timing.median:6.1f} ms  p95 {timing.pct(0.95):6.1f} ms  "
            f"SQL/req {timing.statements:3d}  HTTP {timing.status}  "
            f"[median < {PAGE_MS:.0f} ms: {_verdict(_page_ok(timing))}]  ({ref})")


def _bounded(label: str, small: Timing, big: Timing) -> str:
    return (f"  SQL/req {label}: {small.statements} vs {big.statements}  "
            f"[{'bounded' if big.statements <= small.statements else 'GROWS'}: "
            f"{_verdict(big.statements <= small.statements)}]")


def _bench(built: province_data.Built) -> Iterator[str]:
    from service.db import get_engine
    from service.main import create_app

    _use_database(built.url)
    engine = get_engine()
    yield f"{built.kind}: {built.summary()}"
    t = targets(engine)
    yield (f"  biggest office: {t.big_people:,} people, {t.big_registrations:,} registrations; "
           f"smallest: {t.small_people:,} people, {t.small_registrations:,} registrations")
    try:
        alike_email = committee_login(engine, t.alike[0])
        with Counter(engine) as counter, TestClient(create_app(worker=False)) as big_client, \
                TestClient(create_app(worker=False)) as small_client, \
                TestClient(create_app(worker=False)) as alike_client:
            big = User(big_client, province_data.BIG_EMAIL, counter)
            small = User(small_client, province_data.SMALL_EMAIL, counter)
            alike = User(alike_client, alike_email, counter)
            healthz, select1 = _reference(big, engine)
            ref = f"ref /healthz p50 {healthz.pct(0.5):.1f} ms"
            yield (f"  reference: GET /healthz p50 {healthz.pct(0.5):.2f} ms, p99 "
                   f"{healthz.pct(0.99):.2f} ms; SELECT 1 median {select1:.3f} ms")
            search_ok: list[bool] = []
            yield from _search_lines(big, t, ref, search_ok)
            yield _page_line("GET /people (full page, duplicates count)",
                             big.timed(["/people"], PAGE_RUNS), ref)
            busy, busy_n = t.busiest
            pages, cpu = _rounds([
                    ("person1", big, f"/people/{t.one_training}"),
                    ("personN", big, f"/people/{busy}"),
                    ("api_person1", big, f"/api/people/{t.one_training}"),
                    ("api_personN", big, f"/api/people/{busy}"),
                    ("program_small", small, f"/programs/{t.small_program[0]}"),
                    ("program_big", big, f"/programs/{t.big_program[0]}"),
                    ("api_program_small", small, f"/api/programs/{t.small_program[0]}"),
                    ("api_program_big", big, f"/api/programs/{t.big_program[0]}"),
                    ("coverage_small", small, "/coverage"),
                    ("coverage_alike", alike, "/coverage"),
                    ("coverage_big", big, "/coverage"),
                    ("api_coverage_small", small, "/api/coverage"),
                    ("api_coverage_alike", alike, "/api/coverage"),
                    ("api_coverage_big", big, "/api/coverage")])
    finally:
        engine.dispose()
    labels = {
        "person1": "GET /people/{id} (1 training)",
        "personN": f"GET /people/{{id}} ({busy_n} trainings)",
        "api_person1": "GET /api/people/{id} (1 training)",
        "api_personN": f"GET /api/people/{{id}} ({busy_n} trainings)",
        "program_small": f"GET /programs/{{id}} (smallest office, {t.small_program[1]} regs)",
        "program_big": f"GET /programs/{{id}} (biggest, {t.big_program[1]} regs)",
        "api_program_small": f"GET /api/programs/{{id}} ({t.small_program[1]} regs)",
        "api_program_big": f"GET /api/programs/{{id}} ({t.big_program[1]} regs)",
        "coverage_small": f"GET /coverage (smallest office, {t.small_registrations} regs)",
        "coverage_alike": f"GET /coverage (small, per-session marks, {t.alike[1]} regs)",
        "coverage_big": f"GET /coverage (biggest office, {t.big_registrations} regs)",
        "api_coverage_small": "GET /api/coverage (smallest office)",
        "api_coverage_alike": "GET /api/coverage (small, per-session marks)",
        "api_coverage_big": "GET /api/coverage (biggest office)",
    }
    yield (f"  load reference, between the pages' rounds: fixed CPU work min "
           f"{min(cpu.times):.1f} ms (the idle figure), median {cpu.median:.1f} ms, p95 "
           f"{cpu.pct(0.95):.1f} ms")
    for key, timing in pages.items():
        yield _page_line(labels[key], timing, ref)
    bounded: list[bool] = []
    for label, a, b in (("person page, 1 vs most trainings", "person1", "personN"),
                        ("person API, 1 vs most trainings", "api_person1", "api_personN"),
                        ("programme page, smallest vs biggest", "program_small", "program_big"),
                        ("programme API, smallest vs biggest", "api_program_small",
                         "api_program_big"),
                        ("coverage page, small vs biggest office (both with per-session "
                         "marks)", "coverage_alike", "coverage_big"),
                        ("coverage API, small vs biggest office (both with per-session "
                         "marks)", "api_coverage_alike", "api_coverage_big")):
        bounded.append(pages[b].statements <= pages[a].statements)
        yield _bounded(label, pages[a], pages[b])
    worst = max(pages, key=lambda k: pages[k].median)
    yield (f"  {built.kind} summary: search p99 < {SEARCH_P99_MS:.0f} ms "
           f"{_verdict(all(search_ok))}; pages median < {PAGE_MS:.0f} ms "
           f"{_verdict(all(_page_ok(p) for p in pages.values()))} (slowest: {labels[worst]}, "
           f"{pages[worst].median:.0f} ms); SQL per request bounded {_verdict(all(bounded))}")


def run() -> Iterator[str]:
    kinds = ["sqlite"] + (["postgresql"] if pg_available() else [])
    if len(kinds) == 1:
        yield "PostgreSQL does not answer: SQLite only"
    only = os.environ.get("BENCH_PROVINCE_DB")  # "sqlite" or "postgresql": that one only
    kinds = [k for k in kinds if only in (None, "", k)]
    previous = os.environ.get("BIMTEK_DATABASE_URL")
    try:
        for kind in kinds:
            yield f"{kind}: building or finding the province database..."
            yield from _bench(province_data.ensure(kind))
    finally:
        if previous is None:
            os.environ.pop("BIMTEK_DATABASE_URL", None)
        else:
            os.environ["BIMTEK_DATABASE_URL"] = previous
        _use_database(os.environ.get("BIMTEK_DATABASE_URL", ""))


if __name__ == "__main__":
    for line in run():
        print(line, flush=True)
