"""Narasumber attendance per session: ticked by the committee (only a narasumber of that
session), or by the narasumber's own link on the session's day; what the SPJ reads."""

from datetime import time

import pytest
from sqlmodel import Session

from service.errors import NotFound
from service.models.base import pk
from service.services import roster_links
from service.services.guests import speaker_attendance as sa
from tests import factories
from tests.guests_world import DAY1, DAY2, world


def test_the_committee_ticks_a_narasumber_present(db: Session) -> None:
    w = world(db)
    user = factories.user(db, w.org, name="Rina Panitia")
    sa.record(db, w.session, pk(w.speaker), True, user)
    slot = next(s for s in sa.slots(db, w.training) if s.session.id == w.session.id)
    assert (slot.present, slot.recorded_by) == (True, "Rina Panitia")
    assert sa.present_sessions(db, w.training) == {(pk(w.session), pk(w.speaker))}


def test_absent_is_recorded_and_not_paid(db: Session) -> None:
    w = world(db)
    sa.record(db, w.session, pk(w.speaker), True, None)
    sa.record(db, w.session, pk(w.speaker), False, None)
    assert sa.present_sessions(db, w.training) == set()


def test_a_speaker_of_another_session_cannot_be_ticked(db: Session) -> None:
    w = world(db)
    with pytest.raises(sa.NotSessionSpeaker):
        sa.record(db, w.session, pk(w.other_speaker), True, None)


def test_an_unrecorded_session_shows_no_presence(db: Session) -> None:
    w = world(db)
    assert {s.present for s in sa.slots(db, w.training)} == {None}


def test_another_organizations_session_is_not_found(db: Session) -> None:
    w = world(db)
    other = factories.organization(db, "DP3AP2KB Kota Pontianak")
    with pytest.raises(NotFound):
        sa.get_session(db, pk(other), pk(w.session))


def _link(db: Session, w: object) -> object:
    user = factories.user(db, w.org)  # type: ignore[attr-defined]
    raw, link = roster_links.create_link(db, w.training, pk(w.speaker), user)  # type: ignore[attr-defined]
    return link


def test_the_narasumber_marks_themself_present_on_the_day(db: Session) -> None:
    w = world(db)
    link = _link(db, w)
    row = sa.mark_by_link(db, link, w.training, pk(w.session),  # type: ignore[arg-type]
                          now=factories.moment(w.training, DAY1, time(7, 15)))
    assert (row.present, row.via_link, row.user_id) == (True, True, None)
    slot = next(s for s in sa.slots(db, w.training) if s.session.id == w.session.id)
    assert slot.recorded_by == w.speaker.name


def test_the_link_opens_an_hour_before_the_session(db: Session) -> None:
    w = world(db)
    link = _link(db, w)
    with pytest.raises(sa.NotNowForLink):
        sa.mark_by_link(db, link, w.training, pk(w.session),  # type: ignore[arg-type]
                        now=factories.moment(w.training, DAY1, time(6, 59)))


def test_the_link_closes_at_the_end_of_the_sessions_day(db: Session) -> None:
    w = world(db)
    link = _link(db, w)
    assert sa.link_open(w.training, w.session,
                        factories.moment(w.training, DAY1, time(23, 59)))
    with pytest.raises(sa.NotNowForLink):
        sa.mark_by_link(db, link, w.training, pk(w.session),  # type: ignore[arg-type]
                        now=factories.moment(w.training, DAY2, time(0, 1)))


def test_the_link_refuses_another_speakers_session(db: Session) -> None:
    w = world(db)
    link = _link(db, w)
    with pytest.raises(sa.SessionNotFound):
        sa.mark_by_link(db, link, w.training, pk(w.other_session),  # type: ignore[arg-type]
                        now=factories.moment(w.training, DAY1, time(10)))
    assert sa.present_sessions(db, w.training) == set()


def test_the_window_follows_the_trainings_time_zone(db: Session) -> None:
    org = factories.organization(db, "DP3AP2KB Kota Makassar")
    w = world(db, org)
    w.training.timezone = "Asia/Makassar"
    # 07:00 WITA is 06:00 WIB: an hour before the 08:00 WITA session.
    assert sa.link_open(w.training, w.session,
                        factories.moment(w.training, DAY1, time(7, 0)))
