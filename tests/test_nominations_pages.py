"""The focal point's page (/nominasi/{token}) and the committee's page of a training's
units (/trainings/{id}/units), over HTTP: CSRF, the limits as a phone meets them, another
unit's delegates out of reach, and the committee adding, linking and accepting."""

from datetime import date

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from service.models import Nominee, Registration
from service.models.base import pk
from service.routers.pages.account import FORM_COOKIE
from service.services import auth
from service.services.nominations import links, nominees
from tests import factories
from tests.helpers import CSRF_RE, login_page_client
from tests.nominations_world import BEFORE, NIPS, World, delegate, second_unit, world
from tests.presentation_files import pdf

OPEN_UNTIL = date(2099, 12, 31)


@pytest.fixture
def w(db: Session) -> World:
    made = world(db, deadline=OPEN_UNTIL, link_made=None)
    factories.committed(db)
    return made


def _token(client: TestClient, raw: str) -> str:
    page = client.get(f"/nominasi/{raw}")
    assert page.status_code == 200, page.text
    match = CSRF_RE.search(page.text)
    assert match
    return match.group(1)


def _add(client: TestClient, raw: str, n: int, **headers: str) -> object:
    return client.post(f"/nominasi/{raw}/nominees",
                       data={**delegate(n), "csrf_token": _token(client, raw)},
                       headers=headers, follow_redirects=False)


def test_the_page_shows_the_unit_the_training_and_the_fill(client: TestClient, w: World,
                                                           db: Session) -> None:
    nominees.add(db, w.tu, delegate(0))
    factories.committed(db)
    page = client.get(f"/nominasi/{w.raw}")
    assert page.status_code == 200
    assert "Kabupaten Lahat" in page.text and "Workshop Kampung KB Sumsel" in page.text
    assert "1 dari 3 nama sudah diisi" in page.text
    assert "Kamis, 31 Desember 2099 pukul 23.59 WIB" in page.text
    # Neither the NIP nor the phone whole on a page behind a link.
    assert NIPS[0] not in page.text and "+6281270000000" not in page.text
    assert NIPS[0][-4:] in page.text
    assert page.headers["cache-control"] == "no-store"


def test_a_delegate_is_added_without_javascript(client: TestClient, w: World,
                                                db: Session) -> None:
    r = _add(client, w.raw, 0)
    assert r.status_code == 303  # type: ignore[attr-defined]
    assert r.headers["location"] == f"/nominasi/{w.raw}?saved=added#daftar"  # type: ignore[attr-defined]
    assert [n.name for n in nominees.list_nominees(db, w.tu)] == [delegate(0)["name"]]


def test_with_htmx_the_panel_comes_back_in_place(client: TestClient, w: World) -> None:
    r = _add(client, w.raw, 0, **{"HX-Request": "true"})
    assert r.status_code == 200  # type: ignore[attr-defined]
    text = r.text  # type: ignore[attr-defined]
    assert text.lstrip().startswith('<div id="nominasi-panel">')
    assert "1 dari 3 nama sudah diisi" in text


def test_a_post_without_the_forms_token_changes_nothing(client: TestClient, w: World,
                                                        db: Session) -> None:
    client.get(f"/nominasi/{w.raw}")
    r = client.post(f"/nominasi/{w.raw}/nominees", data={**delegate(0), "csrf_token": "x"})
    assert r.status_code == 403
    assert nominees.list_nominees(db, w.tu) == []


def test_a_bad_nip_is_said_in_indonesian_beside_the_field(client: TestClient,
                                                          w: World) -> None:
    r = client.post(f"/nominasi/{w.raw}/nominees",
                    data={**delegate(0, nip="1234"), "csrf_token": _token(client, w.raw)})
    assert r.status_code == 422
    assert "NIP terdiri dari tepat 18 angka" in r.text


def test_the_full_quota_refuses_another_name(client: TestClient, w: World,
                                             db: Session) -> None:
    for n in range(3):
        nominees.add(db, w.tu, delegate(n))
    factories.committed(db)
    page = client.get(f"/nominasi/{w.raw}")
    assert 'id="nm-add"' not in page.text and 'id="nm-full"' in page.text
    r = client.post(f"/nominasi/{w.raw}/nominees",
                    data={**delegate(3), "csrf_token": _token(client, w.raw)})
    assert r.status_code == 409 and "Kuota 3 nama sudah penuh" in r.text


def test_after_the_deadline_the_page_is_read_only(client: TestClient, db: Session) -> None:
    w = world(db, link_made=None)  # deadline 5 August 2022
    factories.committed(db)
    page = client.get(f"/nominasi/{w.raw}")
    assert page.status_code == 200 and 'id="nm-closed"' in page.text
    assert "<form" not in page.text.split('id="kuota"')[1]
    # A phone that kept the form from before the deadline.
    kept = auth.public_form_token(db, client.cookies[FORM_COOKIE], "nominasi")
    r = client.post(f"/nominasi/{w.raw}/nominees", data={**delegate(0), "csrf_token": kept})
    assert r.status_code == 409 and "Batas waktu pengisian nama sudah lewat" in r.text


@pytest.mark.parametrize("action", ["", "/delete"])
def test_another_units_delegate_is_a_404_through_a_link(client: TestClient, w: World,
                                                        db: Session, action: str) -> None:
    other, _raw = second_unit(db, w)
    theirs = nominees.add(db, other, delegate(4), now=BEFORE)
    factories.committed(db)
    r = client.post(f"/nominasi/{w.raw}/nominees/{pk(theirs)}{action}",
                    data={**delegate(0), "csrf_token": _token(client, w.raw)})
    assert r.status_code == 404
    assert db.get(Nominee, pk(theirs)) is not None


def test_a_delegate_is_corrected_keeping_the_hidden_nip(client: TestClient, w: World,
                                                        db: Session) -> None:
    mine = nominees.add(db, w.tu, delegate(0))
    factories.committed(db)
    r = client.post(f"/nominasi/{w.raw}/nominees/{pk(mine)}",
                    data={"name": "Dra. Hj. Delegasi", "nip": "", "phone": "",
                          "position": "Sekretaris", "csrf_token": _token(client, w.raw)},
                    follow_redirects=False)
    assert r.status_code == 303
    db.refresh(mine)
    assert (mine.name, mine.nip, mine.phone, mine.position) == (
        "Dra. Hj. Delegasi", NIPS[0], "+6281270000000", "Sekretaris")


@pytest.mark.parametrize("raw", ["salah-ketik", "A" * 32])
def test_a_mistyped_link_is_a_404_page_in_indonesian(client: TestClient, raw: str) -> None:
    r = client.get(f"/nominasi/{raw}")
    assert r.status_code == 404
    assert "Mintalah tautan baru kepada panitia" in r.text


def test_a_revoked_link_is_a_404(client: TestClient, w: World, db: Session) -> None:
    links.revoke(db, w.tu)
    factories.committed(db)
    assert client.get(f"/nominasi/{w.raw}").status_code == 404


def test_the_surat_tugas_is_uploaded_and_downloaded(client: TestClient, w: World) -> None:
    data = pdf("Surat Tugas")
    r = client.post(f"/nominasi/{w.raw}/surat-tugas",
                    data={"csrf_token": _token(client, w.raw)},
                    files={"file": ("ST Lahat.pdf", data, "application/pdf")},
                    follow_redirects=False)
    assert r.status_code == 303
    got = client.get(f"/nominasi/{w.raw}/surat-tugas")
    assert got.content == data and got.headers["content-type"] == "application/pdf"


def test_a_disguised_surat_tugas_is_refused(client: TestClient, w: World) -> None:
    r = client.post(f"/nominasi/{w.raw}/surat-tugas",
                    data={"csrf_token": _token(client, w.raw)},
                    files={"file": ("surat.pdf", b"hello, not a pdf", "application/pdf")})
    assert r.status_code == 422 and "bukan PDF" in r.text


# --- the committee's page ----------------------------------------------------------------

def _committee(client: TestClient, w: World) -> str:
    return login_page_client(client, w.user.email)


def test_the_committee_adds_a_unit_and_sees_its_link_once(client: TestClient, w: World,
                                                          db: Session) -> None:
    csrf = _committee(client, w)
    r = client.post(f"/trainings/{w.training.id}/units", data={
        "csrf_token": csrf, "name": "Kota Pagar Alam", "kind": "kabupaten_kota",
        "quota": "8", "deadline": "2099-08-05"})
    assert r.status_code == 200, r.text
    assert "/nominasi/" in r.text and "https://wa.me/?text=" in r.text
    raw = r.text.split("/nominasi/")[1].split('"')[0]
    assert links.resolve(db, raw).training_id == w.training.id
    page = client.get(f"/trainings/{w.training.id}/units")
    assert "Unit pengirim &amp; nominasi" in page.text and "Kota Pagar Alam" in page.text
    assert raw not in page.text


def test_the_committee_accepts_all_of_a_units_delegates(client: TestClient, w: World,
                                                        db: Session) -> None:
    for n in range(2):
        nominees.add(db, w.tu, delegate(n))
    factories.committed(db)
    csrf = _committee(client, w)
    r = client.post(f"/trainings/{w.training.id}/units/{w.tu.id}/accept",
                    data={"csrf_token": csrf}, follow_redirects=False)
    assert r.status_code == 303
    regs = db.exec(select(Registration).where(Registration.training_id == w.training.id)).all()
    assert len(regs) == 2 and {r.unit_id for r in regs} == {w.unit.id}


def test_another_trainings_unit_is_a_404_on_the_committee_page(client: TestClient, w: World,
                                                               db: Session) -> None:
    other = factories.training(db, w.org, title="Lain", categories=())
    factories.committed(db)
    csrf = _committee(client, w)
    r = client.post(f"/trainings/{other.id}/units/{w.tu.id}/accept", data={"csrf_token": csrf})
    assert r.status_code == 404


def test_reminding_without_a_channel_says_why(client: TestClient, w: World) -> None:
    csrf = _committee(client, w)
    r = client.post(f"/trainings/{w.training.id}/units/remind",
                    data={"csrf_token": csrf, "channel": "both"})
    assert r.status_code == 409


def test_reminding_says_how_many_were_queued(client: TestClient, w: World, db: Session,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    from service.services.messaging import unit_reminders

    monkeypatch.setattr(unit_reminders, "configured_channels", lambda: ("whatsapp", "email"))
    w.unit.focal_phone, w.unit.focal_email = "+6281270001111", "ppkb@lahat.go.id"
    db.add(w.unit)
    factories.committed(db)
    csrf = _committee(client, w)
    r = client.post(f"/trainings/{w.training.id}/units/remind",
                    data={"csrf_token": csrf, "channel": "both"})
    assert r.status_code == 200 and "2 pengingat" in r.text
    again = client.post(f"/trainings/{w.training.id}/units/remind",
                        data={"csrf_token": csrf, "channel": "both"})
    assert "sudah diingatkan hari ini" in again.text


def test_an_upload_without_a_file_asks_for_one(client: TestClient, w: World) -> None:
    r = client.post(f"/nominasi/{w.raw}/surat-tugas", data={"csrf_token": _token(client, w.raw)})
    assert r.status_code == 422 and "Pilih surat tugas" in r.text


def test_a_large_scan_is_taken_and_one_too_large_is_a_413(client: TestClient,
                                                          w: World) -> None:
    # Past the 2 MB the other forms take: a phone's photo of a letter is often 3-5 MB.
    scan = b"%PDF-1.4\n" + b"0" * (3 * 1024 * 1024) + b"\n%%EOF\n"
    r = client.post(f"/nominasi/{w.raw}/surat-tugas",
                    data={"csrf_token": _token(client, w.raw)},
                    files={"file": ("scan.pdf", scan, "application/pdf")},
                    follow_redirects=False)
    assert r.status_code == 303, r.text
    huge = b"%PDF-1.4\n" + b"0" * (11 * 1024 * 1024) + b"\n%%EOF\n"
    r = client.post(f"/nominasi/{w.raw}/surat-tugas",
                    data={"csrf_token": _token(client, w.raw)},
                    files={"file": ("besar.pdf", huge, "application/pdf")})
    assert r.status_code == 413
