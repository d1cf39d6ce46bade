"""Messages in bulk: 10,000 WhatsApp messages through the outbox to the fake Cloud API.

On PostgreSQL (skipped without one), over 10,000 confirmed registrations with distinct
phones (bench/checkin_data.py), with `bimtek worker` processes and the fake Cloud API of
the test suite (tests/fake_whatsapp.py, in this process), printing:

* the reference: what the fake provider answers alone, from 8 threads of one client
  (the worker's rate is a share of that, measured in the same run);
* 10,000 messages queued (one service call, as the API's POST does) and sent, with 1 and
  with 2 worker processes, the send rate unlimited: queueing time, the worker's rate,
  and the time from "send" to the last one sent. Target: at least 200 messages/s;
* kill -9 of a worker halfway through 10,000, then a new worker: messages lost (must be
  0) and messages the provider saw twice (at most the worker's concurrency: only those
  in flight at the kill);
* the provider failing 30% of requests (500, and some 429 with Retry-After): every
  message ends sent or failed for good, none stuck, none sent twice.

Knobs: BENCH_MESSAGES=10000, BENCH_MESSAGES_FAULTS=1000.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
from sqlalchemy import create_engine, func, select
from sqlalchemy.engine import Engine
from sqlmodel import Session

from bench import checkin_data
from service.models import Message, Registration, Training
from service.services.messaging import outbox
from service.settings import get_settings
from tests.dbutil import fresh_database, pg_available
from tests.fake_whatsapp import FakeWhatsApp
from tests.live import REPO, bimtek_command

MESSAGES = int(os.environ.get("BENCH_MESSAGES", "10000"))
FAULT_MESSAGES = int(os.environ.get("BENCH_MESSAGES_FAULTS", "1000"))
CONCURRENCY = 8
TARGET_RATE = 200.0
BASE = "https://bimtek.example"


def reference_rate(fake: FakeWhatsApp, seconds: float = 3.0) -> float:
    """Requests/s the fake answers alone: 8 threads sending template messages."""
    body = {"messaging_product": "whatsapp", "to": "6281200000000", "type": "template",
            "template": {"name": "bimtek_pengingat", "language": {"code": "id"}}}
    url = f"{fake.base_url}/{fake.phone_number_id}/messages"
    done = Counter[int]()
    stop = time.monotonic() + seconds

    def loop(n: int) -> None:
        with httpx.Client(headers={"Authorization": f"Bearer {fake.token}"}) as client:
            while time.monotonic() < stop:
                client.post(url, json=body)
                done[n] += 1

    threads = [threading.Thread(target=loop, args=(n,)) for n in range(CONCURRENCY)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    rate = sum(done.values()) / (time.monotonic() - started)
    fake.reset()
    return rate


@contextmanager
def workers(url: str, fake: FakeWhatsApp, count: int, log: Path
            ) -> Iterator[list[subprocess.Popen[bytes]]]:
    env = {**os.environ, "BIMTEK_DATABASE_URL": url, "BIMTEK_WHATSAPP_API_URL": fake.base_url,
           "BIMTEK_WHATSAPP_TOKEN": fake.token,
           "BIMTEK_WHATSAPP_PHONE_NUMBER_ID": fake.phone_number_id,
           "BIMTEK_WHATSAPP_RATE": "0", "BIMTEK_WORKER_CONCURRENCY": str(CONCURRENCY),
           # A killed worker's claim is taken over after 5 s (120 s by default).
           "BIMTEK_WORKER_LEASE_SECONDS": "5", "BIMTEK_MESSAGE_BACKOFF_SECONDS": "0.2"}
    with log.open("ab") as out:
        procs = [subprocess.Popen([*bimtek_command(), "worker"], env=env, cwd=REPO,
                                  stdout=out, stderr=subprocess.STDOUT)
                 for _ in range(count)]
    try:
        _wait_started(log, count)
        yield procs
    finally:
        for p in procs:
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
        for p in procs:
            try:
                p.wait(timeout=30)
            except subprocess.TimeoutExpired:
                p.kill()


def _wait_started(log: Path, count: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if log.read_text(errors="replace").count("message worker started") >= count:
            return
        time.sleep(0.1)
    raise RuntimeError(f"workers did not start; see {log}")


def queue_all(engine: Engine, training_id: int, key: str, limit: int = MESSAGES
              ) -> tuple[int, float]:
    """Queue a reminder to the first `limit` registrations; (queued, seconds)."""
    with engine.connect() as conn:
        ids = list(conn.execute(select(Registration.id).where(
            Registration.training_id == training_id).order_by(Registration.id)
            .limit(limit)).scalars())
    started = time.perf_counter()
    with Session(engine, expire_on_commit=False) as db:
        training = db.get(Training, training_id)
        assert training is not None
        report = outbox.queue(db, training, outbox.SendRequest(
            "reminder", "whatsapp", idempotency_key=key), BASE, registration_ids=ids)
        db.commit()
    return report.queued, time.perf_counter() - started


def states(engine: Engine, key: str) -> Counter[str]:
    with engine.connect() as conn:
        rows = conn.execute(select(Message.status, func.count())
                            .where(Message.idempotency_key.startswith(f"{key}:"))
                            .group_by(Message.status)).all()
    return Counter({status: int(n) for status, n in rows})


def wait_done(engine: Engine, key: str, total: int, timeout: float = 900,
              until_sent: int | None = None) -> float:
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        found = states(engine, key)
        if until_sent is not None and found["sent"] >= until_sent:
            break
        if found["sent"] + found["failed"] >= total:
            break
        time.sleep(0.05)
    return time.monotonic() - started


def throughput(url: str, engine: Engine, fake: FakeWhatsApp, training_id: int, count: int,
               log: Path) -> None:
    key = f"rate{count}"
    fake.reset()
    with workers(url, fake, count, log):
        queued, queueing = queue_all(engine, training_id, key)
        elapsed = wait_done(engine, key, queued)
    total = queueing + elapsed
    rate = queued / elapsed
    print(f"  {count} worker process(es): {queued:,} queued in {queueing:.1f} s; sent at "
          f"{rate:,.0f} messages/s; from 'send' to all sent {total:.1f} s "
          f"(target >= {TARGET_RATE:.0f}/s: {'met' if rate >= TARGET_RATE else 'NOT met'})",
          flush=True)


def kill_halfway(url: str, engine: Engine, fake: FakeWhatsApp, training_id: int,
                 log: Path) -> None:
    key = "kill"
    fake.reset()
    with workers(url, fake, 1, log) as procs:
        queued, _q = queue_all(engine, training_id, key)
        wait_done(engine, key, queued, until_sent=queued // 2)
        # Kill it mid-batch, with messages claimed (and likely at the provider).
        deadline = time.monotonic() + 5
        while states(engine, key)["sending"] == 0 and time.monotonic() < deadline:
            pass
        procs[0].send_signal(signal.SIGKILL)
        procs[0].wait()
        at_kill = states(engine, key)
    with workers(url, fake, 1, log):
        wait_done(engine, key, queued)
    final = states(engine, key)
    per_phone = Counter(r.body.get("to") for r in fake.sent)
    repeats = sum(n - 1 for n in per_phone.values() if n > 1)
    lost = queued - final["sent"] - final["failed"]
    print(f"  kill -9 at {at_kill['sent']:,} of {queued:,} sent ({at_kill['sending']} in "
          f"flight): lost {lost} (must be 0); seen twice by the provider {repeats} "
          f"(at most the worker's concurrency, {CONCURRENCY})", flush=True)


def faults(url: str, engine: Engine, fake: FakeWhatsApp, training_id: int, log: Path) -> None:
    key = "faults"
    fake.reset()
    fake.fail_ratio(0.3, ((500, 0.9), (429, 0.1)), seed=13)
    with workers(url, fake, 2, log):
        queued, _q = queue_all(engine, training_id, key, FAULT_MESSAGES)
        elapsed = wait_done(engine, key, queued)
    final = states(engine, key)
    per_phone = Counter(r.body.get("to") for r in fake.sent)
    twice = sum(1 for n in per_phone.values() if n > 1)
    answers = Counter(r.status for r in fake.requests)
    stuck = queued - final["sent"] - final["failed"]
    print(f"  provider failing 30% ({answers[500]} x 500, {answers[429]} x 429 of "
          f"{sum(answers.values())} requests): {final['sent']} sent, {final['failed']} failed "
          f"for good, {stuck} stuck (must be 0), {twice} sent twice (must be 0), "
          f"in {elapsed:.1f} s", flush=True)
    fake.reset()


def main() -> int:
    if not pg_available():
        print("bench_messages: PostgreSQL does not answer; skipped")
        return 0
    print(f"Messages: {MESSAGES:,} WhatsApp messages through the outbox on PostgreSQL, "
          f"to the fake Cloud API", flush=True)
    log = Path(tempfile.mkdtemp(prefix="bench-messages-")) / "workers.log"
    with fresh_database("postgresql", "msgbench") as url, FakeWhatsApp() as fake:
        data = checkin_data.build(url, log.parent / "codes.txt",
                                  registrations=max(MESSAGES, FAULT_MESSAGES))
        engine = create_engine(url)
        settings = get_settings()
        for name, value in {"whatsapp_api_url": fake.base_url, "whatsapp_token": fake.token,
                            "whatsapp_phone_number_id": fake.phone_number_id}.items():
            setattr(settings, name, value)
        print(f"  reference: the fake provider alone answers "
              f"{reference_rate(fake):,.0f} requests/s from {CONCURRENCY} threads", flush=True)
        for count in (1, 2):
            throughput(url, engine, fake, data.training_id, count, log)
        kill_halfway(url, engine, fake, data.training_id, log)
        faults(url, engine, fake, data.training_id, log)
        engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
