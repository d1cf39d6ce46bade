"""A narasumber link reissued after the 30-day expiry: the committee makes a new one for a
training long over (the demo's 2018 training), it works for 30 days from the day it is
made, and the old link stays dead."""

import re
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from fastapi.testclient import TestClient
from sqlmodel import Session

from service.models import User
from service.models.base import pk, utcnow
from service.services import roster_links
from tests.helpers import login_page_client
from tests.roster_setup import RosterSetup, make_roster_setup

WIB = ZoneInfo("Asia/Jakarta")


def _old(db: Session, org: Any) -> RosterSetup:
    """A training of September 2018, as the demo's."""
    return make_roster_setup(db, org, start=date(2018, 9, 12), people=False)


def test_a_link_made_long_after_the_training_works_for_30_days_from_then(
        db: Session, org: Any, admin: User) -> None:
    s = _old(db, org)
    now = datetime(2026, 12, 3, 12, tzinfo=UTC)
    _raw, link = roster_links.create_link(db, s.training, pk(s.speaker_a), admin, now=now)
    assert roster_links.last_day(s.training, link.expires_at) == date(2027, 1, 2)
    assert link.expires_at == datetime.combine(date(2027, 1, 3), time(0), WIB).astimezone(UTC)


def test_a_link_made_before_the_training_still_lasts_30_days_after_it(
        db: Session, org: Any, admin: User) -> None:
    s = make_roster_setup(db, org, people=False)
    now = datetime.combine(s.training.start_date - timedelta(days=3), time(9), WIB)
    _raw, link = roster_links.create_link(db, s.training, pk(s.speaker_a), admin, now=now)
    assert roster_links.last_day(s.training, link.expires_at) == \
        s.training.end_date + timedelta(days=30)


def test_the_reissued_link_opens_and_the_expired_one_stays_dead(
        db: Session, org: Any, admin: User) -> None:
    s = _old(db, org)
    raw_old, old = roster_links.create_link(db, s.training, pk(s.speaker_a), admin)
    old.expires_at = utcnow() - timedelta(days=1)  # as it was after 30 days
    db.add(old)
    db.flush()
    listed = roster_links.training_speakers(db, s.training)[0]
    assert (listed.active, listed.expired) == (None, old)
    raw_new, new = roster_links.create_link(db, s.training, pk(s.speaker_a), admin)
    assert roster_links.resolve(db, raw_new)[0].id == new.id
    db.refresh(old)
    assert old.revoked_at is not None
    listed = roster_links.training_speakers(db, s.training)[0]
    assert (listed.active, listed.expired) == (new, None)


def test_api_reissues_for_a_long_past_training(api: TestClient, db: Session, org: Any) -> None:
    s = _old(db, org)
    r = api.post(f"/api/trainings/{s.training.id}/roster-links",
                 json={"speaker_id": s.speaker_a.id})
    assert r.status_code == 201, r.text
    token = r.json()["url"].rsplit("/n/", 1)[1]
    assert api.get(f"/n/{token}").status_code == 200


def test_page_shows_the_expired_link_and_reissues_it(client: TestClient, db: Session,
                                                    org: Any, admin: User) -> None:
    s = _old(db, org)
    _raw, old = roster_links.create_link(db, s.training, pk(s.speaker_a), admin)
    old.expires_at = datetime(2018, 10, 19, 17, tzinfo=UTC)
    db.add(old)
    db.commit()
    csrf = login_page_client(client, admin.email)
    page = client.get(f"/trainings/{s.training.id}/rosters").text
    assert "Kedaluwarsa (berlaku sampai 19 Oktober 2018)" in page
    assert "Terbitkan ulang tautan" in page
    r = client.post(f"/trainings/{s.training.id}/rosters/links",
                    data={"speaker_id": s.speaker_a.id, "csrf_token": csrf})
    assert r.status_code == 200, r.text
    url = re.search(r'id="fresh-url" value="([^"]+)"', r.text)
    assert url and client.get(url.group(1).split("testserver", 1)[1]).status_code == 200
