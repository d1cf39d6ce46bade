"""The messages page over HTTP: counts and the log, the send form (queued once, however
often it is sent; refused with an Indonesian message and nothing queued), resending the
failed ones, the reminder rules and their schedule, the participant list's last message,
and another office's training (404)."""

import re
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update
from sqlmodel import Session, col, func, select

from service.models import Message, MessageRule
from service.models.base import pk, utcnow
from service.services.messaging import outbox
from tests import factories as f
from tests.helpers import login_page_client

BASE = "http://testserver"
# Names as an office's sheet has them: titles before and after, an apostrophe.
PEOPLE = (
    ("Dra. Hj. Yusnidar Chaniago, M.Pd", "0812-6634-0101", "yusnidar@padang.go.id"),
    ("H. Ahmad Syukri, S.Sos", "+62 812 6634 0102", None),
    ("Nur'aini, A.Md.Keb", "6281266340103", "nuraini.bidan@gmail.com"),
    ("dr. Rahmi Fitriani", None, "rahmi.fitriani@yahoo.co.id"),
    ("Drs. Zulkifli Hamid, M.Si", "081266340105", None),
    ("Siti Rahmawati", None, None),
)


@pytest.fixture
def channels(monkeypatch: pytest.MonkeyPatch) -> None:
    """Email set up (an SMTP host; nothing is sent: no worker runs in router tests)."""
    from service.settings import get_settings

    monkeypatch.setattr(get_settings(), "smtp_host", "127.0.0.1")


@pytest.fixture
def world(db: Session, org: Any, admin: Any) -> dict[str, Any]:
    """A Padang-like training, two batches side by side, six people (some without a phone
    or an email), committed."""
    t = f.training(db, org, title="Pelatihan Kader Kampung KB Kota Padang", days=7)
    one = f.batch(db, t, "Angkatan I")
    two = f.batch(db, t, "Angkatan II")
    regs = []
    for n, (name, phone, email) in enumerate(PEOPLE):
        regs.append(f.register(db, t, one if n % 2 == 0 else two, name=name, phone=phone,
                               email=email))
    f.committed(db)
    return {"t": t, "batches": (one, two), "regs": regs}


@pytest.fixture
def csrf(client: TestClient, admin: Any) -> str:
    return login_page_client(client, admin.email)


def _messages(db: Session, training_id: int) -> list[Message]:
    db.expire_all()
    return list(db.exec(select(Message).where(Message.training_id == training_id)
                        .order_by(col(Message.id))).all())


def _key(page: str) -> str:
    found = re.search(r'name="idempotency_key" value="([^"]+)"', page)
    assert found, "no idempotency key on the send form"
    return found.group(1)


def _words(html: str) -> str:
    """The text of some HTML, as it reads: tags dropped, spaces collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def _send(csrf: str, key: str, **changes: str) -> dict[str, str]:
    return {"csrf_token": csrf, "idempotency_key": key, "kind": "custom", "channel": "email",
            "batch_id": "", "only": "", "text": "Yth. {nama}, pembukaan pukul 08.00 di "
            "{tempat}. Tiket: {tiket}", **changes}


def test_the_page_shows_counts_and_the_log(client: TestClient, db: Session, channels: None,
                                           world: dict[str, Any], csrf: str) -> None:
    t = world["t"]
    outbox.queue(db, t, outbox.SendRequest("ticket", "email"), BASE)
    f.committed(db)
    page = client.get(f"/trainings/{t.id}/messages").text
    assert "<h1>Pesan</h1>" in page
    for label in ("Antre", "Sedang dikirim", "Terkirim", "Diterima", "Dibaca", "Gagal"):
        assert label in page
    assert re.search(r'id="count-queued"[^>]*data-count="3"', page)
    assert "Dra. Hj. Yusnidar Chaniago, M.Pd" in page and "dr. Rahmi Fitriani" in page
    assert "Siti Rahmawati" not in page.split('id="message-log"')[1]  # no email address
    assert page.count('class="msg-badge msg-queued"') == 3
    # Email is set up, WhatsApp is not: offered, but not to choose.
    assert re.search(r'value="whatsapp"[^>]*disabled', page)
    assert not re.search(r'value="email"[^>]*disabled', page)


def test_sending_queues_rows_and_says_how_many(client: TestClient, db: Session,
                                               channels: None, world: dict[str, Any],
                                               csrf: str) -> None:
    t = world["t"]
    key = _key(client.get(f"/trainings/{t.id}/messages").text)
    r = client.post(f"/trainings/{t.id}/messages", data=_send(csrf, key),
                    follow_redirects=False)
    assert r.status_code == 303, r.text
    notice = parse_qs(urlsplit(r.headers["location"]).query)
    assert notice["queued"] == ["3"] and notice["no_email"] == ["3"]
    rows = _messages(db, pk(t))
    assert len(rows) == 3 and {m.status for m in rows} == {"queued"}
    assert {m.kind for m in rows} == {"custom"} and {m.channel for m in rows} == {"email"}
    assert "pembukaan pukul 08.00" in rows[0].body and "{nama}" not in rows[0].body
    page = client.get(r.headers["location"]).text
    assert "3 pesan masuk antrean; dikirim oleh pekerja (worker)" in page
    assert "3 orang tidak punya alamat email." in page


def test_the_same_form_sent_twice_queues_once(client: TestClient, db: Session,
                                              channels: None, world: dict[str, Any],
                                              csrf: str) -> None:
    t = world["t"]
    key = _key(client.get(f"/trainings/{t.id}/messages").text)
    first = client.post(f"/trainings/{t.id}/messages", data=_send(csrf, key),
                        follow_redirects=False)
    again = client.post(f"/trainings/{t.id}/messages", data=_send(csrf, key),
                        follow_redirects=False)
    assert first.status_code == again.status_code == 303
    assert len(_messages(db, pk(t))) == 3
    assert parse_qs(urlsplit(again.headers["location"]).query)["queued"] == ["0"]
    assert "Tidak ada pesan baru yang masuk antrean." in client.get(
        again.headers["location"]).text
    # A new page is a new send.
    fresh = _key(client.get(f"/trainings/{t.id}/messages").text)
    assert fresh != key


def test_the_htmx_send_answers_with_a_redirect(client: TestClient, db: Session,
                                               channels: None, world: dict[str, Any],
                                               csrf: str) -> None:
    t = world["t"]
    r = client.post(f"/trainings/{t.id}/messages", data=_send(csrf, "htmx-1", kind="ticket",
                                                            text=""),
                    headers={"HX-Request": "true"})
    assert r.status_code == 204 and "queued=3" in r.headers["HX-Redirect"]
    assert {m.kind for m in _messages(db, pk(t))} == {"ticket"}


@pytest.mark.parametrize(("changes", "message"), [
    ({"kind": "undangan"}, "Pilih yang akan dikirim: tiket, pengingat, tautan sertifikat, "
                           "tautan tes, tautan evaluasi, atau pesan sendiri."),
    ({"text": "   "}, "Tulis pesannya."),
    ({"text": "x" * 1001}, "Pesan terlalu panjang (paling banyak 1000 karakter)."),
    ({"channel": "sms"}, "Pilih WhatsApp, email, atau keduanya."),
    ({"only": "semua"}, "Pilih semua, yang belum terjangkau, atau yang tidak hadir hari ini."),
    ({"channel": "whatsapp"}, "WhatsApp belum disiapkan"),
])
def test_a_bad_send_is_refused_in_indonesian_and_queues_nothing(
        client: TestClient, db: Session, channels: None, world: dict[str, Any], csrf: str,
        changes: dict[str, str], message: str) -> None:
    t = world["t"]
    r = client.post(f"/trainings/{t.id}/messages", data=_send(csrf, "bad-1", **changes))
    assert 400 <= r.status_code < 500
    assert message in r.text and 'id="send-error"' in r.text
    assert _messages(db, pk(t)) == []
    # The form keeps what was typed and its key.
    assert 'value="bad-1"' in r.text


def test_without_any_channel_the_page_says_so_and_points_to_wa_links(
        client: TestClient, db: Session, world: dict[str, Any], csrf: str) -> None:
    t = world["t"]
    page = client.get(f"/trainings/{t.id}/messages").text
    assert 'id="no-channel"' in page and "wa.me" in page
    assert re.search(r'id="send-button"[^>]*disabled', page)
    r = client.post(f"/trainings/{t.id}/messages", data=_send(csrf, "none-1"))
    assert r.status_code == 409 and "Email belum diatur" in r.text
    assert _messages(db, pk(t)) == []


def test_a_rule_saves_and_the_schedule_lists_its_reminders(
        client: TestClient, db: Session, org: Any, channels: None, csrf: str) -> None:
    start = (datetime.now(UTC) + timedelta(days=30)).date()
    t = f.training(db, org, title="Bimtek Pengelola Kampung KB Kota Padang", start=start,
                   days=7)
    f.batch(db, t, "Angkatan I", start=start, days=2)
    second = f.batch(db, t, "Angkatan II", start=start + timedelta(days=5), days=2)
    f.register(db, t, second, name="Hj. Elvi Yanti, S.Pd", email="elvi@padang.go.id")
    f.committed(db)
    url = f"/trainings/{t.id}/messages"
    assert 'id="schedule-off"' in client.get(url).text
    r = client.post(f"/trainings/{t.id}/message-rules/day_before",
                    data={"csrf_token": csrf, "enabled": "1", "hour": "15",
                          "channel": "email"}, follow_redirects=False)
    assert r.status_code == 303 and "saved_rule=day_before" in r.headers["location"]
    page = client.get(r.headers["location"]).text
    assert "Tersimpan: Pengingat sehari sebelumnya (H-1)." in page
    schedule = page.split('id="schedule"')[1]
    assert "Angkatan I" in schedule and "Angkatan II" in schedule
    assert "15.00 WIB" in schedule
    eve = start + timedelta(days=4)  # the day before Angkatan II
    assert f"{eve.day} " in schedule
    # Turned off again: the box is unticked, the schedule goes.
    r = client.post(f"/trainings/{t.id}/message-rules/day_before",
                    data={"csrf_token": csrf, "hour": "15", "channel": "email"},
                    follow_redirects=False)
    assert r.status_code == 303
    assert 'id="schedule-off"' in client.get(url).text


def test_a_rule_on_a_channel_not_set_up_warns(client: TestClient, db: Session,
                                              channels: None, world: dict[str, Any],
                                              csrf: str) -> None:
    t = world["t"]
    r = client.post(f"/trainings/{t.id}/message-rules/certificate_ready",
                    data={"csrf_token": csrf, "enabled": "1", "channel": "whatsapp"})
    assert r.status_code == 200
    assert "Saluran yang dipilih belum disiapkan" in r.text


@pytest.mark.parametrize(("rule", "data", "message"), [
    ("day_before", {"enabled": "1", "hour": "25", "channel": "email"},
     "Pilih jam dari 0 sampai 23."),
    ("day_before", {"enabled": "1", "hour": "jam 4", "channel": "email"},
     "Pilih jam dari 0 sampai 23."),
    ("day_before", {"enabled": "1", "hour": "16", "channel": "pos"},
     "Pilih WhatsApp, email, atau keduanya."),
    ("sehari_sesudah", {"enabled": "1", "hour": "16", "channel": "email"},
     "Aturan pengingat tidak dikenal."),
])
def test_a_bad_rule_is_refused_in_indonesian_and_changes_nothing(
        client: TestClient, db: Session, channels: None, world: dict[str, Any], csrf: str,
        rule: str, data: dict[str, str], message: str) -> None:
    t = world["t"]
    r = client.post(f"/trainings/{t.id}/message-rules/{rule}",
                    data={"csrf_token": csrf, **data})
    assert r.status_code == 422
    assert message in r.text
    db.expire_all()
    assert db.exec(select(func.count()).select_from(MessageRule)
                   .where(MessageRule.training_id == t.id)).one() == 0


def test_resend_requeues_the_failed_ones(client: TestClient, db: Session, channels: None,
                                         world: dict[str, Any], csrf: str) -> None:
    t = world["t"]
    outbox.queue(db, t, outbox.SendRequest("ticket", "email"), BASE)
    db.execute(update(Message).where(col(Message.training_id) == t.id).values(
        status="failed", attempts=5, error="550 5.1.1 Mailbox unavailable",
        failed_at=utcnow()))
    f.committed(db)
    page = client.get(f"/trainings/{t.id}/messages").text
    assert "Kirim ulang yang gagal (3)" in page and "550 5.1.1 Mailbox unavailable" in page
    r = client.post(f"/trainings/{t.id}/messages/resend", data={"csrf_token": csrf},
                    follow_redirects=False)
    assert r.status_code == 303 and "resent=3" in r.headers["location"]
    rows = _messages(db, pk(t))
    assert {(m.status, m.attempts, m.error) for m in rows} == {("queued", 0, None)}
    page = client.get(r.headers["location"]).text
    assert "3 pesan gagal masuk antrean lagi" in page and "Kirim ulang yang gagal" not in page


def test_one_persons_log_and_their_resend(client: TestClient, db: Session, channels: None,
                                          world: dict[str, Any], csrf: str) -> None:
    t, regs = world["t"], world["regs"]
    outbox.queue(db, t, outbox.SendRequest("ticket", "email"), BASE)
    db.execute(update(Message).where(col(Message.training_id) == t.id).values(
        status="failed", error="Alamat email tidak sah", failed_at=utcnow()))
    f.committed(db)
    nuraini = regs[2]
    url = f"/trainings/{t.id}/messages?registration_id={nuraini.id}"
    page = client.get(url).text
    assert "Pesan untuk Nur&#39;aini, A.Md.Keb" in page and 'id="all-messages"' in page
    log = page.split('id="message-log"')[1]
    assert log.count("<tr id=\"msg-") == 1 and "Kirim ulang yang gagal (1)" in page
    r = client.post(f"/trainings/{t.id}/messages/resend",
                    data={"csrf_token": csrf, "registration_id": str(nuraini.id)},
                    follow_redirects=False)
    assert r.status_code == 303 and f"registration_id={nuraini.id}" in r.headers["location"]
    states = {m.registration_id: m.status for m in _messages(db, pk(t))}
    assert states[nuraini.id] == "queued"
    assert sorted(s for rid, s in states.items() if rid != nuraini.id) == ["failed", "failed"]


def test_the_log_filters_by_state_and_serves_fragments(client: TestClient, db: Session,
                                                       channels: None,
                                                       world: dict[str, Any],
                                                       csrf: str) -> None:
    t, regs = world["t"], world["regs"]
    outbox.queue(db, t, outbox.SendRequest("ticket", "email"), BASE)
    db.execute(update(Message).where(col(Message.registration_id) == regs[0].id)
               .values(status="read", sent_at=utcnow(), delivered_at=utcnow(),
                       read_at=utcnow()))
    f.committed(db)
    url = f"/trainings/{t.id}/messages"
    fragment = client.get(f"{url}?status=read", headers={"HX-Request": "true"}).text
    assert fragment.lstrip().startswith('<div id="message-log">')
    assert "Yusnidar" in fragment and "Rahmi" not in fragment and "<h1>" not in fragment
    counts = client.get(url, headers={"HX-Request": "true", "HX-Target": "message-counts"})
    assert counts.text.lstrip().startswith("<ul") and 'data-count="2"' in counts.text
    # A made-up state shows the whole log rather than an error page.
    assert client.get(f"{url}?status=terbang&page=abc").status_code == 200


def test_the_participant_list_shows_each_persons_last_message(
        client: TestClient, db: Session, channels: None, world: dict[str, Any],
        csrf: str) -> None:
    t, regs = world["t"], world["regs"]
    # Before any message the list keeps its width: no column of dashes.
    assert "Pesan terakhir" not in client.get(f"/trainings/{t.id}/registrations").text
    outbox.queue(db, t, outbox.SendRequest("ticket", "email"), BASE)
    db.execute(update(Message).where(col(Message.registration_id) == regs[0].id)
               .values(status="failed", error="550 Mailbox unavailable", failed_at=utcnow()))
    f.committed(db)
    page = client.get(f"/trainings/{t.id}/registrations").text
    assert "<th>Pesan terakhir</th>" in page
    row = page.split(f'id="reg-{regs[0].id}"')[1].split("</tr>")[0]
    assert "Email · Gagal" in _words(row) and 'title="550 Mailbox unavailable"' in row
    assert f"/trainings/{t.id}/messages?registration_id={regs[0].id}" in row
    assert "Email · Antre" in _words(page.split(f'id="reg-{regs[2].id}"')[1].split("</tr>")[0])
    # No message to H. Ahmad (no email address): his wa.me link stays, no state.
    ahmad = page.split(f'id="reg-{regs[1].id}"')[1].split("</tr>")[0]
    assert "wa.me/" in ahmad and "msg-badge" not in ahmad


def test_the_participant_list_asks_once_for_every_last_message(
        client: TestClient, db: Session, channels: None, world: dict[str, Any], csrf: str,
        count_queries: list[str]) -> None:
    t = world["t"]
    outbox.queue(db, t, outbox.SendRequest("ticket", "email"), BASE)
    f.committed(db)
    count_queries.clear()
    assert client.get(f"/trainings/{t.id}/registrations").status_code == 200
    assert sum(1 for s in count_queries if "FROM message" in s) == 1


def test_another_offices_training_is_not_found(client: TestClient, db: Session,
                                               channels: None, world: dict[str, Any],
                                               csrf: str) -> None:
    other = f.organization(db, "DP3AP2KB Kota Pontianak")
    theirs = f.training(db, other, title="Bimtek Pengelola Kampung KB Kota Pontianak")
    b = f.batch(db, theirs)
    reg = f.register(db, theirs, b, name="Yohanes Sutrisno", email="yohanes@example.id")
    f.committed(db)
    tid = theirs.id
    assert client.get(f"/trainings/{tid}/messages").status_code == 404
    r = client.post(f"/trainings/{tid}/messages", data=_send(csrf, "theirs-1"))
    assert r.status_code == 404
    assert client.post(f"/trainings/{tid}/messages/resend",
                       data={"csrf_token": csrf}).status_code == 404
    assert client.post(f"/trainings/{tid}/message-rules/day_before",
                       data={"csrf_token": csrf, "enabled": "1", "hour": "16",
                             "channel": "email"}).status_code == 404
    # Their participant is not to be looked at from our training either.
    ours = world["t"].id
    assert client.get(f"/trainings/{ours}/messages?registration_id={reg.id}"
                      ).status_code == 404
    assert client.post(f"/trainings/{ours}/messages/resend",
                       data={"csrf_token": csrf, "registration_id": str(reg.id)}
                       ).status_code == 404
    assert _messages(db, pk(theirs)) == []
    db.expire_all()
    assert db.exec(select(func.count()).select_from(MessageRule)).one() == 0


def test_posts_need_the_csrf_token(client: TestClient, db: Session, channels: None,
                                   world: dict[str, Any], csrf: str) -> None:
    t = world["t"]
    data = _send("", "no-csrf")
    r = client.post(f"/trainings/{t.id}/messages", data=data)
    assert r.status_code == 403
    assert _messages(db, pk(t)) == []


def test_the_overview_links_the_messages_page(client: TestClient, world: dict[str, Any],
                                              csrf: str) -> None:
    t = world["t"]
    page = client.get(f"/trainings/{t.id}").text
    assert f'href="/trainings/{t.id}/messages"' in page

