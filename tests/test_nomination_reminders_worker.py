"""A lagging unit's reminder goes out through the worker to the fake WhatsApp Cloud API:
the nomination template, to the focal point's number, with a link that opens the unit's
own nomination page."""

import time
from datetime import date, timedelta

from sqlalchemy.engine import Engine
from sqlmodel import Session

from service.models import OrgUnit, Training
from service.models.base import pk
from service.services.nominations import links, nominees, reminders
from service.services.nominations import units as training_units
from service.settings import Settings
from tests import factories as f
from tests import test_message_worker as peers
from tests.fake_whatsapp import FakeWhatsApp
from tests.test_message_worker import BASE, _drain, _rows, _whatsapp_worker

engine, fake, configured = peers.engine, peers.fake, peers.configured


def _world(engine: Engine) -> int:
    """A training two weeks ahead with one full and one lagging unit, committed."""
    with Session(engine, expire_on_commit=False) as db:
        org = f.organization(db, f"Perwakilan BKKBN {time.monotonic_ns()}")
        t = f.training(db, org, start=date.today() + timedelta(days=14))
        deadline = date.today() + timedelta(days=7)
        for name, phone, named in (("Kabupaten Lahat", "+6281266340011", 1),
                                   ("Kota Pagar Alam", "+6281266340022", 2)):
            tu = training_units.add_unit(db, t, name=name, quota=2, deadline=deadline)
            unit = db.get(OrgUnit, tu.unit_id)
            assert unit is not None
            unit.focal_name, unit.focal_phone = "Pak Rudi", phone
            db.add(unit)
            for n in range(named):
                nominees.add(db, tu, {"name": f"Utusan {n + 1}"})
        db.commit()
        return pk(t)


def test_the_lagging_units_focal_point_gets_the_nomination_template(
        engine: Engine, configured: Settings, fake: FakeWhatsApp) -> None:
    tid = _world(engine)
    with Session(engine, expire_on_commit=False) as db:
        t = db.get(Training, tid)
        assert t is not None
        done = reminders.queue(db, t, BASE, channel="whatsapp", channels=("whatsapp",))
        db.commit()
    assert done.queued == 1
    worker = _whatsapp_worker(engine, configured, fake)
    _drain(worker)
    worker.close()
    assert [m.status for m in _rows(engine, tid)] == ["sent"]
    assert [r.body["to"] for r in fake.sent] == ["6281266340011"]
    template = fake.sent[0].body["template"]
    assert template["name"] == "bimtek_nominasi"
    params = [p["text"] for p in template["components"][0]["parameters"]]
    assert "Kabupaten Lahat" in params and "1 dari 2" in " ".join(params)
    link = params[-1]
    assert link.startswith(f"{BASE}/nominasi/")
    with Session(engine) as db:
        assert training_units.org_unit(db, links.resolve(db, link.rsplit("/", 1)[1])).name \
            == "Kabupaten Lahat"
