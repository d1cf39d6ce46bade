"""Messages to participants in a real browser, on a server of its own with WhatsApp and
email set up and no embedded worker (so what the page queues stays queued until the test
plays the worker): the counts and the log, sending an own message (with and without
JavaScript, and twice), following it through sent, read and failed, resending the failed
ones, the reminder rules and their schedule, each person's last message on the
participant list, and the phone layout.

The office is built through the services (tests/factories.py), shaped like Padang's:
two batches side by side, thirty people with titles in their names, phones in several
shapes, some without a phone and many without an email address."""

import re
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from service.db import make_engine, writer_bind
from service.models import Message, Organization
from service.models.base import pk
from service.services.messaging import webhook
from service.services.messaging.providers import Outgoing, PermanentFailure
from service.services.messaging.whatsapp_cloud import StatusEvent
from service.services.messaging.worker import Worker
from service.settings import get_settings
from tests import factories
from tests.browser.conftest import (
    ARTIFACTS,
    DESKTOP,
    PHONE,
    htmx_idle,
    login,
    no_horizontal_overflow,
    shoot,
)
from tests.live import live_app

pytestmark = pytest.mark.browser

EMAIL = "sekretariat@dp3ap2kb.padang.test"
PASSWORD = "kampung-kb-x" + secrets.token_hex(6)
ORG = "DP3AP2KB Kota Padang"
# Both channels set up; the WhatsApp address answers nothing, and nothing is sent from the
# server (no embedded worker): the test plays the worker with providers of its own.
SERVER_ENV = {"BIMTEK_SMTP_HOST": "127.0.0.1", "BIMTEK_SMTP_PORT": "9",
              "BIMTEK_WHATSAPP_API_URL": "http://127.0.0.1:9/v21.0",
              "BIMTEK_WHATSAPP_TOKEN": "token-uji", "BIMTEK_WHATSAPP_PHONE_NUMBER_ID": "1",
              "BIMTEK_WORKER_EMBEDDED": "false"}

NAMES = (
    "Dra. Hj. Yusnidar Chaniago, M.Pd", "H. Ahmad Syukri, S.Sos", "Nur'aini, A.Md.Keb",
    "dr. Rahmi Fitriani", "Drs. Zulkifli Hamid, M.Si", "Siti Rahmawati",
    "Ir. Bambang Supriadi", "Hj. Elvi Yanti, S.Pd", "Yulia Sartika, SKM",
    "Hendra Gunawan, S.E.", "Rosmaniar", "Hj. Nurhayati Lubis", "Desi Ratnasari, A.Md",
    "Afrizal Datuak Rajo Mudo", "Ernawati, S.Pd.I", "Fitri Handayani, S.ST",
    "Zainal Abidin, S.H.", "Yenni Marlina", "Hj. Asmawati Tanjung", "Rudi Hartono, S.Kom",
    "Novi Yanti", "Syafrizal, S.Ag", "Lisa Oktaviani, S.Psi", "Dewi Kartika Sari",
    "H. Muhammad Ilham, Lc.", "Rina Wulandari, S.Kep", "Yusri Efendi", "Mardiah, S.Pd",
    "Darmawati", "Irwan Syahputra, S.IP",
)
# A permanently refused address and number (the "worker" fails them).
BOUNCING = {"pindah.tugas@padang.go.id", "+6281266349911"}


def _phone(n: int) -> str | None:
    """Phones as an office's sheet has them, in four shapes; every sixth is missing."""
    if n % 6 == 5:
        return None
    digits = "81266349911" if n == 7 else f"81266349{n:03d}"
    return (f"0{digits[:3]}-{digits[3:7]}-{digits[7:]}", f"+62 {digits}", f"62{digits}",
            f"0{digits}")[n % 4]


def _email(n: int) -> str | None:
    if n == 4:
        return "pindah.tugas@padang.go.id"
    return f"kader{n:02d}@padang.go.id" if n % 3 == 0 else None


@dataclass
class Office:
    training_id: int
    batch_ids: tuple[int, int]
    registration_ids: list[int]  # in NAMES order
    phones: int  # people with a phone, per batch
    emails: int  # people with an email address, per batch


@dataclass
class Served:
    base_url: str
    engine: Engine


@pytest.fixture(scope="module")
def served() -> Iterator[Served]:
    with live_app("messages", EMAIL, PASSWORD, env=SERVER_ENV) as (client, url):
        engine = make_engine(url)
        try:
            yield Served(str(client.base_url).rstrip("/"), engine)
        finally:
            engine.dispose()


def _office(served: Served, start: date | None = None) -> Office:
    """A Padang-like training: Angkatan I and II side by side for two days, 15 people
    each; committed through the services."""
    start = start or (datetime.now(UTC) + timedelta(days=20)).date()
    with Session(writer_bind(served.engine), expire_on_commit=False) as db:
        org = db.exec(select(Organization)).first()
        assert org is not None
        org.name = ORG
        t = factories.training(db, org, f"Pelatihan Kader Kampung KB Kota Padang "
                                        f"{secrets.token_hex(2)}", start=start, days=7)
        one = factories.batch(db, t, "Angkatan I", start=start, days=2, capacity=20)
        two = factories.batch(db, t, "Angkatan II", start=start, days=2, capacity=20)
        regs = [factories.register(db, t, one if n % 2 == 0 else two, name=name,
                                   phone=_phone(n), email=_email(n),
                                   district="Padang Utara" if n % 3 else "Kuranji",
                                   category="Kader BKB" if n % 2 else "PKB")
                for n, name in enumerate(NAMES)]
        db.commit()
        first = [n for n in range(len(NAMES)) if n % 2 == 0]
        return Office(pk(t), (pk(one), pk(two)), [pk(r) for r in regs],
                      sum(1 for n in first if _phone(n)), sum(1 for n in first if _email(n)))


def _messages(served: Served, training_id: int) -> list[Message]:
    with Session(served.engine) as db:
        return list(db.exec(select(Message).where(Message.training_id == training_id)
                            .order_by(col(Message.id))).all())


class Provider:
    """The test's stand-in for WhatsApp or SMTP: accepts every message but BOUNCING's."""

    def __init__(self, channel: str) -> None:
        self.channel = channel

    def send(self, message: Outgoing) -> str:
        if message.recipient in BOUNCING:
            raise PermanentFailure("550 5.1.1 Mailbox unavailable" if self.channel == "email"
                                   else "(#131026) Message Undeliverable.")
        return f"wamid.uji{message.id}" if self.channel == "whatsapp" else ""

    def close(self) -> None:
        pass


def _play_worker(served: Served, training_id: int, read: int = 3) -> None:
    """Send everything queued (BOUNCING fails), then WhatsApp reports the training's
    first `read` messages read and its others delivered."""
    settings = get_settings().model_copy(update={"whatsapp_rate": 0.0, "email_rate": 0.0})
    worker = Worker(served.engine, settings,
                    providers={"whatsapp": Provider("whatsapp"), "email": Provider("email")})
    try:
        for channel in ("whatsapp", "email"):
            while worker.send_batch(channel):
                pass
    finally:
        worker.close()
    now = datetime.now(UTC)
    with Session(writer_bind(served.engine)) as db:
        sent = db.exec(select(Message.provider_message_id).where(
            Message.training_id == training_id, Message.channel == "whatsapp",
            Message.status == "sent")
            .order_by(col(Message.id))).all()
        events = [StatusEvent(pid, "read" if n < read else "delivered", now, None)
                  for n, pid in enumerate(sent) if pid]
        webhook.apply(db, events, [])
        db.commit()


def _send_tickets_and_deliver(page: Page, served: Served, tid: int, read: int) -> None:
    """Tickets to everyone on both channels from the page, then sent and reported."""
    page.goto(f"/trainings/{tid}/messages")
    page.get_by_label("Tiket", exact=True).check()
    page.get_by_label("Keduanya", exact=True).check()
    page.locator("#send-button").click()
    expect(page.locator("#notice")).to_be_visible()
    _play_worker(served, tid, read=read)


@pytest.fixture
def page(browser: Any, served: Served, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A logged-in committee member on the messages server; confirm() is answered yes."""
    context = browser.new_context(base_url=served.base_url, viewport=DESKTOP, locale="id-ID")
    context.set_default_timeout(10_000)
    pg = context.new_page()
    pg.on("dialog", lambda dialog: dialog.accept())
    login(pg, EMAIL, PASSWORD)
    yield pg
    rep = getattr(request.node, "rep_call", None)
    if rep is not None and rep.failed:
        pg.screenshot(path=str(ARTIFACTS / f"failed-{request.node.name}.png"), full_page=True)
    context.close()


def test_send_an_own_message_and_follow_it_in_the_log(page: Page, served: Served) -> None:
    office = _office(served)
    tid = office.training_id
    page.goto(f"/trainings/{tid}")
    page.locator("#messages-link").click()
    expect(page.locator("h1")).to_have_text("Pesan")
    for state in ("Antre", "Sedang dikirim", "Terkirim", "Diterima", "Dibaca", "Gagal"):
        expect(page.locator("#message-counts")).to_contain_text(state)
    expect(page.locator("#log-empty")).to_be_visible()

    # The text box is there for an own message only; the placeholders are listed.
    expect(page.locator("textarea[name=text]")).to_be_hidden()
    page.get_by_label("Pesan sendiri", exact=True).check()
    expect(page.locator("textarea[name=text]")).to_be_visible()
    expect(page.locator(".msg-placeholders")).to_contain_text("{tempat}")
    page.locator("textarea[name=text]").fill(
        "Pembukaan {pelatihan} ({angkatan}) dimulai pukul 08.00 di {tempat}. "
        "Mohon membawa tiket: {tiket}")
    page.get_by_label("Keduanya", exact=True).check()
    page.locator("select[name=batch_id]").select_option(label="Angkatan I")
    page.locator("#send-button").click()
    expect(page.locator("#notice")).to_contain_text("pesan masuk antrean; dikirim oleh "
                                                    "pekerja (worker)")
    expect(page.locator("#notice")).to_contain_text("tidak punya alamat email")

    rows = _messages(served, tid)
    assert len(rows) == office.phones + office.emails
    assert {m.kind for m in rows} == {"custom"} and {m.status for m in rows} == {"queued"}
    assert all("{" not in m.body and "Angkatan I" in m.body for m in rows)
    assert {m.registration_id for m in rows} <= set(office.registration_ids[::2])
    expect(page.locator("#count-queued")).to_have_attribute("data-count", str(len(rows)))
    expect(page.locator("#messages tbody tr")).to_have_count(len(rows))

    # The worker sends; one address bounces, one number is not on WhatsApp; reports come.
    _play_worker(served, tid, read=3)
    page.reload()
    expect(page.locator("#count-read")).to_have_attribute("data-count", "3")
    expect(page.locator("#count-failed")).to_have_attribute("data-count", "1")
    failed = page.locator("#messages tr[data-status=failed]")
    expect(failed).to_have_count(1)
    expect(failed).to_contain_text("Gagal")
    expect(failed).to_contain_text("550 5.1.1 Mailbox unavailable")
    expect(page.locator("#messages tr[data-status=read]").first).to_contain_text("Dibaca")

    # Filter by state (htmx swaps the log alone, the address follows).
    page.locator("#log-status").select_option("failed")
    htmx_idle(page)
    expect(page.locator("#messages tbody tr")).to_have_count(1)
    assert "status=failed" in page.url
    page.locator("#log-status").select_option("")
    htmx_idle(page)
    shoot(page, "messages")


def test_the_same_form_sent_twice_queues_once(page: Page, served: Served,
                                              browser: Any) -> None:
    office = _office(served)
    tid = office.training_id
    page.goto(f"/trainings/{tid}/messages")
    form = page.locator("#send-form")
    fields = {"csrf_token": form.locator("input[name=csrf_token]").input_value(),
              "idempotency_key": form.locator("input[name=idempotency_key]").input_value(),
              "kind": "ticket", "channel": "whatsapp", "batch_id": str(office.batch_ids[1]),
              "only": ""}
    # The browser sends the same form again (a retried request, a second click).
    answers = [page.request.post(f"/trainings/{tid}/messages", form=fields,
                                 max_redirects=0) for _ in range(2)]
    assert [a.status for a in answers] == [303, 303]
    assert "queued=0" in answers[1].headers["location"]
    once = _messages(served, tid)
    second_batch = [n for n in range(len(NAMES)) if n % 2 == 1]
    assert len(once) == sum(1 for n in second_batch if _phone(n))
    page.goto(answers[1].headers["location"])
    expect(page.locator("#notice")).to_contain_text("Tidak ada pesan baru yang masuk antrean")

    # Without JavaScript, a double click on the button: still queued once.
    context = browser.new_context(base_url=served.base_url, java_script_enabled=False,
                                  viewport=DESKTOP, locale="id-ID")
    try:
        plain = context.new_page()
        login(plain, EMAIL, PASSWORD)
        plain.goto(f"/trainings/{tid}/messages")
        plain.get_by_label("Tiket", exact=True).check()
        plain.get_by_label("Email", exact=True).check()
        plain.locator("#send-button").dblclick()
        expect(plain.locator("#notice")).to_be_visible()
        emails = [m for m in _messages(served, tid) if m.channel == "email"]
        assert len(emails) == sum(1 for n in range(len(NAMES)) if _email(n))
        assert len({m.registration_id for m in emails}) == len(emails)
    finally:
        context.close()


def test_refused_input_is_said_beside_the_form(page: Page, served: Served) -> None:
    office = _office(served)
    page.goto(f"/trainings/{office.training_id}/messages")
    page.get_by_label("Pesan sendiri", exact=True).check()
    page.locator("#send-button").click()
    expect(page.locator("#send-error")).to_have_text("Tulis pesannya.")
    expect(page.get_by_label("Pesan sendiri", exact=True)).to_be_checked()
    assert _messages(served, office.training_id) == []


def test_reminder_rules_save_and_the_schedule_lists_them(page: Page, served: Served) -> None:
    office = _office(served)
    page.goto(f"/trainings/{office.training_id}/messages")
    expect(page.locator("#schedule-off")).to_be_visible()
    rule = page.locator("#rule-day_before")
    rule.get_by_label("Aktif", exact=True).check()
    rule.locator("select[name=hour]").select_option("15")
    rule.locator("select[name=channel]").select_option("whatsapp")
    rule.locator("button[type=submit]").click()
    expect(page.locator("#rule-saved")).to_contain_text("Pengingat sehari sebelumnya (H-1)")
    rule = page.locator("#rule-day_before")
    expect(rule.get_by_label("Aktif", exact=True)).to_be_checked()
    expect(rule.locator("select[name=hour]")).to_have_value("15")
    expect(rule.locator(".msg-on")).to_have_text("Aktif")
    schedule = page.locator("#schedule tbody tr")
    expect(schedule).to_have_count(2)
    expect(schedule.first).to_contain_text("15.00 WIB")
    expect(schedule.first.locator("td").nth(3)).to_have_text("15")  # people in the batch
    expect(page.locator("#schedule")).to_contain_text("Angkatan II")

    # The certificate link rule, by email.
    cert = page.locator("#rule-certificate_ready")
    cert.get_by_label("Aktif", exact=True).check()
    cert.locator("select[name=channel]").select_option("email")
    cert.locator("button[type=submit]").click()
    expect(page.locator("#rule-certificate_ready .msg-on")).to_be_visible()
    expect(page.locator("#rule-certificate_ready select[name=channel]")).to_have_value("email")
    page.locator("#reminders").scroll_into_view_if_needed()
    shoot(page, "messages-reminders")


def test_participant_list_shows_the_last_message_and_leads_to_the_log(
        page: Page, served: Served) -> None:
    office = _office(served)
    tid = office.training_id
    _send_tickets_and_deliver(page, served, tid, read=1)

    page.goto(f"/trainings/{tid}/registrations")
    first = page.locator(f"#reg-{office.registration_ids[0]} .msg-last")
    expect(first).to_contain_text("Email ·")  # the newest of hers: the email after the WA
    bounced = page.locator(f"#reg-{office.registration_ids[4]} .msg-last a")
    expect(bounced).to_have_text("Email · Gagal")
    expect(bounced).to_have_attribute("title", "550 5.1.1 Mailbox unavailable")
    # Someone without any address: no state, and the wa.me link stays for the others.
    expect(page.locator(f"#reg-{office.registration_ids[5]} .msg-last")).to_have_text("—")
    expect(page.locator(f"#reg-{office.registration_ids[1]} .reg-wa")).to_have_attribute(
        "href", re.compile(r"^https://wa\.me/"))
    shoot(page, "messages-participants")

    bounced.click()
    expect(page.locator("#log-title")).to_have_text("Pesan untuk Drs. Zulkifli Hamid, M.Si")
    expect(page.locator("#messages tbody tr")).to_have_count(2)  # WhatsApp and email
    page.locator("#resend-button").click()
    expect(page.locator("#notice")).to_contain_text("1 pesan gagal masuk antrean lagi")
    page.locator("#all-messages").click()
    expect(page.locator("h1")).to_have_text("Pesan")


def test_resend_the_failed_ones_queues_them_again(page: Page, served: Served) -> None:
    office = _office(served)
    tid = office.training_id
    page.goto(f"/trainings/{tid}/messages")
    page.get_by_label("Tiket", exact=True).check()
    page.get_by_label("Keduanya", exact=True).check()
    page.locator("#send-button").click()
    expect(page.locator("#notice")).to_be_visible()
    _play_worker(served, tid)
    page.reload()
    failed = [m for m in _messages(served, tid) if m.status == "failed"]
    assert len(failed) == 2  # the bouncing address and the number not on WhatsApp
    page.locator("#resend-button").click()
    expect(page.locator("#notice")).to_contain_text("2 pesan gagal masuk antrean lagi")
    expect(page.locator("#resend-button")).to_have_count(0)
    expect(page.locator("#count-queued")).to_have_attribute("data-count", "2")
    again = {m.id: m for m in _messages(served, tid)}
    assert {again[m.id].status for m in failed} == {"queued"}
    assert {again[m.id].attempts for m in failed} == {0}


def test_the_page_fits_a_phone(page: Page, served: Served) -> None:
    office = _office(served)
    tid = office.training_id
    _send_tickets_and_deliver(page, served, tid, read=2)
    page.set_viewport_size(PHONE)
    page.goto(f"/trainings/{tid}/messages")
    no_horizontal_overflow(page)
    # Each message is a card with its words: the state is a word, not only a colour.
    expect(page.locator("#messages tr[data-status=failed] .msg-badge").first).to_have_text(
        "Gagal")
    page.screenshot(path=str(ARTIFACTS / "messages-phone-top.png"))
    page.goto(f"/trainings/{tid}/messages?registration_id={office.registration_ids[4]}")
    no_horizontal_overflow(page)
    page.goto(f"/trainings/{tid}/registrations")
    no_horizontal_overflow(page)
    page.set_viewport_size(DESKTOP)



def test_a_participant_stops_messages_from_the_link_in_an_email(browser: Any,
                                                                 served: Served) -> None:
    """The public page behind the stop link, on a phone and without logging in: it says
    which address (masked), stops on the button, and nothing more is queued to it."""
    from service.models import Training
    from service.services.messaging import optout, outbox

    office = _office(served)
    with Session(writer_bind(served.engine), expire_on_commit=False) as db:
        t = db.get(Training, office.training_id)
        assert t is not None
        outbox.queue(db, t, outbox.SendRequest("ticket", "email"), served.base_url,
                     channels=("email",))
        message = db.exec(select(Message).where(Message.training_id == office.training_id,
                                                Message.recipient == "kader00@padang.go.id")
                          ).one()
        link = f"/berhenti/{optout.token(db, pk(message))}"
        db.commit()
    context = browser.new_context(base_url=served.base_url, viewport=PHONE, locale="id-ID")
    phone = context.new_page()
    try:
        phone.goto(link)
        expect(phone.locator("h1")).to_contain_text("Berhenti")
        expect(phone.locator("#stop")).to_contain_text("k***@padang.go.id")
        expect(phone.locator("#stop")).not_to_contain_text("kader00@padang.go.id")
        no_horizontal_overflow(phone)
        shoot(phone, "stop-link")
        phone.locator("#stop-button").click()
        expect(phone.locator("#stop-done")).to_contain_text("k***@padang.go.id")
        shoot(phone, "stop-link-done")
    finally:
        context.close()
    with Session(writer_bind(served.engine), expire_on_commit=False) as db:
        assert optout.is_opted_out(db, "email", "kader00@padang.go.id")
        t = db.get(Training, office.training_id)
        assert t is not None
        again = outbox.queue(db, t, outbox.SendRequest("ticket", "email"), served.base_url,
                             channels=("email",))
        db.commit()
    assert again.opted_out == 1
