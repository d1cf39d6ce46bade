"""10,000 random and mutated codes at the door: none is accepted, none is a 5xx, and
nothing is written."""

import random
import string
from collections.abc import Iterator

from fastapi.testclient import TestClient
from sqlmodel import Session, func, select

from service.models import CheckIn, Scan
from service.services import ticket_codes
from service.services.ticket_codes import TicketClaims
from tests.checkin_setup import DAY1, at, make_setup

B32 = string.ascii_uppercase + "234567"
COUNT = 10_000


def mutants(genuine: list[str], rng: random.Random,
            forger_key: bytes) -> Iterator[str]:
    """Codes a forger or a damaged print could produce."""
    peek = ticket_codes.peek_training_id(genuine[0])
    while True:
        code = rng.choice(genuine)
        kind = rng.randrange(9)
        if kind == 0:  # one character changed
            i = rng.randrange(4, len(code))
            yield code[:i] + rng.choice(B32.replace(code[i], "")) + code[i + 1:]
        elif kind == 1:  # cut or lengthened
            yield code[:rng.randrange(len(code))] if rng.random() < 0.5 else \
                code + "".join(rng.choices(B32, k=rng.randint(1, 8)))
        elif kind == 2:  # random body with the right prefix and length
            yield "BT1." + "".join(rng.choices(B32, k=len(code) - 4))
        elif kind == 3:  # signed with another key, for real people of this training
            yield ticket_codes.sign_ticket(TicketClaims(
                training_id=peek, registration_id=rng.randint(1, 50),
                batch_id=rng.randint(1, 50), first_day=DAY1, last_day=DAY1), forger_key)
        elif kind == 4:  # two genuine codes spliced
            other = rng.choice(genuine)
            i = rng.randrange(4, len(code))
            candidate = code[:i] + other[i:]
            if candidate not in genuine:
                yield candidate
        elif kind == 5:  # swapped neighbours
            i = rng.randrange(4, len(code) - 1)
            candidate = code[:i] + code[i + 1] + code[i] + code[i + 2:]
            if candidate != code:
                yield candidate
        elif kind == 6:  # anything printable, markup and formulas included
            yield "".join(rng.choices(string.printable, k=rng.randint(0, 200)))
        elif kind == 7:  # unicode noise
            yield "".join(chr(rng.randint(1, 0x2FFF)) for _ in range(rng.randint(1, 140)))
        else:  # lower case, spaces, another version
            yield rng.choice([code.lower(), code.replace("BT1.", "BT2."), f" {code[:-2]} ",
                              code[:60] + "=" + code[61:]])


def test_ten_thousand_bad_codes_are_all_refused_without_a_5xx(api: TestClient,
                                                              db: Session) -> None:
    s = make_setup(api, db, people=4)
    rng = random.Random(4)
    forger_key, _public = ticket_codes.generate_keypair()
    source = mutants(s.codes, rng, forger_key)
    codes = [next(source) for _ in range(COUNT)]
    assert not set(codes) & set(s.codes)
    statuses: dict[int, int] = {}
    # Most through devices' offline queues (500 a request), a thousand one by one.
    for start in range(0, COUNT - 1000, 500):
        chunk = codes[start:start + 500]
        r = api.post("/api/checkins/sync", json={"device_id": "fuzz", "scans": [
            {"code": c, "scanned_at": at(), "nonce": f"f{start + i}"}
            for i, c in enumerate(chunk)]})
        statuses[r.status_code] = statuses.get(r.status_code, 0) + 1
        if r.status_code == 200:
            assert r.json()["rejected"] == len(chunk), [
                x for x in r.json()["results"] if x["status"] != "rejected"][:3]
        else:  # a code the schema refuses (e.g. a NUL) refuses the whole request
            assert r.status_code == 422, r.text
    for i, c in enumerate(codes[COUNT - 1000:]):
        r = api.post("/api/checkins", json={"code": c, "scanned_at": at(), "nonce": f"s{i}"})
        assert r.status_code in (409, 422), (c, r.status_code, r.text)
        assert r.json()["code"] in ("invalid_ticket", "validation_error"), r.text
    assert all(code < 500 for code in statuses), statuses
    assert db.exec(select(func.count()).select_from(CheckIn)).one() == 0
    assert db.exec(select(func.count()).select_from(Scan)).one() == 0
