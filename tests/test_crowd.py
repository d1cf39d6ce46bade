"""A link shared in a WhatsApp group of 421 cadres: a crowd sends the public registration
form at once, through 2 real app processes on the suite's database. Exactly the seats are
confirmed, the rest waitlisted, no 5xx, and /healthz keeps answering throughout (a page
handler that blocks its event loop on a lock stopped a process with three at once). The
same for the committee's "add participant" form sent by many hands at once."""

import asyncio
import secrets
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

import httpx
import pytest
from sqlalchemy import func
from sqlmodel import Session, col, select

from service.db import make_engine, writer_bind
from service.models import Batch, Registration, User
from service.models.base import pk
from service.services import auth, self_registration
from service.services.self_registration import SelfRegistrationSettings
from service.settings import get_settings
from tests import factories
from tests.conftest import DB_KIND
from tests.health_watch import HealthWatch
from tests.helpers import run_async
from tests.live import live_app

EMAIL, PASSWORD = "crowd@padang.test", "crowd-password-200"
ORG = "crowd"
KEY = secrets.token_urlsafe(32)  # the servers' BIMTEK_SECRET_KEY: the test signs the stamps
SEATS, CROWD = 100, 200
FORM_SEATS, FORMS = 25, 50
MAX_GAP = 2.0  # seconds /healthz may go without an answer on any watched connection
REQUEST_TIMEOUT = 25.0  # a stalled process answers never: fail, do not wait for ever


@dataclass
class World:
    public_code: str
    public_id: int
    by_hand_id: int
    session_cookie: str
    csrf: str


def _world(url: str) -> World:
    """Two trainings of one organization, built through the services: one open to the
    public with SEATS seats, one the committee fills by hand with FORM_SEATS; and a page
    session of the admin (cookie and CSRF token), as logging in would make it."""
    engine = make_engine(url)
    try:
        with Session(writer_bind(engine), expire_on_commit=False) as db:
            org = factories.organization(db, ORG)
            admin = db.exec(select(User).where(User.email == EMAIL)).one()
            start = date.today() + timedelta(days=20)
            public = factories.training(db, org, "Pelatihan Kader Kampung KB", start=start,
                                        days=2)
            factories.batch(db, public, capacity=SEATS)
            self_registration.configure(db, public, SelfRegistrationSettings(
                enabled=True, opens_at=None, closes_at=None, batch_choice=False))
            by_hand = factories.training(db, org, "Bimtek Pengelola Kampung KB", start=start,
                                         days=2)
            factories.batch(db, by_hand, capacity=FORM_SEATS)
            raw, token = auth.issue_token(db, admin, "session", 1)
            db.commit()
            assert public.public_code and token.csrf_token
            return World(public.public_code, pk(public), pk(by_hand), raw, token.csrf_token)
    finally:
        engine.dispose()


def _counts(url: str, training_id: int) -> tuple[dict[str, int], int]:
    """Registrations by status, and the seats the batch says are taken."""
    engine = make_engine(url)
    try:
        with Session(engine) as db:
            by_status = dict(db.exec(
                select(Registration.status, func.count())
                .where(Registration.training_id == training_id)
                .group_by(col(Registration.status))).all())
            taken = db.exec(select(func.sum(Batch.confirmed_count))
                            .where(Batch.training_id == training_id)).one()
            return {str(k): int(v) for k, v in by_status.items()}, int(taken or 0)
    finally:
        engine.dispose()


def _all_at_once(base_url: str, path: str, forms: list[dict[str, str]],
                 cookies: dict[str, str] | None = None) -> tuple[list[int | str], float]:
    """POST every form to `path` at the same moment, each on its own connection: the
    answers' status codes (or the client error's name), and the seconds until the last."""

    async def main() -> tuple[list[int | str], float]:
        async with httpx.AsyncClient(base_url=base_url, timeout=REQUEST_TIMEOUT,
                                     cookies=cookies,
                                     limits=httpx.Limits(max_connections=len(forms))) as client:
            go = asyncio.Event()

            async def one(form: dict[str, str]) -> int | str:
                await go.wait()
                try:
                    return (await client.post(path, data=form)).status_code
                except httpx.HTTPError as exc:
                    return type(exc).__name__

            tasks = [asyncio.create_task(one(form)) for form in forms]
            await asyncio.sleep(0.1)  # every task waits at the gate
            started = time.monotonic()
            go.set()
            answers = await asyncio.gather(*tasks)
            return list(answers), time.monotonic() - started

    result: tuple[list[int | str], float] = run_async(main)
    return result


def _stamp() -> str:
    """A form rendered a little while ago, as the page would have stamped it."""
    return self_registration.sign_stamp(KEY, int(time.time()) - 10, secrets.token_urlsafe(12))


def _report(what: str, seconds: float, counts: dict[str, int], watch: HealthWatch) -> None:
    # Shown with `pytest -s`: the figures the issue asks for.
    print(f"\n{DB_KIND}: {what} in {seconds:.2f} s: {counts.get('confirmed', 0)} confirmed, "
          f"{counts.get('waitlisted', 0)} waitlisted; /healthz max gap {watch.max_gap:.2f} s "
          f"({watch.polls} polls)")


@dataclass
class Served:
    base_url: str
    database_url: str
    world: World


@pytest.fixture(scope="module")
def served() -> Iterator[Served]:
    """2 app processes on a fresh database of the suite's kind, with the world built."""
    env = {"BIMTEK_SELFREG_LIMIT": "100000", "BIMTEK_SECRET_KEY": KEY}
    with live_app(ORG, EMAIL, PASSWORD, workers=2, env=env, timeout=REQUEST_TIMEOUT) as (
            client, url):
        yield Served(str(client.base_url).rstrip("/"), url, _world(url))


def test_a_crowd_registering_at_once_fills_the_seats_and_health_keeps_answering(
        served: Served) -> None:
    people = [{"stamp": _stamp(), "website": "", "name": f"Kader {n:03d} Nur'aini",
               "phone": f"0813{60000000 + n:08d}", "district": "Padang Utara"}
              for n in range(CROWD)]
    with HealthWatch(served.base_url) as watch:
        answers, seconds = _all_at_once(served.base_url,
                                        f"/daftar/{served.world.public_code}", people)
    counts, taken = _counts(served.database_url, served.world.public_id)
    _report(f"{CROWD} self-registrations", seconds, counts, watch)
    assert Counter(answers) == {303: CROWD}
    assert counts == {"confirmed": SEATS, "waitlisted": CROWD - SEATS}
    assert taken == SEATS
    assert watch.max_gap < MAX_GAP


def test_many_add_participant_forms_at_once_fill_the_seats_and_health_keeps_answering(
        served: Served) -> None:
    cookies = {get_settings().session_cookie: served.world.session_cookie}
    forms = [{"csrf_token": served.world.csrf, "name": f"Pengelola {n:02d} Kampung KB",
              "phone": f"0813{70000000 + n:08d}"} for n in range(FORMS)]
    with HealthWatch(served.base_url) as watch:
        answers, seconds = _all_at_once(
            served.base_url, f"/trainings/{served.world.by_hand_id}/registrations", forms,
            cookies)
    counts, taken = _counts(served.database_url, served.world.by_hand_id)
    _report(f"{FORMS} 'add participant' forms", seconds, counts, watch)
    assert Counter(answers) == {303: FORMS}
    assert counts == {"confirmed": FORM_SEATS, "waitlisted": FORMS - FORM_SEATS}
    assert taken == FORM_SEATS
    assert watch.max_gap < MAX_GAP
