"""Certificate pages over HTTP: the template form (a refused upload changes nothing),
the live preview fragment, the review page with decisions, chunked issuing, revoking,
and sending certificate links by email and WhatsApp."""

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import unquote

import pytest
from aiosmtpd.controller import Controller
from fastapi.testclient import TestClient
from sqlmodel import Session

from service.services.certificates import issuing as certificate_issuing
from tests.checkin_setup import Setup, check_in, make_setup
from tests.helpers import login_page_client
from tests.test_certificates import forged_png, png, saved_template
from tests.test_mailer import Inbox, free_port


@pytest.fixture
def setup(api: TestClient, db: Session, admin: Any) -> tuple[Setup, str]:
    s = make_setup(api, db)
    for person in (0, 1, 2):
        check_in(db, s, person, 0)
        check_in(db, s, person, 1)
    csrf = login_page_client(api, admin.email)
    return s, csrf


def _form(csrf: str, **changes: str) -> dict[str, str]:
    return {"csrf_token": csrf, "orientation": "landscape", "title": "SERTIFIKAT",
            "given_to": "diberikan kepada", "wording": "sebagai peserta", "place": "Padang",
            "issue_date": "2018-09-14", "use_background": "1", "show_qr": "1",
            "numbering_pattern": "{seq:03}/SERT/{roman_month}/{year}", "rule": "all_days",
            "min_percent": "100", "sig_name_0": "dr. Hj. Rosa Rosita, M.Kes",
            "sig_title_0": "Kepala Dinas", "sig_nip_0": "19680412 199003 2 004", **changes}


def test_template_form_saves_and_refuses_bad_files(api: TestClient,
                                                   setup: tuple[Setup, str]) -> None:
    s, csrf = setup
    url = f"/trainings/{s.tid}/certificates/template"
    assert "Templat sertifikat" in api.get(url).text
    r = api.post(url, data=_form(csrf), files={"background": ("latar.png", png(), "image/png"),
                                               "sig_file_0": ("ttd.png", png(), "image/png")},
                 follow_redirects=False)
    assert r.status_code == 303, r.text
    saved = api.get(f"/api/trainings/{s.tid}/certificate-template").json()
    assert saved["background_name"] == "latar.png"
    assert saved["signatories"][0]["has_signature"] is True
    # A forged giant: a 422 page that says why, and the template as it was.
    r = api.post(url, data=_form(csrf, title="BERUBAH"),
                 files={"background": ("bom.png", forged_png(20000, 20000), "image/png")})
    assert r.status_code == 422
    assert "megapiksel" in r.text
    r = api.post(url, data=_form(csrf, numbering_pattern="{seq}/{bulan}"))
    assert r.status_code == 422 and "{bulan}" in r.text
    after = api.get(f"/api/trainings/{s.tid}/certificate-template").json()
    assert after == saved
    # Untick the background: back to the built-in design; the signature stays.
    r = api.post(url, data=_form(csrf, use_background=""), follow_redirects=False)
    assert r.status_code == 303
    after = api.get(f"/api/trainings/{s.tid}/certificate-template").json()
    assert after["has_background"] is False and after["signatories"][0]["has_signature"]


def test_live_preview_fragment(api: TestClient, setup: tuple[Setup, str]) -> None:
    s, csrf = setup
    url = f"/trainings/{s.tid}/certificates/template/preview"
    r = api.post(url, data=_form(csrf, numbering_pattern="{seq:04}-{year}"),
                 headers={"HX-Request": "true"})
    assert r.status_code == 200
    assert 'src="data:image/png;base64,' in r.text
    assert ">0001-2018</strong>" in r.text
    bad = api.post(url, data=_form(csrf),
                   files={"background": ("x.png", b"\x89PNG\r\n\x1a\nrubbish", "image/png")},
                   headers={"HX-Request": "true"})
    assert bad.status_code == 422 and 'id="preview-error"' in bad.text


def test_review_decide_issue_in_chunks_and_revoke(api: TestClient, db: Session,
                                                  setup: tuple[Setup, str],
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    s, csrf = setup
    saved_template(db, s)
    page = api.get(f"/trainings/{s.tid}/certificates").text
    assert "Tidak hadir hari ke-1 (12 September 2018)" in page
    rid = s.people[3]["id"]
    r = api.post(f"/trainings/{s.tid}/certificates/decisions/{rid}",
                 data={"csrf_token": csrf, "decision": "include",
                       "reason": "Hadir, lupa memindai tiket"}, follow_redirects=False)
    assert r.status_code == 303
    page = api.get(f"/trainings/{s.tid}/certificates").text
    assert "Hadir, lupa memindai tiket" in page and "Disertakan manual" in page
    # Two per chunk: the fragment asks for the next chunk until all four are done.
    monkeypatch.setattr(certificate_issuing, "CHUNK", 2)
    first = api.post(f"/trainings/{s.tid}/certificates/issue",
                     headers={"HX-Request": "true", "X-CSRF-Token": csrf})
    assert first.status_code == 200 and "2 dari 4" in first.text
    follow = re.search(r'hx-post="([^"]+)"', first.text)
    assert follow
    last = api.post(follow.group(1).replace("&amp;", "&"),
                    headers={"HX-Request": "true", "X-CSRF-Token": csrf})
    assert last.status_code == 204
    assert last.headers["HX-Redirect"].endswith("issued=4")
    items = api.get(f"/api/trainings/{s.tid}/certificates").json()["items"]
    assert len({i["number"] for i in items}) == 4
    r = api.post(f"/certificates/{items[0]['id']}/revoke",
                 data={"csrf_token": csrf, "reason": "Salah nama"}, follow_redirects=False)
    assert r.status_code == 303
    page = api.get(f"/trainings/{s.tid}/certificates").text
    assert "Dicabut" in page and "Salah nama" in page
    # Without the CSRF token nothing is revoked.
    r = api.post(f"/certificates/{items[1]['id']}/revoke", data={"reason": "Coba"})
    assert r.status_code == 403
    assert api.get(f"/api/trainings/{s.tid}/certificates").json()["items"][1][
        "revoked_at"] is None


@pytest.fixture
def smtp(monkeypatch: pytest.MonkeyPatch) -> Iterator[Inbox]:
    from service.settings import get_settings

    handler = Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    monkeypatch.setattr(get_settings(), "smtp_host", "127.0.0.1")
    monkeypatch.setattr(get_settings(), "smtp_port", controller.port)
    try:
        yield handler
    finally:
        controller.stop()


def test_links_by_email_and_whatsapp(api: TestClient, db: Session, setup: tuple[Setup, str],
                                     smtp: Inbox) -> None:
    s, csrf = setup
    from service.models import Participant, Registration

    reg = db.get(Registration, s.people[0]["id"])
    person = db.get(Participant, reg.participant_id)  # type: ignore[union-attr]
    person.email = "kader01@example.org"  # type: ignore[union-attr]
    db.flush()
    saved_template(db, s)
    api.post(f"/api/trainings/{s.tid}/certificates")
    r = api.post(f"/api/trainings/{s.tid}/certificates/email")
    assert r.status_code == 202, r.text
    assert r.json() == {"queued": 1, "without_email": 2, "opted_out": 0}
    (message,) = _queued(db, s.tid)
    token = s.people[0]["ticket_url"].rsplit("/", 1)[1]
    assert (message.recipient, message.kind) == ("kader01@example.org", "certificate")
    assert f"/t/{token}/certificate.pdf" in message.body
    page = api.get(f"/trainings/{s.tid}/certificates").text
    links = [unquote(u) for u in re.findall(r'href="(https://wa\.me/[^"]+)"', page)]
    assert len(links) == 3 and any(f"/t/{token}/certificate.pdf" in u for u in links)
    assert links[0].startswith("https://wa.me/62812663400")


def test_one_persons_link_by_email_from_the_page(api: TestClient, db: Session,
                                                 setup: tuple[Setup, str], smtp: Inbox) -> None:
    s, csrf = setup
    from service.models import Participant, Registration

    for n in (0, 1):
        reg = db.get(Registration, s.people[n]["id"])
        person = db.get(Participant, reg.participant_id)  # type: ignore[union-attr]
        person.email = f"kader{n}@example.org"  # type: ignore[union-attr]
    db.flush()
    api.post(f"/api/trainings/{s.tid}/certificates")
    cert = api.get(f"/api/trainings/{s.tid}/certificates").json()["items"][1]
    page = api.get(f"/trainings/{s.tid}/certificates").text
    assert f"/certificates/email?certificate_id={cert['id']}" in page
    r = api.post(f"/trainings/{s.tid}/certificates/email?certificate_id={cert['id']}",
                 headers={"HX-Request": "true", "X-CSRF-Token": csrf})
    assert r.status_code == 200 and "1 email masuk antrean" in r.text
    assert [m.recipient for m in _queued(db, s.tid)] == ["kader1@example.org"]


def _queued(db: Session, training_id: int) -> list[Any]:
    from sqlmodel import select

    from service.models import Message

    return list(db.exec(select(Message).where(Message.training_id == training_id)).all())


def test_issue_without_javascript_issues_all_and_redirects(api: TestClient,
                                                           setup: tuple[Setup, str]) -> None:
    s, csrf = setup
    r = api.post(f"/trainings/{s.tid}/certificates/issue", data={"csrf_token": csrf},
                 follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].endswith("issued=3")
    assert "Selesai: 3 sertifikat diterbitkan." in api.get(r.headers["location"]).text


def test_a_batch_parameter_that_is_no_batch_id_shows_every_batch(
        api: TestClient, setup: tuple[Setup, str]) -> None:
    s, _csrf = setup
    for raw in ("²", "١", "abc", "9999999999", str(s.batches[1]["id"] + 1000)):
        r = api.get(f"/trainings/{s.tid}/certificates", params={"batch": raw})
        assert r.status_code == 200, raw
        assert "Kader 01 Nur&#39;aini" in r.text, raw
