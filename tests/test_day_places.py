"""Places per day and per session: a field visit on day 3 away from the hotel, set through
the service, the API and the timetable page, and printed where that day is printed: the
agenda (page and PDF), the ticket page, the ticket cards and that day's daftar hadir."""

import io
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pypdf import PdfReader
from sqlmodel import Session, select

from service.errors import DomainError, NotFound
from service.models import AgendaSession, Batch, BatchDay, Training, Venue
from service.rendering.agenda_pdf import render_agenda_pdf
from service.schemas.planning import VenueCreate
from service.services import auth, overview, places, rosters, ticket_delivery, venues
from service.services.agenda_doc import agenda_doc
from tests import factories
from tests.helpers import login_page_client

HOTEL = "Hotel Aryaduta Palembang"
SEROJA = "Kampung KB Seroja, Desa Sembadak"


@pytest.fixture
def world(db: Session, org: Any) -> tuple[Training, Batch]:
    hotel = venues.create_venue(db, org.id, VenueCreate(name=HOTEL, city="Palembang",
                                                        rooms=["Ballroom Musi"]))
    t = factories.training(db, org, title="Workshop Penguatan Kampung KB", days=3,
                           venue_id=hotel.id, categories=(), region_level="regency")
    return t, factories.batch(db, t, days=3, capacity=20)


def _visit(db: Session, t: Training, b: Batch) -> Venue | None:
    return places.set_day_place(db, t.organization_id, b, b.start_date + timedelta(days=2),
                                venue=SEROJA)


def _text(pdf: bytes) -> str:
    return " ".join(" ".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(pdf)).pages)
                    .split())


def test_a_day_gets_its_own_place_created_by_name(db: Session, world: Any) -> None:
    t, b = world
    venue = _visit(db, t, b)
    assert venue is not None and venue.name == SEROJA
    info = overview.batch_info(db, b, t)
    day3 = b.start_date + timedelta(days=2)
    assert info.place_on(day3) == venue and info.own_place_on(day3) == venue
    assert info.place_on(b.start_date) is not None
    assert info.place_on(b.start_date).name == HOTEL  # type: ignore[union-attr]
    assert info.own_place_on(b.start_date) is None


def test_an_empty_place_puts_the_day_back_at_the_batch_venue(db: Session, world: Any) -> None:
    t, b = world
    _visit(db, t, b)
    places.set_day_place(db, t.organization_id, b, b.start_date + timedelta(days=2))
    assert db.exec(select(BatchDay).where(BatchDay.batch_id == b.id)).all() == []


def test_a_day_outside_the_batch_is_refused(db: Session, world: Any) -> None:
    t, b = world
    with pytest.raises(DomainError) as exc:
        places.set_day_place(db, t.organization_id, b, b.end_date + timedelta(days=1),
                             venue=SEROJA)
    assert exc.value.code == "day_outside_batch" and exc.value.status == 422


def test_another_offices_venue_is_not_found(db: Session, world: Any) -> None:
    t, b = world
    other = auth.get_or_create_organization(db, "DP3AP2KB Kota Pontianak")
    theirs = venues.create_venue(db, other.id or 0, VenueCreate(name="Restoran Kapuas"))
    with pytest.raises(NotFound):
        places.set_day_place(db, t.organization_id, b, b.start_date, venue_id=theirs.id)


def test_a_session_keeps_its_own_place_and_its_room_there(db: Session, world: Any) -> None:
    t, b = world
    _visit(db, t, b)
    s = factories.session(db, t, b, title="Penutupan", day=b.end_date, jpl=0,
                          venue=HOTEL, room="Ballroom Musi")
    item = overview.load_sessions(db, [], session_ids=[s.id or 0])[0]
    assert item.venue is not None and item.venue.name == HOTEL
    assert item.room is not None and item.room.name == "Ballroom Musi"
    info = overview.batch_info(db, b, t)
    assert info.session_place(info.sessions[0]) == item.venue  # the day is at Seroja


def test_a_copied_timetable_keeps_the_sessions_places(db: Session, world: Any) -> None:
    t, b = world
    factories.session(db, t, b, title="Kunjungan lapangan", venue=SEROJA)
    other = factories.batch(db, t, name="Angkatan II", days=3)
    from service.services import agenda
    agenda.copy_agenda(db, t.organization_id, b, other, t, replace=False)
    copied = db.exec(select(AgendaSession).where(AgendaSession.batch_id == other.id)).one()
    venue = db.get(Venue, copied.venue_id)
    assert venue is not None and venue.name == SEROJA


def test_agenda_pdf_prints_the_days_place_and_a_sessions_place(db: Session,
                                                               world: Any) -> None:
    t, b = world
    _visit(db, t, b)
    day3 = b.start_date + timedelta(days=2)
    factories.session(db, t, b, title="Kunjungan lapangan", day=day3, jpl=4)
    factories.session(db, t, b, title="Penutupan", day=day3, start=factories.time(14),
                      end=factories.time(15), jpl=0, venue=HOTEL)
    doc = agenda_doc(db, b, t)
    assert [d.place for d in doc.days] == [None, None, SEROJA]
    assert [r.place for r in doc.days[2].rows] == [None, HOTEL]
    text = _text(render_agenda_pdf(doc))
    assert f"Tempat: {SEROJA}" in text


def test_agenda_api_and_batch_read_show_the_places(api: TestClient, db: Session,
                                                   world: Any) -> None:
    t, b = world
    factories.committed(db)
    day3 = (b.start_date + timedelta(days=2)).isoformat()
    r = api.put(f"/api/batches/{b.id}/days/{day3}/place", json={"venue": SEROJA})
    assert r.status_code == 200, r.text
    assert [(p["date"], p["venue"]) for p in r.json()["places"]] == [(day3, SEROJA)]
    s = api.post(f"/api/batches/{b.id}/sessions", json={
        "title": "Penutupan", "date": day3, "start_time": "14:00", "end_time": "15:00",
        "venue": HOTEL})
    assert s.status_code == 201, s.text
    assert s.json()["venue"] == HOTEL
    late = api.put(f"/api/batches/{b.id}/days/2030-01-01/place", json={"venue": SEROJA})
    assert late.status_code == 422 and late.json()["code"] == "day_outside_batch"


def test_daftar_hadir_of_the_field_visit_day_prints_its_place(db: Session,
                                                              world: Any) -> None:
    t, b = world
    _visit(db, t, b)
    factories.register(db, t, b, name="Rina Marlina", regency="Kabupaten Ogan Ilir")
    r = rosters.roster(db, t, b)
    visit = dict(rosters.attendance_sheet(r, b.start_date + timedelta(days=2)).details)
    first = dict(rosters.attendance_sheet(r, b.start_date).details)
    assert visit["Tempat"] == f"{SEROJA}" and first["Tempat"] == HOTEL


def test_ticket_cards_name_the_field_visit_day(db: Session, world: Any) -> None:
    t, b = world
    _visit(db, t, b)
    factories.register(db, t, b, name="Rina Marlina")
    ctx = ticket_delivery.context(db, t)
    cards = ticket_delivery.ticket_cards(db, ctx, ticket_delivery.confirmed_rows(db, t, b.id),
                                         "http://127.0.0.1:8000")
    day3 = b.start_date + timedelta(days=2)
    assert cards[0].venue == HOTEL
    assert cards[0].day_places == ((f"TEMPAT HARI KE-3 \u00b7 {day3.day}/{day3.month}", SEROJA),)


def test_ticket_page_shows_the_field_visit_day(client: TestClient, db: Session,
                                               world: Any) -> None:
    t, b = world
    _visit(db, t, b)
    reg = factories.register(db, t, b, name="Rina Marlina")
    factories.committed(db)
    page = client.get(f"/t/{reg.ticket_token}").text
    assert HOTEL in page and SEROJA in page and "Hari ke-3" in page


def test_timetable_page_sets_a_days_place(client: TestClient, admin: Any, db: Session,
                                          world: Any) -> None:
    t, b = world
    factories.committed(db)
    csrf = login_page_client(client, admin.email)
    day3 = (b.start_date + timedelta(days=2)).isoformat()
    r = client.post(f"/batches/{b.id}/days/{day3}/place",
                    data={"csrf_token": csrf, "venue": SEROJA}, follow_redirects=False)
    assert r.status_code == 303, r.text
    page = client.get(f"/batches/{b.id}").text
    assert f'value="{SEROJA}"' in page and "has-own-place" in page
    bad = client.post(f"/batches/{b.id}/days/2030-01-01/place",
                      data={"csrf_token": csrf, "venue": SEROJA},
                      headers={"HX-Request": "true"})
    assert bad.status_code == 422 and "pilih salah satu harinya" in bad.text


def test_session_form_keeps_a_sessions_place(client: TestClient, admin: Any, db: Session,
                                             world: Any) -> None:
    t, b = world
    s = factories.session(db, t, b, title="Kunjungan lapangan")
    factories.committed(db)
    csrf = login_page_client(client, admin.email)
    r = client.post(f"/sessions/{s.id}/edit", data={
        "csrf_token": csrf, "title": "Kunjungan lapangan", "date": b.start_date.isoformat(),
        "start_time": "08:00", "end_time": "11:00", "kind": "field_visit", "jpl": "4",
        "venue": SEROJA}, follow_redirects=False)
    assert r.status_code == 303, r.text
    db.refresh(s)
    venue = db.get(Venue, s.venue_id)
    assert venue is not None and venue.name == SEROJA
    assert f'value="{SEROJA}"' in client.get(f"/sessions/{s.id}/edit").text
