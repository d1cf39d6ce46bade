"""The message worker against real peers: the fake WhatsApp Cloud API (a local HTTP
server, tests/fake_whatsapp.py) and a real SMTP server (aiosmtpd), over a committed
database of its own (workers use their own connections, as in production)."""

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from email import message_from_bytes, policy
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import create_engine, delete, select
from sqlalchemy.engine import Engine
from sqlmodel import Session

from service import migrate
from service.models import Message, MessageOptOut, Participant, Training
from service.models.base import utcnow
from service.services.mailer import SmtpConfig
from service.services.messaging import optout, outbox, queue
from service.services.messaging.smtp import SmtpProvider
from service.services.messaging.whatsapp_cloud import CloudConfig, WhatsAppCloud
from service.services.messaging.worker import Worker
from service.settings import Settings
from tests import factories as f
from tests.conftest import DB_KIND
from tests.dbutil import fresh_database, pg_available
from tests.fake_whatsapp import FakeWhatsApp

BASE = "https://bimtek.padang.example"


@pytest.fixture(scope="module")
def engine() -> Iterator[Engine]:
    if DB_KIND == "postgresql" and not pg_available():
        pytest.skip("PostgreSQL is not running")
    with fresh_database(DB_KIND, "worker") as url:
        migrate.upgrade(url)
        engine = create_engine(url)
        yield engine
        engine.dispose()


@pytest.fixture
def fake() -> Iterator[FakeWhatsApp]:
    with FakeWhatsApp() as server:
        yield server


class Inbox:
    def __init__(self) -> None:
        self.messages: list[Any] = []
        self.connections = 0

    async def handle_EHLO(self, server: Any, session: Any, envelope: Any, hostname: str,
                          responses: list[str]) -> list[str]:  # noqa: N802
        self.connections += 1
        session.host_name = hostname
        return responses

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str,
                          options: list[str]) -> str:  # noqa: N802
        if address.startswith("pindah"):
            return "550 5.1.1 Mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"


@pytest.fixture
def inbox() -> Iterator[tuple[Inbox, int]]:
    handler = Inbox()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield handler, port
    finally:
        controller.stop()


@pytest.fixture
def configured(monkeypatch: pytest.MonkeyPatch, fake: FakeWhatsApp) -> Settings:
    """Both channels set up (what outbox.queue checks), no rate limit, retries soon."""
    from service.settings import get_settings

    s = get_settings()
    values = {"whatsapp_api_url": fake.base_url, "whatsapp_token": fake.token,
              "whatsapp_phone_number_id": fake.phone_number_id, "smtp_host": "127.0.0.1",
              "whatsapp_rate": 0.0, "email_rate": 0.0, "worker_concurrency": 4,
              "worker_lease_seconds": 60.0, "message_max_attempts": 3}
    for name, value in values.items():
        monkeypatch.setattr(s, name, value)
    return s


def _world(engine: Engine, people: int = 5, emails: tuple[str, ...] = ()) -> int:
    """A training with `people` cadres (distinct phones), committed; its id."""
    with Session(engine, expire_on_commit=False) as db:
        org = f.organization(db, f"Dinas {time.monotonic_ns()}")
        t = f.training(db, org)
        b = f.batch(db, t, capacity=200)
        regs = f.register_many(db, t, b, people)
        for reg, address in zip(regs, emails, strict=False):
            person = db.get(Participant, reg.participant_id)
            assert person is not None
            person.email = address
        db.commit()
        return t.id or 0


def _queue(engine: Engine, training_id: int, channel: str, key: str | None = None) -> int:
    with Session(engine, expire_on_commit=False) as db:
        t = db.get(Training, training_id)
        assert t is not None
        report = outbox.queue(db, t, outbox.SendRequest("ticket", channel,
                                                        idempotency_key=key), BASE)
        db.commit()
        return report.queued


def _rows(engine: Engine, training_id: int) -> list[Message]:
    with Session(engine) as db:
        return list(db.exec(select(Message).where(Message.training_id == training_id)
                            .order_by(Message.id)).scalars())  # type: ignore[call-overload]


def _drain(worker: Worker, rounds: int = 50) -> None:
    for _ in range(rounds):
        if not any(worker.send_batch(c) for c in worker.providers):
            return


def _whatsapp_worker(engine: Engine, settings: Settings, fake: FakeWhatsApp,
                     **changes: Any) -> Worker:
    cloud = CloudConfig.from_settings(settings)
    return Worker(engine, settings.model_copy(update=changes),
                  {"whatsapp": WhatsAppCloud(cloud)})


def test_whatsapp_messages_go_out_and_keep_the_providers_id(
        engine: Engine, configured: Settings, fake: FakeWhatsApp) -> None:
    tid = _world(engine, 5)
    assert _queue(engine, tid, "whatsapp") == 5
    worker = _whatsapp_worker(engine, configured, fake)
    _drain(worker)
    worker.close()
    rows = _rows(engine, tid)
    assert [m.status for m in rows] == ["sent"] * 5
    assert {m.provider_message_id for m in rows} == {r.wamid for r in fake.sent}
    body = fake.sent[0].body
    assert body["type"] == "template" and body["template"]["name"] == "bimtek_tiket"


def test_email_goes_over_one_connection_with_a_stop_link(
        engine: Engine, configured: Settings, inbox: tuple[Inbox, int],
        monkeypatch: pytest.MonkeyPatch) -> None:
    handler, port = inbox
    tid = _world(engine, 3, ("a@example.id", "b@example.id", "c@example.id"))
    assert _queue(engine, tid, "email") == 3
    smtp = SmtpProvider(SmtpConfig(host="127.0.0.1", port=port, timeout=5))
    worker = Worker(engine, configured, {"email": smtp})
    _drain(worker)
    worker.close()
    assert len(handler.messages) == 3 and handler.connections == 1
    mail = handler.messages[0]
    link = str(mail["List-Unsubscribe"]).strip().strip("<>")
    assert link.startswith(f"{BASE}/berhenti/")
    assert link in mail.get_body(("plain",)).get_content()
    token = link.rsplit("/", 1)[1]
    with Session(engine) as db:
        message = optout.message_for(db, token)
        assert message is not None and message.recipient == mail["To"].addresses[0].addr_spec


def test_a_refused_address_fails_for_good_and_the_rest_still_go(
        engine: Engine, configured: Settings, inbox: tuple[Inbox, int]) -> None:
    handler, port = inbox
    tid = _world(engine, 2, ("pindah@example.id", "ada@example.id"))
    _queue(engine, tid, "email")
    worker = Worker(engine, configured,
                    {"email": SmtpProvider(SmtpConfig(host="127.0.0.1", port=port))})
    _drain(worker)
    worker.close()
    by_address = {m.recipient: m for m in _rows(engine, tid)}
    assert by_address["pindah@example.id"].status == "failed"
    assert "550" in (by_address["pindah@example.id"].error or "")
    assert by_address["ada@example.id"].status == "sent" and len(handler.messages) == 1


def test_a_server_error_is_tried_again_later(engine: Engine, configured: Settings,
                                            fake: FakeWhatsApp) -> None:
    tid = _world(engine, 1)
    _queue(engine, tid, "whatsapp")
    fake.fail_next(1, 500)
    worker = _whatsapp_worker(engine, configured, fake)
    worker.send_batch("whatsapp")
    (message,) = _rows(engine, tid)
    assert message.status == "queued" and message.attempts == 1 and message.error
    assert worker.send_batch("whatsapp") == 0  # not yet: it waits its backoff
    worker.clock = lambda: utcnow() + timedelta(minutes=5)
    worker.send_batch("whatsapp")
    worker.close()
    (message,) = _rows(engine, tid)
    assert (message.status, message.attempts, message.error) == ("sent", 2, None)


def test_a_rate_limit_answer_pauses_the_channel_for_every_worker(
        engine: Engine, configured: Settings, fake: FakeWhatsApp) -> None:
    tid = _world(engine, 1)
    _queue(engine, tid, "whatsapp")
    fake.fail_next(1, 429, retry_after=30)
    worker = _whatsapp_worker(engine, configured, fake)
    before = utcnow()
    worker.send_batch("whatsapp")
    worker.close()
    (message,) = _rows(engine, tid)
    assert message.status == "queued"
    start = queue.reserve(engine, "whatsapp", 1, 0.0)
    assert start >= before + timedelta(seconds=29)
    with engine.begin() as conn:  # the other tests' workers need the channel back
        conn.execute(delete(queue._PACE))
        conn.execute(delete(Message).where(Message.training_id == tid))


def test_an_invalid_number_fails_for_good_with_the_reason(
        engine: Engine, configured: Settings, fake: FakeWhatsApp) -> None:
    tid = _world(engine, 2)
    _queue(engine, tid, "whatsapp")
    fake.permanent_for("6281266340000")
    worker = _whatsapp_worker(engine, configured, fake)
    _drain(worker)
    worker.close()
    failed = [m for m in _rows(engine, tid) if m.status == "failed"]
    assert len(failed) == 1 and failed[0].attempts == 1 and "131026" in (failed[0].error or "")


def test_a_message_that_keeps_failing_is_given_up(engine: Engine, configured: Settings,
                                                  fake: FakeWhatsApp) -> None:
    tid = _world(engine, 1)
    _queue(engine, tid, "whatsapp")
    fake.fail_next(10, 503)
    worker = _whatsapp_worker(engine, configured, fake)
    for minutes in range(0, 400, 100):
        worker.clock = lambda m=minutes: utcnow() + timedelta(minutes=m)
        worker.send_batch("whatsapp")
    worker.close()
    (message,) = _rows(engine, tid)
    assert (message.status, message.attempts) == ("failed", 3)
    assert "menyerah setelah 3 kali" in (message.error or "")


def test_a_dead_workers_claim_is_taken_over_after_its_lease(
        engine: Engine, configured: Settings, fake: FakeWhatsApp) -> None:
    tid = _world(engine, 3)
    _queue(engine, tid, "whatsapp")
    claimed = queue.claim(engine, "whatsapp", 10, lease_seconds=60)  # ... and it dies
    assert len(claimed) == 3
    worker = _whatsapp_worker(engine, configured, fake)
    assert worker.send_batch("whatsapp") == 0
    worker.clock = lambda: utcnow() + timedelta(seconds=61)
    _drain(worker)
    worker.close()
    assert [(m.status, m.attempts) for m in _rows(engine, tid)] == [("sent", 2)] * 3
    assert len(fake.sent) == 3


def test_two_workers_never_send_the_same_message(engine: Engine, configured: Settings,
                                                 fake: FakeWhatsApp) -> None:
    tid = _world(engine, 60)
    for key in ("satu", "dua"):
        _queue(engine, tid, "whatsapp", key)
    workers = [_whatsapp_worker(engine, configured, fake) for _ in range(2)]
    threads = [threading.Thread(target=_drain, args=(w, 100)) for w in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    for worker in workers:
        worker.close()
    rows = _rows(engine, tid)
    assert [m.status for m in rows] == ["sent"] * 120
    assert sorted(r.wamid for r in fake.sent) == sorted(m.provider_message_id for m in rows)
    assert len(fake.sent) == 120  # each message once at the provider


def test_who_stops_after_queueing_is_not_sent_to(engine: Engine, configured: Settings,
                                                 fake: FakeWhatsApp) -> None:
    tid = _world(engine, 2)
    _queue(engine, tid, "whatsapp")
    with Session(engine) as db:
        db.add(MessageOptOut(channel="whatsapp", address="+6281266340001", source="reply"))
        db.commit()
    worker = _whatsapp_worker(engine, configured, fake)
    _drain(worker)
    worker.close()
    by_phone = {m.recipient: m for m in _rows(engine, tid)}
    assert by_phone["+6281266340001"].status == "failed"
    assert by_phone["+6281266340001"].error == optout.STOPPED
    assert [r.body["to"] for r in fake.sent] == ["6281266340000"]
    with engine.begin() as conn:  # an opt-out holds for every training: end it here
        conn.execute(delete(MessageOptOut))


def test_the_pace_holds_across_workers(engine: Engine) -> None:
    now = utcnow()
    first = queue.reserve(engine, "email", 10, 5.0, now)
    second = queue.reserve(engine, "email", 10, 5.0, now)
    assert (second - first).total_seconds() == pytest.approx(2.0)
    with engine.begin() as conn:
        conn.execute(delete(queue._PACE))


def test_bimtek_worker_runs_as_its_own_process(engine: Engine, configured: Settings,
                                               fake: FakeWhatsApp) -> None:
    tid = _world(engine, 4)
    _queue(engine, tid, "whatsapp")
    env = {**os.environ, "BIMTEK_DATABASE_URL": engine.url.render_as_string(False),
           "BIMTEK_WHATSAPP_API_URL": fake.base_url, "BIMTEK_WHATSAPP_TOKEN": fake.token,
           "BIMTEK_WHATSAPP_PHONE_NUMBER_ID": fake.phone_number_id,
           "BIMTEK_WHATSAPP_RATE": "0"}
    process = subprocess.Popen([sys.executable, "-m", "service.cli", "worker"], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and \
                any(m.status != "sent" for m in _rows(engine, tid)):
            time.sleep(0.2)
        process.send_signal(signal.SIGTERM)
        output = process.communicate(timeout=30)[0].decode()
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, output
    assert [m.status for m in _rows(engine, tid)] == ["sent"] * 4
    assert "+62" not in output and "6281266" not in output  # no phone number in its log
