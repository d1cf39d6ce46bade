"""The public verification page: valid or revoked with the printed facts only, a clear
404 for an unknown code, escaped names, and a rate limit against walking the codes."""

from datetime import UTC, datetime, tzinfo

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from service.models import Participant, Registration, Training
from service.routers.pages import verify
from service.services import housekeeping
from tests import factories
from tests.checkin_setup import check_in, make_setup
from tests.test_certificates import saved_template


def _issued(api: TestClient, db: Session, name: str | None = None) -> str:
    """One person present both days and their certificate issued; its verification code."""
    s = make_setup(api, db, people=1)
    if name is not None:
        reg = db.get(Registration, s.people[0]["id"])
        person = db.get(Participant, reg.participant_id)  # type: ignore[union-attr]
        person.name = name  # type: ignore[union-attr]
        db.flush()
    check_in(db, s, 0, 0)
    check_in(db, s, 0, 1)
    saved_template(db, s)
    training = db.get(Training, s.tid)
    assert training is not None
    issued = factories.issue_certificates(db, training)
    assert len(issued) == 1
    factories.committed(db)
    return issued[0].verification_code


def test_valid_page_shows_the_printed_facts_and_nothing_personal(api: TestClient,
                                                                 db: Session) -> None:
    code = _issued(api, db)
    api.headers.pop("Authorization")
    r = api.get(f"/v/{code}")
    assert r.status_code == 200
    page = r.text
    for expected in ("Sertifikat sah", "Kader 01 Nur&#39;aini", "001/SERT/DP3AP2KB/IX/2018",
                     "Pelatihan Kader Kampung KB", "DP3AP2KB Kota Padang",
                     "12–13 September 2018", "Angkatan I", "14 September 2018"):
        assert expected in page, expected
    for secret in ("1371015203850010", "0812663400", "081266340000", "+6281266340000",
                   "Kuranji", "ticket", "/t/"):
        assert secret not in page, secret
    assert r.headers["x-robots-tag"] == "noindex"


def test_names_with_markup_are_escaped(api: TestClient, db: Session) -> None:
    code = _issued(api, db, name="<script>alert(1)</script> Siti")
    page = api.get(f"/v/{code}").text
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Siti" in page


def test_unknown_and_malformed_codes_are_a_404_page(api: TestClient, db: Session) -> None:
    for code in ("A" * 24, "kode-palsu-yang-cukup-panjang", "x", "%3Cscript%3E"):
        r = api.get(f"/v/{code}")
        assert r.status_code == 404, code
        assert "Sertifikat tidak ditemukan" in r.text
        assert "<script>" not in r.text


def test_rate_limit_per_client_gives_429(api: TestClient, db: Session,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    code = _issued(api, db)
    monkeypatch.setattr(verify, "LIMIT", 5)
    # One moment for every request: the limit counts in fixed windows, and a window that
    # ended between two requests would start the count again.
    frozen = datetime.now(UTC)

    class Frozen(datetime):
        @classmethod
        def now(cls, tz: tzinfo | None = None) -> "Frozen":
            return cls.fromtimestamp(frozen.timestamp(), tz)

    monkeypatch.setattr(housekeeping, "datetime", Frozen)
    statuses = [api.get(f"/v/{code}" if n % 2 else f"/v/{'B' * 24}").status_code
                for n in range(8)]
    assert statuses[:5] == [404, 200, 404, 200, 404]
    assert statuses[5:] == [429, 429, 429]
    assert "Terlalu banyak" in api.get(f"/v/{code}").text
