"""The demo's learning links: the Padang committee sent each cadre their own link to the
pre-test (to the batches it was open to) and, at the end of each angkatan, the link to the
evaluation forms, by WhatsApp; the messages page lists them beside the tickets and
reminders, with how they went."""

import random
from datetime import UTC, datetime

from sqlmodel import Session

from service.errors import DomainError
from service.models import Batch, Training
from service.models.base import pk
from service.services.assessments import bank
from service.services.messaging import outbox
from service.services.messaging.demo import BASE, _settle


def seed_learning_links(db: Session, training: Training, batches: list[Batch],
                        user_id: int | None, seed: int = 2018) -> int:
    """Queue and settle the links; how many messages."""
    rng = random.Random(seed)
    both = ("whatsapp", "email")
    sent = 0
    pretest = bank.latest(db, pk(training), "pretest")
    if pretest is not None:
        try:
            sent += outbox.queue(db, training, outbox.SendRequest(
                "test", "whatsapp", assessment_id=pk(pretest)), BASE, user_id,
                channels=both).queued
        except DomainError:
            pass  # the pre-test is closed to every batch: no link to send
        first = min(b.start_date for b in batches)
        _settle(db, training, "test", datetime(first.year, first.month, first.day, 1,
                                               tzinfo=UTC), rng)
    for batch in batches:
        end = batch.end_date
        sent += outbox.queue(db, training, outbox.SendRequest(
            "evaluation", "whatsapp", pk(batch)), BASE, user_id, channels=both).queued
        _settle(db, training, "evaluation", datetime(end.year, end.month, end.day, 8,
                                                     tzinfo=UTC), rng)
    return sent
