"""The public self-registration form's guards, as services: one stamp makes one
registration, and a duplicate names nobody."""

import time
from datetime import date, timedelta

import pytest
from sqlmodel import Session

from service.errors import DomainError
from service.models import Organization, Participant, Training
from service.services import self_registration
from service.services.registrations import NotTheSamePerson
from service.services.self_registration import (
    AlreadyRegisteredHere,
    FormAlreadyUsed,
    SelfRegistrationSettings,
    SpamSuspected,
)
from tests import factories


def _open_training(db: Session) -> Training:
    org = factories.organization(db)
    t = factories.training(db, org, start=date.today() + timedelta(days=20), days=2)
    factories.batch(db, t, capacity=10)
    self_registration.configure(db, t, SelfRegistrationSettings(
        enabled=True, opens_at=None, closes_at=None, batch_choice=False))
    return t


def _stamp(db: Session) -> str:
    return self_registration.form_stamp(db, now=time.time() - 30)


def test_a_stamp_makes_one_registration(db: Session) -> None:
    t = _open_training(db)
    stamp = _stamp(db)
    self_registration.check_form(db, stamp, "")
    self_registration.self_register(db, t, factories.kader(0), None)
    with pytest.raises(FormAlreadyUsed):
        self_registration.check_form(db, stamp, "")


def test_a_stamp_is_used_up_only_with_its_registration(db: Session) -> None:
    t = _open_training(db)
    self_registration.self_register(db, t, factories.kader(0), None)
    stamp = _stamp(db)
    with pytest.raises(AlreadyRegisteredHere), db.begin_nested():
        self_registration.check_form(db, stamp, "")
        self_registration.self_register(db, t, factories.kader(0), None)
    # Refused and rolled back: the person corrects the form and sends the same stamp.
    self_registration.check_form(db, stamp, "")


def test_every_form_gets_its_own_stamp(db: Session) -> None:
    now = time.time() - 30
    assert self_registration.form_stamp(db, now=now) != self_registration.form_stamp(db, now=now)


def test_a_changed_or_old_style_stamp_is_refused(db: Session) -> None:
    issued, nonce, signature = _stamp(db).split(".")
    for forged in (f"{issued}.{signature}",  # the shape before nonces
                   f"{issued}.{'A' * 16}.{signature}",
                   f"{int(issued) - 60}.{nonce}.{signature}",
                   f"{issued}.{nonce}.{signature}.x", f"{issued}.{nonce}.é{signature[1:]}",
                   f"²{issued[1:]}.{nonce}.{signature}"):
        with pytest.raises(SpamSuspected):
            self_registration.check_form(db, forged, "")


def test_a_duplicate_on_the_public_form_names_nobody(db: Session) -> None:
    t = _open_training(db)
    first = factories.kader(0)
    self_registration.self_register(db, t, first, None)
    for again, code in (({**factories.kader(1), "nik": first["nik"]}, "identity_mismatch"),
                        ({"name": first["name"].upper(), "phone": first["phone"]},
                         "already_registered")):
        with pytest.raises(DomainError) as refused, db.begin_nested():
            self_registration.self_register(db, t, again, None)
        assert first["name"] not in refused.value.text()
        assert (refused.value.code, refused.value.status) == (code, 409)


def test_someone_elses_nik_from_another_training_is_not_theirs(db: Session) -> None:
    t = _open_training(db)
    known = factories.kader(0)
    other = factories.training(db, db.get(Organization, t.organization_id), title="Orientasi")
    factories.register(db, other, None, name=known["name"], nik=known["nik"])
    stranger = {**factories.kader(1), "nik": known["nik"]}
    with pytest.raises(NotTheSamePerson) as refused, db.begin_nested():
        self_registration.self_register(db, t, stranger, None)
    assert known["name"] not in refused.value.text()
    # The person themself, typing their name as on file, registers as the same person.
    reg = self_registration.self_register(db, t, {**known, "name": known["name"].lower()}, None)
    assert db.get(Participant, reg.participant_id).name == known["name"]
