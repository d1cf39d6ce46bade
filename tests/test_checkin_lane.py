"""The check-in fast lane (middleware/checkin_lane.py), through a real server on
SQLite and on PostgreSQL: it answers the common scan itself and hands every other one to
the ordinary route, so what a scanner is told never depends on which path answered.

The lane marks its answers with a Server-Timing header; the first request of a token
(not yet remembered by the process) always takes the route.
"""

import itertools
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import text
from sqlmodel import Session, select

from service.async_pg import APPLICATION_NAME
from service.db import make_engine
from service.middleware.checkin_lane import CheckinLane
from service.models import CheckIn
from service.services.ticket_codes import generate_keypair
from tests.checkin_setup import code_of
from tests.conftest import DB_KIND
from tests.helpers import CSRF_RE, post_login, run_async
from tests.live import live_app
from tests.test_checkin_fuzz import mutants

EMAIL, PASSWORD = "lane@padang.test", "lane-password-checkin"
DAY1 = date(2018, 9, 12)
LANE = 'checkin;desc="fast lane"'


def _at(day: int = 0, hour: int = 1, minute: int = 0) -> str:
    return f"{DAY1 + timedelta(days=day)}T{hour:02d}:{minute:02d}:00Z"  # 08:00 WIB = 01:00Z


@dataclass
class Door:
    client: httpx.Client
    url: str
    codes: list[str]
    ids: list[int]
    batches: list[int]
    training: int
    base: str

    def scan(self, code: str, nonce: str, **extra: object) -> httpx.Response:
        return self.client.post("/api/checkins", json={
            "code": code, "scanned_at": _at(), "nonce": nonce, "device_id": "gate-1", **extra})

    def sql(self, statement: str, **params: object) -> list[tuple[object, ...]]:
        engine = make_engine(self.url)
        try:
            with engine.begin() as conn:
                result = conn.execute(text(statement), params)
                return [tuple(r) for r in result] if result.returns_rows else []
        finally:
            engine.dispose()


@pytest.fixture(scope="module")
def door() -> Iterator[Door]:
    # One process, so "remembered by the process" is the same for every request.
    with live_app("checkinlane", EMAIL, PASSWORD, timeout=30) as (client, url):
        t = client.post("/api/trainings", json={
            "title": "Pelatihan Kader Kampung KB", "kind": "pelatihan",
            "start_date": DAY1.isoformat(), "end_date": "2018-09-18"}).json()
        batches = [client.post(f"/api/trainings/{t['id']}/batches", json={
            "name": name, "start_date": DAY1.isoformat(), "end_date": "2018-09-13",
            "capacity": 50}).json()["id"] for name in ("Angkatan I", "Angkatan II")]
        ids = []
        for n in range(13):
            r = client.post(f"/api/trainings/{t['id']}/registrations", json={
                "name": f"Kader {n:02d} Nur'aini", "phone": f"0813600000{n:02d}",
                "batch_id": batches[0]})
            assert r.status_code == 201, r.text
            ids.append(r.json()["id"])
        engine = make_engine(url)
        with Session(engine) as db:
            codes = [code_of(db, i) for i in ids]
        engine.dispose()
        yield Door(client, url, codes, ids, batches, t["id"], str(client.base_url))


def _row(door: Door, registration_id: int) -> list[tuple[object, ...]]:
    engine = make_engine(door.url)
    try:
        with Session(engine) as db:
            rows = db.execute(select(CheckIn.day, CheckIn.slot, CheckIn.method,  # type: ignore[call-overload]
                                     CheckIn.nonce, CheckIn.device_id, CheckIn.offline,
                                     CheckIn.user_id)
                              .where(CheckIn.registration_id == registration_id)).all()
        return [(*row[:6], row[6] is not None) for row in rows]
    finally:
        engine.dispose()


def test_the_lane_answers_a_first_scan_as_the_route_does(door: Door) -> None:
    # The process learns the token and the training's key on the route...
    first = door.scan(door.codes[0], "lane-a")
    assert first.status_code == 201, first.text
    assert first.headers.get("server-timing") != LANE
    # ...and answers the next scan itself, with the same answer and the same row.
    second = door.scan(door.codes[1], "lane-b")
    assert second.status_code == 201, second.text
    assert second.headers.get("server-timing") == LANE
    assert second.headers["x-content-type-options"] == "nosniff"
    a, b = first.json(), second.json()
    assert set(a) == set(b)
    assert b["status"] == "checked_in" and b["name"] == "Kader 01 Nur'aini"
    assert b["batch"] == "Angkatan I" and b["day"] == "2018-09-12" and b["method"] == "qr"
    assert b["checked_in_at"] == "2018-09-12T01:00:00+00:00" and b["by"] == a["by"]
    assert _row(door, door.ids[1]) == [(DAY1, 0, "qr", "lane-b", "gate-1", False, True)]
    assert _row(door, door.ids[0]) == [(DAY1, 0, "qr", "lane-a", "gate-1", False, True)]


def test_a_repeat_a_replay_and_refusals_take_the_route(door: Door) -> None:
    door.scan(door.codes[2], "warm-2")  # remembered token and key, person 2 in
    # A second scan of person 2: the insert finds the row, the route answers amber.
    again = door.scan(door.codes[2], "again-2")
    assert again.status_code == 200 and again.json()["status"] == "already_checked_in"
    assert again.headers.get("server-timing") != LANE
    assert door.sql("SELECT count(*) FROM scan WHERE nonce = 'again-2'") == [(1,)]
    # The same request again (a retry): the same answer, nothing added.
    replay = door.scan(door.codes[2], "warm-2")
    assert replay.status_code == 201 and replay.json()["status"] == "checked_in"
    assert door.sql("SELECT count(*) FROM checkin WHERE registration_id = :r",
                    r=door.ids[2]) == [(1,)]
    # Another batch's door, another day, an altered code: refused with the reason.
    wrong = door.scan(door.codes[3], "wrong-3", batch_id=door.batches[1])
    assert wrong.status_code == 409 and wrong.json()["code"] == "wrong_batch"
    late = door.client.post("/api/checkins", json={
        "code": door.codes[3], "scanned_at": _at(day=3), "nonce": "late-3"},
        headers={"Accept-Language": "id"})
    assert late.status_code == 409 and late.json()["code"] == "wrong_day"
    assert "bukan untuk" in late.json()["message"]
    code = door.codes[3]
    forged = code[:-3] + ("A" if code[-3] != "A" else "B") + code[-2:]
    bad = door.scan(forged, "forged-3")
    assert bad.status_code in (400, 422) and bad.json()["code"] == "invalid_ticket"
    broken = door.client.post("/api/checkins", json={"code": door.codes[3], "nonce": "<x>"})
    assert broken.status_code == 422
    assert _row(door, door.ids[3]) == []


def test_the_scanner_page_session_goes_through_the_lane_with_its_csrf_header(
        door: Door) -> None:
    with httpx.Client(base_url=door.base, timeout=30) as browser:
        r = post_login(browser, EMAIL, PASSWORD)
        assert r.status_code == 303, r.text
        match = CSRF_RE.search(browser.get("/trainings").text)
        assert match
        body = {"code": door.codes[4], "scanned_at": _at(), "nonce": "cookie-4"}
        # Without the CSRF header: refused (by the route), nothing written.
        refused = browser.post("/api/checkins", json=body)
        assert refused.status_code == 403 and refused.json()["code"] == "csrf_failed"
        assert _row(door, door.ids[4]) == []
        headers = {"X-CSRF-Token": match.group(1)}
        first = browser.post("/api/checkins", json=body, headers=headers)
        assert first.status_code == 201, first.text
        body = {"code": door.codes[5], "scanned_at": _at(), "nonce": "cookie-5"}
        second = browser.post("/api/checkins", json=body, headers=headers)
        assert second.status_code == 201 and second.headers.get("server-timing") == LANE
        # A remembered session with a wrong CSRF header is still refused.
        body = {"code": door.codes[6], "scanned_at": _at(), "nonce": "cookie-6"}
        forged = browser.post("/api/checkins", json=body, headers={"X-CSRF-Token": "x" * 32})
        assert forged.status_code == 403
        assert _row(door, door.ids[6]) == []


def test_per_session_attendance_is_left_to_the_route(door: Door) -> None:
    door.sql("UPDATE training SET checkin_mode = 'session' WHERE id = :t", t=door.training)
    try:
        r = door.client.post(f"/api/batches/{door.batches[0]}/sessions", json={
            "date": DAY1.isoformat(), "start_time": "08:00", "end_time": "10:00",
            "title": "Pembukaan", "kind": "opening"})
        assert r.status_code == 201, r.text
        scan = door.scan(door.codes[7], "session-7")
        assert scan.status_code == 201, scan.text
        assert scan.headers.get("server-timing") != LANE
        assert scan.json()["session"] == "Pembukaan"
    finally:
        door.sql("UPDATE training SET checkin_mode = 'day' WHERE id = :t", t=door.training)


def test_a_lost_database_connection_costs_the_lane_nothing(door: Door) -> None:
    if DB_KIND != "postgresql":
        pytest.skip("the lane's own connections are PostgreSQL's")
    door.scan(door.codes[8], "warm-8")
    killed = door.sql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                      "WHERE application_name = :a", a=APPLICATION_NAME)
    assert killed, "the lane holds a connection of its own"
    # The lane's connection is dead: the route takes the scan, the lane reconnects after.
    r = door.scan(door.codes[9], "after-kill-9")
    assert r.status_code == 201 and r.json()["status"] == "checked_in"
    assert _row(door, door.ids[9])[0][3] == "after-kill-9"
    again = door.scan(door.codes[9], "after-kill-9")
    assert again.status_code == 201
    assert door.sql("SELECT count(*) FROM checkin WHERE registration_id = :r",
                    r=door.ids[9]) == [(1,)]
    fresh = door.scan(door.codes[10], "reconnected-10")
    assert fresh.status_code == 201 and fresh.headers.get("server-timing") == LANE


def test_a_deactivated_door_login_is_refused_at_once(door: Door) -> None:
    r = door.client.post("/api/users", json={
        "email": "gerbang2@padang.test", "name": "Gerbang 2", "role": "scanner",
        "password": "gerbang-dua-password", "training_id": door.training})
    assert r.status_code == 201, r.text
    user_id = r.json()["id"]
    token = door.client.post("/api/auth/token", data={
        "username": "gerbang2@padang.test", "password": "gerbang-dua-password"})
    gate = {"Authorization": f"Bearer {token.json()['access_token']}"}
    body = {"code": door.codes[11], "scanned_at": _at(), "nonce": "gate2-11"}
    ok = door.client.post("/api/checkins", json=body, headers=gate)
    assert ok.status_code == 201 and ok.headers.get("server-timing") == LANE
    assert ok.json()["by"] == "Gerbang 2"
    off = door.client.patch(f"/api/users/{user_id}", json={"is_active": False})
    assert off.status_code == 200, off.text
    body = {"code": door.codes[12], "scanned_at": _at(), "nonce": "gate2-12"}
    refused = door.client.post("/api/checkins", json=body, headers=gate)
    assert refused.status_code == 401 and refused.json()["code"] == "invalid_token"
    assert _row(door, door.ids[12]) == []


def test_mutated_codes_through_the_lane_are_all_refused(door: Door) -> None:
    rng = random.Random(4)
    door.scan(door.codes[0], "warm-fuzz")  # the token and key are remembered
    before = door.sql("SELECT count(*) FROM checkin")
    codes = itertools.islice(mutants(door.codes[:3], rng, generate_keypair()[0]), 300)
    answers = [door.scan(code, f"fuzz-{n}") for n, code in enumerate(codes)]
    assert all(400 <= r.status_code < 500 for r in answers), \
        sorted({r.status_code for r in answers})
    # The lane never answers a refusal: each one was handed on to the route.
    assert not any(r.headers.get("server-timing") == LANE for r in answers)
    assert door.sql("SELECT count(*) FROM checkin") == before


def _through(lane: CheckinLane, messages: list[dict[str, Any]],
             headers: list[tuple[bytes, bytes]]) -> tuple[bytes | None, list[Any]]:
    """Send one POST /api/checkins through `lane`: (the body the app behind it read, or
    None if the request never reached it; what went back to the client)."""
    seen: list[bytes | None] = [None]
    sent: list[Any] = []

    async def app(scope: Any, receive: Any, send: Any) -> None:
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        seen[0] = body
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"route"})

    lane.app = app
    queue = iter(messages)

    async def receive() -> dict[str, Any]:
        return next(queue, {"type": "http.disconnect"})

    async def send(message: Any) -> None:
        sent.append(message)

    scope = {"type": "http", "method": "POST", "path": "/api/checkins", "headers": headers}
    run_async(lambda: lane(scope, receive, send))
    return seen[0], sent


def test_the_route_gets_the_whole_body_the_lane_read(tmp_path: Path) -> None:
    def lane(connections: int) -> CheckinLane:
        return CheckinLane(None, f"sqlite:///{tmp_path}/x.db",  # type: ignore[arg-type]
                           connections=connections, session_cookie="s", token_cache_seconds=3)

    bearer = [(b"authorization", b"Bearer x")]
    body = b'{"code": "BT1.' + b"A" * 20_000 + b'", "nonce": "n-1"}'
    chunks = [body[i:i + 7000] for i in range(0, len(body), 7000)]
    messages = [{"type": "http.request", "body": c, "more_body": i < len(chunks) - 1}
                for i, c in enumerate(chunks)]
    # Larger than the lane reads: it stops early and hands over what it read, then the rest.
    seen, sent = _through(lane(2), list(messages), bearer)
    assert seen == body and sent[-1]["body"] == b"route"
    # A small scan the lane cannot decide (no credentials): handed over whole.
    small = b'{"code": "BT1.AAAA", "nonce": "n-2"}'
    seen, _sent = _through(lane(2), [{"type": "http.request", "body": small}], [])
    assert seen == small
    # A lane turned off reads nothing itself.
    seen, _sent = _through(lane(0), list(messages), bearer)
    assert seen == body
    # The client left before its scan arrived: nobody answers, nothing is done.
    seen, sent = _through(lane(2), [{"type": "http.request", "body": b"{", "more_body": True}],
                          bearer)
    assert seen is None and sent == []


def test_the_servers_ticket_check_takes_exactly_what_its_key_signed() -> None:
    """check_ticket (the lane's, from the private key) against verify_ticket (the
    scanners', from the public key): the same verdict on genuine codes, altered ones and
    another training's."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from service.services.ticket_codes import (
        InvalidTicket,
        TicketClaims,
        check_ticket,
        encode_signed,
        verify_ticket,
    )

    rng = random.Random(8032)
    other = Ed25519PrivateKey.generate()
    for n in range(200):
        key = Ed25519PrivateKey.generate()
        first = DAY1 + timedelta(days=rng.randrange(3000))
        claims = TicketClaims(rng.randrange(1, 2**32), rng.randrange(1, 2**32),
                              rng.randrange(1, 2**32), first, first + timedelta(days=n % 4))
        code = encode_signed(claims, key)
        assert check_ticket(code, key) == claims == verify_ticket(code, key.public_key())
        with pytest.raises(InvalidTicket):
            check_ticket(encode_signed(claims, other), key)
        # One character changed anywhere in the body: R, S or the payload.
        at = rng.randrange(4, len(code) - 1)
        altered = code[:at] + rng.choice(sorted(set("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
                                                - {code[at]})) + code[at + 1:]
        with pytest.raises(InvalidTicket):
            check_ticket(altered, key)
