"""The letters' pages through HTTP: the settings page is for admins, the training's page
says when settings are missing, issues from its form (errors shown on the card, nothing
used) and serves the downloads behind the page session."""

import io
import zipfile

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from service.models import IssuedLetter
from service.models.base import pk
from tests import factories as f
from tests.helpers import login_page_client
from tests.letters_world import World, world


def _admin_client(client: TestClient, db: Session, w: World) -> str:
    f.committed(db)
    return login_page_client(client, w.admin.email)


def test_the_page_says_settings_are_missing(client: TestClient, db: Session) -> None:
    w = world(db, with_settings=False)
    _admin_client(client, db, w)
    r = client.get(f"/trainings/{pk(w.training)}/letters")
    assert r.status_code == 200
    assert 'id="letters-not-ready"' in r.text and 'href="/settings/letters"' in r.text
    assert "Surat-menyurat" in r.text


def test_the_settings_page_is_for_admins(client: TestClient, db: Session) -> None:
    w = world(db)
    member = f.user(db, w.org, role="committee")
    f.committed(db)
    login_page_client(client, member.email)
    assert client.get("/settings/letters", follow_redirects=False).status_code in (303, 403)


def test_the_settings_form_shows_a_bad_pattern_on_its_field(client: TestClient,
                                                           db: Session) -> None:
    w = world(db)
    token = _admin_client(client, db, w)
    form = {"csrf_token": token, "header_0": "PEMERINTAH KOTA PADANG", "place": "Padang",
            "signatory_name": "Drs. H. Editiawarman, M.Si.",
            "signatory_position": "Kepala Dinas",
            "invitation_pattern": "{code}/{year}", "invitation_code": "005",
            "speaker_request_pattern": "{seq}", "committee_assignment_pattern": "{seq}"}
    r = client.post("/settings/letters", data=form)
    assert r.status_code == 422
    assert "tepat satu kali" in r.text
    assert 'value="{code}/{year}"' in r.text  # what was typed stays


def test_issuing_from_the_page_and_downloading(client: TestClient, db: Session) -> None:
    w = world(db)
    token = _admin_client(client, db, w)
    r = client.post(f"/trainings/{pk(w.training)}/letters", data={
        "csrf_token": token, "kind": "speaker_request", "letter_date": "2018-09-03",
        "speaker_ids": [str(pk(w.speakers[1]))]})
    assert r.status_code == 200, r.text
    assert "1 surat diterbitkan" in r.text
    letter = db.exec(select(IssuedLetter)).one()
    assert letter.recipient == "Budi Santoso"
    assert f"sudah ada: {letter.number}" in r.text
    docx = client.get(f"/letters/{letter.id}.docx")
    assert docx.status_code == 200 and docx.content[:2] == b"PK"
    z = client.get(f"/trainings/{pk(w.training)}/letters.zip?kind=speaker_request&format=pdf")
    names = zipfile.ZipFile(io.BytesIO(z.content)).namelist()
    assert names == ["001-permohonan-narasumber-budi-santoso.pdf"]


def test_unticking_every_recipient_is_refused_on_the_card(client: TestClient,
                                                         db: Session) -> None:
    w = world(db)
    token = _admin_client(client, db, w)
    r = client.post(f"/trainings/{pk(w.training)}/letters", data={
        "csrf_token": token, "kind": "invitation", "letter_date": "2018-09-03"})
    assert r.status_code == 422
    assert "Pilih paling sedikit satu penerima" in r.text
    assert db.exec(select(IssuedLetter)).all() == []


def test_the_logo_is_uploaded_from_the_settings_page(client: TestClient, db: Session) -> None:
    from PIL import Image

    w = world(db)
    token = _admin_client(client, db, w)
    buf = io.BytesIO()
    Image.new("RGB", (40, 50), "green").save(buf, "PNG")
    r = client.post("/settings/letters/logo", data={"csrf_token": token},
                    files={"logo": ("logo.png", buf.getvalue(), "image/png")},
                    follow_redirects=False)
    assert r.status_code in (303, 200), r.text
    db.refresh(w.org)
    assert w.org.logo_png and w.org.logo_png.startswith(b"\x89PNG")
    assert 'class="letter-logo"' in client.get("/settings/letters").text


def test_all_invitations_print_as_one_pdf_from_the_page(client: TestClient,
                                                       db: Session) -> None:
    w = world(db)
    token = _admin_client(client, db, w)
    client.post(f"/trainings/{pk(w.training)}/letters", data={
        "csrf_token": token, "kind": "invitation", "letter_date": "2018-09-03",
        "unit_ids": [str(tu.unit_id) for tu in w.units]})
    r = client.get(f"/trainings/{pk(w.training)}/letters.pdf?kind=invitation")
    assert r.status_code == 200 and r.content.startswith(b"%PDF")
    from pypdf import PdfReader

    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(r.content)).pages)
    assert all(f"00{n}/005/DP3AP2KB/IX/2018" in text for n in (1, 2, 3))
