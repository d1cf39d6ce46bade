"""The message worker: sends what the outbox holds, and queues the reminders that fall due.

`bimtek worker` runs it as a process of its own (production: as many as you like on
PostgreSQL, see queue.py for how they share the work); `bimtek serve` runs one in a
thread of each app process when BIMTEK_WORKER_EMBEDDED is on (the embedded default, so
that `make run` needs nothing more).

A round, per channel: claim up to `worker_concurrency` due messages, wait for the
channel's pace, send them side by side (threads: a provider call is network I/O), and
record the results in one transaction. The only personal data it logs is none: counts.
"""

import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import datetime

from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from sqlmodel import Session

from service.db import writer_bind
from service.models.base import utcnow
from service.services.actions import reminders as action_reminders
from service.services.backups.schedule import BackupSchedule
from service.services.erasure import retention as erasure_retention
from service.services.housekeeping import shared_secret
from service.services.mailer import SmtpConfig
from service.services.messaging import compose, optout, queue, reminders
from service.services.messaging.providers import (
    Outgoing,
    PermanentFailure,
    Provider,
    TemporaryFailure,
)
from service.services.messaging.smtp import SmtpProvider
from service.services.messaging.whatsapp_cloud import CloudConfig, WhatsAppCloud
from service.settings import Settings

log = logging.getLogger(__name__)
POLL_SECONDS = 0.5  # how soon a queued message leaves when the worker is idle
SCHEDULE_SECONDS = 60.0  # how often reminder rules are looked at


def providers_from_settings(settings: Settings) -> dict[str, Provider]:
    found: dict[str, Provider] = {}
    cloud = CloudConfig.from_settings(settings)
    if cloud.enabled:
        found["whatsapp"] = WhatsAppCloud(cloud)
    smtp = SmtpConfig.from_settings(settings)
    if smtp.enabled:
        found["email"] = SmtpProvider(smtp)
    return found


class Worker:
    def __init__(self, engine: Engine, settings: Settings,
                 providers: dict[str, Provider] | None = None,
                 clock: Callable[[], datetime] = utcnow) -> None:
        self.engine = engine
        self.writer = writer_bind(engine)
        self.settings = settings
        self.providers = providers_from_settings(settings) if providers is None else providers
        self.clock = clock
        self.concurrency = max(1, settings.worker_concurrency)
        self._threads = ThreadPoolExecutor(self.concurrency, thread_name_prefix="send")
        self._scheduled_at = 0.0
        self._secret: str | None = None
        self.stopping = threading.Event()
        # Scheduled backups (services/backups/schedule.py): a look a minute, in a thread.
        self.backups = BackupSchedule(engine, settings, clock)

    # --- the loop ---------------------------------------------------------------------

    def run(self) -> None:
        """Until stop(): a round, and a short wait when there was nothing to do."""
        log.info("message worker started (channels: %s)", ", ".join(self.providers) or "none")
        while not self.stopping.is_set():
            try:
                busy = self.step()
            except (OperationalError, SQLAlchemyError) as exc:
                # The database is away (a restart): try again shortly, lose nothing.
                log.warning("message worker: database unavailable (%s)", type(exc).__name__)
                busy = False
            except Exception:  # noqa: BLE001 (a bug must not end the worker for good)
                log.exception("message worker: round failed; trying again")
                busy = False
            if not busy:
                self.stopping.wait(POLL_SECONDS)
        self.close()

    def stop(self) -> None:
        self.stopping.set()

    def close(self) -> None:
        self._threads.shutdown(wait=True)
        for provider in self.providers.values():
            provider.close()

    def step(self) -> bool:
        """One round: reminders when due, then a batch per channel. Whether anything was
        sent (so the loop goes again at once)."""
        if time.monotonic() - self._scheduled_at >= SCHEDULE_SECONDS:
            self.schedule()
        self.backups.tick()
        busy = False
        for channel in self.providers:
            if self.stopping.is_set():
                break
            busy = self.send_batch(channel) > 0 or busy
        return busy

    def schedule(self) -> int:
        """Queue the reminders whose hour has come; how many."""
        self._scheduled_at = time.monotonic()
        with Session(self.writer, expire_on_commit=False) as db:
            queued = reminders.queue_due(db, self.clock())
            # Overdue follow-up actions, for the offices that turned it on (once a day).
            queued += action_reminders.queue_daily(db, self.clock())
            db.commit()
        erasure_retention.run_in_worker(self.writer, self.clock())
        if queued:
            log.info("message worker: %d reminders queued", queued)
        return queued

    # --- one batch ----------------------------------------------------------------------

    def send_batch(self, channel: str) -> int:
        """Claim, pace, send and record up to `concurrency` messages; how many."""
        if not queue.any_due(self.engine, channel, self.clock()):
            return 0
        claimed = queue.claim(self.writer, channel, self.concurrency,
                              self.settings.worker_lease_seconds, self.clock())
        if not claimed:
            return 0
        stopped = self._stopped(channel, claimed)
        sendable = [c for c in claimed if c.outgoing.id not in stopped]
        results = [queue.Result(c.outgoing.id, c.attempts, error=optout.STOPPED,
                                permanent=True) for c in claimed if c.outgoing.id in stopped]
        if sendable and not self._wait_for_pace(channel, len(sendable)):
            queue.release(self.writer, [c.outgoing.id for c in sendable])
            queue.record(self.writer, results, self.settings.message_max_attempts)
            return len(results)
        provider = self.providers[channel]
        outgoing = [self._dressed(c) for c in sendable]
        sends = list(self._threads.map(lambda item: _send(provider, *item),
                                       zip(outgoing, [c.attempts for c in sendable],
                                           strict=True)))
        results += sends
        queue.record(self.writer, results, self.settings.message_max_attempts, self.clock(),
                     self.settings.message_backoff_seconds)
        waits = [r.retry_after for r in sends if r.retry_after]
        if waits:
            queue.pause(self.writer, channel, max(waits), self.clock())
        failed = sum(1 for r in results if r.error)
        log.debug("message worker: %s %d sent, %d failed or deferred", channel,
                 len(results) - failed, failed)
        return len(results)

    def _stopped(self, channel: str, claimed: list[queue.Claimed]) -> set[int]:
        """Claimed messages whose recipient asked to stop since they were queued."""
        with Session(self.engine) as db:
            gone = optout.opted_out(db, channel, [c.outgoing.recipient for c in claimed])
        return {c.outgoing.id for c in claimed if c.outgoing.recipient in gone}

    def _wait_for_pace(self, channel: str, count: int) -> bool:
        rate = float(getattr(self.settings, f"{channel}_rate", 0.0))
        start = queue.reserve(self.writer, channel, count, rate, self.clock())
        delay = (start - self.clock()).total_seconds()
        if delay > 0:
            return not self.stopping.wait(delay)
        return True

    def _dressed(self, claimed: queue.Claimed) -> Outgoing:
        """An email gets its stop link (it names the row, so it is made now)."""
        message = claimed.outgoing
        if message.channel != "email":
            return message
        if self._secret is None:
            with Session(self.writer) as db:
                self._secret = shared_secret(db, optout.KEY_NAME)
                db.commit()
        url = optout.link(claimed.base_url, self._secret, message.id)
        text, html = compose.stop_footer(message.body, message.html, url)
        return replace(message, body=text, html=html, unsubscribe_url=url)


def _send(provider: Provider, message: Outgoing, attempts: int) -> queue.Result:
    try:
        provider_id = provider.send(message)
    except PermanentFailure as exc:
        return queue.Result(message.id, attempts, error=exc.reason, permanent=True)
    except TemporaryFailure as exc:
        return queue.Result(message.id, attempts, error=exc.reason,
                            retry_after=exc.retry_after)
    except Exception as exc:  # noqa: BLE001 (a provider's bug: try again later, and say so)
        log.exception("message worker: provider %s failed", provider.channel)
        return queue.Result(message.id, attempts, error=f"{type(exc).__name__}")
    return queue.Result(message.id, attempts, provider_id=provider_id)


def start_in_thread(engine: Engine, settings: Settings) -> Worker:
    """The embedded worker (bimtek serve): a daemon thread; stop() it at shutdown."""
    worker = Worker(engine, settings)
    threading.Thread(target=worker.run, name="message-worker", daemon=True).start()
    return worker
