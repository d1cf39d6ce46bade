"""Venues are edited (name, address, city) and deleted while nothing uses them: a training,
batch, session (in one of its rooms, or held there) or a day moved there keeps it."""

from collections.abc import Callable
from datetime import time
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from service.errors import FieldError
from service.i18n import use_locale
from service.models import BatchDay, Room, Training, Venue
from service.models.base import pk
from service.schemas.planning import VenueUpdate
from service.services import venues
from service.services.venues import VenueInUse
from tests import factories
from tests.helpers import login_page_client


@pytest.fixture
def hotel(db: Session, org: Any) -> Venue:
    return factories.venue(db, org, "Hotel Pangeran Beach", "Padang", rooms=["Ruang Sriwijaya"])


def test_a_venue_is_edited_with_its_city(db: Session, hotel: Venue) -> None:
    venues.update_venue(db, hotel, VenueUpdate(name="Hotel Pangeran Beach Padang",
                                               address="Jl. Ir. H. Juanda No. 79",
                                               city="Kota Padang"))
    db.refresh(hotel)
    assert (hotel.name, hotel.address, hotel.city) == ("Hotel Pangeran Beach Padang",
                                                      "Jl. Ir. H. Juanda No. 79", "Kota Padang")
    rooms = db.exec(select(Room).where(Room.venue_id == hotel.id)).all()
    assert [r.name for r in rooms] == ["Ruang Sriwijaya"]


def test_a_name_another_venue_has_is_refused(db: Session, org: Any, hotel: Venue) -> None:
    other = factories.venue(db, org, "Balai Desa Sembadak", "Ogan Ilir")
    with pytest.raises(FieldError) as refused:
        venues.update_venue(db, other, VenueUpdate(name="Hotel Pangeran Beach"))
    assert refused.value.code == "duplicate"


def test_an_unused_venue_is_deleted_with_its_rooms(db: Session, hotel: Venue) -> None:
    venue_id = pk(hotel)
    venues.delete_venue(db, hotel)
    assert db.get(Venue, venue_id) is None
    assert not db.exec(select(Room).where(Room.venue_id == venue_id)).all()


def _training(db: Session, org: Any, hotel: Venue) -> None:
    factories.training(db, org, venue_id=pk(hotel))


def _batch(db: Session, org: Any, hotel: Venue) -> None:
    factories.batch(db, factories.training(db, org), venue_id=pk(hotel))


def _session_in_a_room(db: Session, org: Any, hotel: Venue) -> None:
    t = factories.training(db, org)
    room = db.exec(select(Room).where(Room.venue_id == hotel.id)).one()
    factories.session(db, t, factories.batch(db, t), room_id=pk(room))


def _session_held_there(db: Session, org: Any, hotel: Venue) -> None:
    t = factories.training(db, org)
    factories.session(db, t, factories.batch(db, t), venue_id=pk(hotel), kind="field_visit")


def _day_moved_there(db: Session, org: Any, hotel: Venue) -> None:
    t = factories.training(db, org)
    b = factories.batch(db, t, days=3)
    # The day's place as its service stores it: one row per day away from the venue.
    db.add(BatchDay(batch_id=pk(b), day=b.end_date, venue_id=pk(hotel)))
    db.flush()


@pytest.mark.parametrize(("use", "table"), [
    (_training, "training"), (_batch, "batch"), (_session_in_a_room, "agenda_session"),
    (_session_held_there, "agenda_session"), (_day_moved_there, "batch_day")])
def test_a_venue_in_use_cannot_be_deleted(db: Session, org: Any, hotel: Venue,
                                          use: Callable[[Session, Any, Venue], None],
                                          table: str) -> None:
    use(db, org, hotel)
    with pytest.raises(VenueInUse) as refused:
        venues.delete_venue(db, hotel)
    assert refused.value.status == 409 and refused.value.extra["uses"] == {table: 1}
    assert db.get(Venue, pk(hotel)) is not None
    assert db.exec(select(Room).where(Room.venue_id == hotel.id)).all()


def test_the_refusal_names_what_uses_the_venue(db: Session, org: Any, hotel: Venue) -> None:
    t = factories.training(db, org, venue_id=pk(hotel))
    factories.batch(db, t, venue_id=pk(hotel))
    factories.batch(db, t, name="Angkatan II", venue_id=pk(hotel))
    with pytest.raises(VenueInUse) as refused:
        venues.delete_venue(db, hotel)
    assert refused.value.text() == ("Tempat ini masih dipakai oleh 1 pelatihan, 2 angkatan. "
                                    "Pilih tempat lain di sana lebih dahulu; tempat yang tidak "
                                    "dipakai dapat dihapus.")
    with use_locale("en"):
        assert "still used by 1 training, 2 batches." in refused.value.text()


# --- the API -------------------------------------------------------------------------------

def test_api_edits_and_deletes_a_venue(api: TestClient, db: Session, hotel: Venue) -> None:
    factories.committed(db)
    r = api.put(f"/api/venues/{hotel.id}", json={"name": "Hotel Pangeran Beach",
                                                 "city": "Padang"})
    assert r.status_code == 200 and r.json()["city"] == "Padang"
    assert r.json()["rooms"][0]["name"] == "Ruang Sriwijaya"
    assert api.delete(f"/api/venues/{hotel.id}").status_code == 204
    assert api.delete(f"/api/venues/{hotel.id}").status_code == 404


def test_api_refuses_to_delete_a_venue_in_use(api: TestClient, db: Session, org: Any,
                                              hotel: Venue) -> None:
    factories.training(db, org, venue_id=pk(hotel))
    factories.committed(db)
    r = api.delete(f"/api/venues/{hotel.id}")
    assert r.status_code == 409
    assert r.json()["code"] == "venue_in_use" and r.json()["uses"] == {"training": 1}
    assert "1 pelatihan" in r.json()["message"]


def test_api_refuses_bad_venue_input(api: TestClient, db: Session, hotel: Venue) -> None:
    factories.committed(db)
    for body in ({"name": ""}, {"name": "Hotel\x00"}, {"name": "H", "city": "x" * 121}):
        r = api.put(f"/api/venues/{hotel.id}", json=body)
        assert r.status_code == 422, body
    db.refresh(hotel)
    assert hotel.city == "Padang"


# --- the pages ----------------------------------------------------------------------------

def test_the_venues_page_shows_the_city_and_edits_it(client: TestClient, db: Session,
                                                     admin: Any, hotel: Venue) -> None:
    factories.committed(db)
    csrf = login_page_client(client, admin.email)
    page = client.get("/venues").text
    assert "Padang" in page and f'href="/venues/{hotel.id}/edit"' in page
    form = client.get(f"/venues/{hotel.id}/edit")
    assert form.status_code == 200 and 'value="Padang"' in form.text
    assert f'action="/venues/{hotel.id}/delete"' in form.text
    r = client.post(f"/venues/{hotel.id}/edit", data={"csrf_token": csrf,
                                                      "name": "Hotel Pangeran Beach",
                                                      "city": "Kota Padang"},
                    follow_redirects=False)
    assert r.status_code == 303
    db.refresh(hotel)
    assert hotel.city == "Kota Padang"


def test_the_edit_page_says_what_uses_a_venue(client: TestClient, db: Session, admin: Any,
                                             org: Any, hotel: Venue) -> None:
    t = factories.training(db, org)
    factories.batch(db, t, venue_id=pk(hotel))
    factories.committed(db)
    csrf = login_page_client(client, admin.email)
    form = client.get(f"/venues/{hotel.id}/edit").text
    assert "Dipakai oleh 1 angkatan" in form and "/delete" not in form
    # A delete sent anyway (an old page) is refused with the reason, and changes nothing.
    r = client.post(f"/venues/{hotel.id}/delete", data={"csrf_token": csrf})
    assert r.status_code == 409 and "masih dipakai oleh 1 angkatan" in r.text
    assert db.get(Venue, pk(hotel)) is not None
    assert db.get(Training, pk(t)) is not None


def test_an_unused_venue_is_deleted_from_its_page(client: TestClient, db: Session, admin: Any,
                                                  hotel: Venue) -> None:
    factories.committed(db)
    csrf = login_page_client(client, admin.email)
    r = client.post(f"/venues/{hotel.id}/delete", data={"csrf_token": csrf},
                    follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/venues"
    assert db.get(Venue, pk(hotel)) is None


def test_a_session_at_another_time_does_not_matter_once_deleted(db: Session, org: Any,
                                                               hotel: Venue) -> None:
    """Deleting a session frees the venue again."""
    from service.services import agenda

    t = factories.training(db, org)
    b = factories.batch(db, t)
    room = db.exec(select(Room).where(Room.venue_id == hotel.id)).one()
    s = factories.session(db, t, b, start=time(10), end=time(11), room_id=pk(room))
    agenda.delete_session(db, s)
    venues.delete_venue(db, hotel)
    assert db.get(Venue, pk(hotel)) is None
