"""A test's personal links go out through the worker to real peers: the fake WhatsApp
Cloud API (a template with the link as its last body parameter) and an SMTP server
(aiosmtpd: the email names the test and carries the person's own link)."""

import time

from sqlalchemy.engine import Engine
from sqlmodel import Session

from service.models import Participant, Training
from service.models.base import pk
from service.schemas.assessments import AssessmentCreate
from service.services.assessments import bank, windows
from service.services.mailer import SmtpConfig
from service.services.messaging import outbox
from service.services.messaging.smtp import SmtpProvider
from service.services.messaging.worker import Worker
from service.settings import Settings
from tests import factories as f
from tests import test_message_worker as peers
from tests.fake_whatsapp import FakeWhatsApp
from tests.test_message_worker import BASE, Inbox, _drain, _rows, _whatsapp_worker

# The peers' fixtures: the worker's own committed database, the fake WhatsApp Cloud API,
# an SMTP server, and both channels configured.
engine, fake, inbox, configured = peers.engine, peers.fake, peers.inbox, peers.configured


def _world(engine: Engine, people: int, emails: tuple[str, ...] = ()) -> tuple[int, int,
                                                                                list[str]]:
    """A training with a pre-test open to its batch, committed: (training, test, tokens)."""
    with Session(engine, expire_on_commit=False) as db:
        org = f.organization(db, f"Dinas {time.monotonic_ns()}")
        t = f.training(db, org)
        b = f.batch(db, t, capacity=200)
        regs = f.register_many(db, t, b, people)
        for reg, address in zip(regs, emails, strict=False):
            person = db.get(Participant, reg.participant_id)
            assert person is not None
            person.email = address
        test = bank.create_assessment(db, t, AssessmentCreate.model_validate({
            "kind": "pretest", "title": "Pre-test Kader BKB", "questions": [
                {"text": "BKB adalah ...", "choices": ["Bina Keluarga Balita", "Lain"],
                 "answer": 0}]}))
        windows.set_open(db, test, pk(b), True)
        db.commit()
        return pk(t), pk(test), [r.ticket_token for r in regs]


def _queue(engine: Engine, training_id: int, channel: str, **more: object) -> int:
    with Session(engine, expire_on_commit=False) as db:
        t = db.get(Training, training_id)
        assert t is not None
        report = outbox.queue(db, t, outbox.SendRequest(channel=channel, **more), BASE)  # type: ignore[arg-type]
        db.commit()
        return report.queued


def test_a_tests_links_go_out_on_whatsapp_as_the_test_template(
        engine: Engine, configured: Settings, fake: FakeWhatsApp) -> None:
    tid, aid, tokens = _world(engine, 3)
    assert _queue(engine, tid, "whatsapp", kind="test", assessment_id=aid) == 3
    assert _queue(engine, tid, "whatsapp", kind="test", assessment_id=aid) == 0
    worker = _whatsapp_worker(engine, configured, fake)
    _drain(worker)
    worker.close()
    assert [m.status for m in _rows(engine, tid)] == ["sent"] * 3
    assert len(fake.sent) == 3
    template = fake.sent[0].body["template"]
    assert template["name"] == "bimtek_tes"
    params = [p["text"] for p in template["components"][0]["parameters"]]
    assert params[1] == "Pre-test Kader BKB"
    links = {p["text"] for r in fake.sent
             for p in r.body["template"]["components"][0]["parameters"][3:]}
    assert links == {f"{BASE}/t/{token}/tes/{aid}" for token in tokens}


def test_the_evaluation_link_goes_out_by_email(
        engine: Engine, configured: Settings, inbox: tuple[Inbox, int]) -> None:
    handler, port = inbox
    tid, _aid, tokens = _world(engine, 2, ("a@example.id", "b@example.id"))
    assert _queue(engine, tid, "email", kind="evaluation") == 2
    worker = Worker(engine, configured,
                    {"email": SmtpProvider(SmtpConfig(host="127.0.0.1", port=port))})
    _drain(worker)
    worker.close()
    assert len(handler.messages) == 2
    mail = next(m for m in handler.messages if m["To"].addresses[0].addr_spec == "a@example.id")
    assert str(mail["Subject"]).startswith("Evaluasi Pelatihan Kader Kampung KB")
    text = mail.get_body(("plain",)).get_content()
    assert f"{BASE}/t/{tokens[0]}/evaluasi" in text and "tanpa nama" in text
    assert f'href="{BASE}/t/{tokens[0]}/evaluasi"' in mail.get_body(("html",)).get_content()
