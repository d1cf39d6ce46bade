"""Nominations by unit (issue 16): a training's units, their focal points' links, the
delegates they name up to a quota by a deadline, the surat tugas, reminders to the units
that lag, and accepting delegates into the training."""

import io
from datetime import UTC, date, datetime, timedelta

import pytest
from PIL import Image
from sqlmodel import Session, col, select

from service.errors import FieldError, InvalidInput
from service.i18n import use_locale
from service.models import Message, Nominee, OrgUnit, Registration, TrainingUnit
from service.models.base import as_utc, pk
from service.services import registrations
from service.services.meetings.uploads import FileTooLarge
from service.services.messaging import optout
from service.services.messaging.outbox import ChannelNotConfigured
from service.services.nominations import (
    accept,
    links,
    nominees,
    reminders,
    status,
    surat_tugas,
)
from service.services.nominations import units as training_units
from tests import factories
from tests.nominations_world import AFTER, BEFORE, NIPS, World, delegate, second_unit, world
from tests.presentation_files import pdf
from tests.report_photos_util import phone_jpeg

BASE = "https://bimtek.test"
BOTH = ("whatsapp", "email")


@pytest.fixture
def w(db: Session) -> World:
    return world(db)


def _name(db: Session, w: World, count: int, tu: TrainingUnit | None = None) -> list[Nominee]:
    return [nominees.add(db, tu or w.tu, delegate(n), now=BEFORE) for n in range(count)]


# --- a training's units --------------------------------------------------------------------

def test_a_unit_added_by_name_joins_the_register_as_a_kabupaten_kota(db: Session,
                                                                     w: World) -> None:
    assert (w.unit.name, w.unit.kind) == ("Kabupaten Lahat", "kabupaten_kota")
    assert w.unit.organization_id == w.org.id


def test_a_unit_from_the_register_is_added_by_its_id(db: Session, w: World) -> None:
    unit = OrgUnit(organization_id=pk(w.org), name="Dinas PPKB Kota Palembang", kind="opd")
    db.add(unit)
    db.flush()
    tu = training_units.add_unit(db, w.training, unit_id=pk(unit), quota=4)
    assert tu.unit_id == unit.id and tu.deadline is None


def test_the_same_unit_twice_in_a_training_is_a_conflict(db: Session, w: World) -> None:
    with pytest.raises(training_units.UnitAlreadyInvited) as caught:
        training_units.add_unit(db, w.training, name="  Kabupaten   Lahat ", quota=2)
    assert caught.value.status == 409


@pytest.mark.parametrize("quota", [0, 10_001])
def test_a_quota_outside_1_to_10000_is_refused(db: Session, w: World, quota: int) -> None:
    with pytest.raises(FieldError) as caught:
        training_units.add_unit(db, w.training, name="Kota Lubuklinggau", quota=quota)
    assert caught.value.field == "quota"


def test_a_deadline_date_means_the_end_of_that_day_where_the_training_is(w: World) -> None:
    assert as_utc(w.tu.deadline) == datetime(2022, 8, 5, 16, 59, 59, tzinfo=UTC)
    with use_locale("id"):
        text = training_units.deadline_text(w.training, w.tu.deadline)
    assert text == "Jumat, 5 Agustus 2022 pukul 23.59 WIB"


def test_a_deadline_with_an_offset_keeps_its_moment(db: Session, w: World) -> None:
    moment = datetime(2022, 8, 5, 12, 0, tzinfo=UTC)
    training_units.update_unit(db, w.training, w.tu, deadline=moment.astimezone(
        __import__("zoneinfo").ZoneInfo("Asia/Makassar")))
    assert as_utc(w.tu.deadline) == moment


def test_removing_a_unit_takes_its_delegates_and_links(db: Session, w: World) -> None:
    _name(db, w, 2)
    training_units.remove_unit(db, w.tu)
    assert db.exec(select(Nominee)).all() == []
    with pytest.raises(links.NominationLinkNotFound):
        links.resolve(db, w.raw, BEFORE)


def test_a_unit_with_an_accepted_delegate_cannot_be_removed(db: Session, w: World) -> None:
    _name(db, w, 1)
    accept.accept(db, w.training, w.tu)
    with pytest.raises(training_units.UnitHasAccepted) as caught:
        training_units.remove_unit(db, w.tu)
    assert caught.value.status == 409


def test_another_organizations_training_unit_is_not_found(db: Session, w: World) -> None:
    other = factories.organization(db, "DP3AP2KB Kota Padang")
    with pytest.raises(training_units.TrainingUnitNotFound):
        training_units.get_training_unit(db, pk(other), pk(w.tu))


# --- links -----------------------------------------------------------------------------------

def test_a_link_opens_its_unit(db: Session, w: World) -> None:
    assert links.resolve(db, w.raw, BEFORE).id == w.tu.id
    assert links.url("https://bimtek.test/", w.raw) == f"https://bimtek.test/nominasi/{w.raw}"


def test_a_new_link_revokes_the_old_one(db: Session, w: World) -> None:
    fresh, _ = links.issue(db, w.tu, w.user, now=BEFORE)
    assert links.resolve(db, fresh, BEFORE).id == w.tu.id
    with pytest.raises(links.NominationLinkNotFound):
        links.resolve(db, w.raw, BEFORE)


def test_a_letters_link_leaves_the_old_ones_working(db: Session, w: World) -> None:
    letter, _ = links.issue(db, w.tu, w.user, revoke_others=False, now=BEFORE)
    assert links.resolve(db, letter, BEFORE).id == links.resolve(db, w.raw, BEFORE).id


def test_a_revoked_link_opens_nothing(db: Session, w: World) -> None:
    assert links.revoke(db, w.tu) == 1
    with pytest.raises(links.NominationLinkNotFound) as caught:
        links.resolve(db, w.raw, BEFORE)
    assert (caught.value.status, caught.value.code) == (404, "nomination_link_not_found")


def test_a_link_expires_30_days_after_the_training(db: Session, w: World) -> None:
    _raw, link = links.issue(db, w.tu, w.user, now=BEFORE)
    # The training ends on 26 August 2022: it works through 25 September, WIB.
    assert as_utc(link.expires_at) == datetime(2022, 9, 25, 17, 0, tzinfo=UTC)
    links.resolve(db, _raw, datetime(2022, 9, 25, 16, 59, tzinfo=UTC))
    with pytest.raises(links.NominationLinkNotFound):
        links.resolve(db, _raw, datetime(2022, 9, 25, 17, 0, tzinfo=UTC))


@pytest.mark.parametrize("raw", ["abc", "x" * 65, "../../etc/passwd", "A" * 32])
def test_a_mistyped_link_opens_nothing(db: Session, w: World, raw: str) -> None:
    with pytest.raises(links.NominationLinkNotFound):
        links.resolve(db, raw, BEFORE)


# --- delegates ---------------------------------------------------------------------------

def test_a_delegate_is_kept_clean(db: Session, w: World) -> None:
    n = nominees.add(db, w.tu, delegate(0, name="  Drs.  H. Ahmad   Yani ",
                                        nip="19850315 201001 2 001", phone="0812-7000-0001"),
                     now=BEFORE)
    assert (n.name, n.nip, n.phone) == ("Drs. H. Ahmad Yani", NIPS[0], "+6281270000001")
    assert n.via_link and n.registration_id is None


@pytest.mark.parametrize(("field", "value"), [("name", ""), ("nip", "12345"),
                                              ("phone", "12"), ("email", "bukan-email")])
def test_bad_delegate_fields_are_refused_and_nothing_is_kept(db: Session, w: World,
                                                             field: str, value: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        nominees.add(db, w.tu, delegate(0, **{field: value}), now=BEFORE)
    assert caught.value.errors[0]["field"] == field
    assert nominees.list_nominees(db, w.tu) == []


def test_names_are_taken_up_to_the_quota(db: Session, w: World) -> None:
    _name(db, w, 3)
    with pytest.raises(nominees.QuotaFull) as caught:
        nominees.add(db, w.tu, delegate(3), now=BEFORE)
    assert (caught.value.status, caught.value.code) == (409, "nomination_quota_full")
    assert nominees.named_count(db, w.tu) == 3


def test_a_raised_quota_takes_more_names(db: Session, w: World) -> None:
    _name(db, w, 3)
    training_units.update_unit(db, w.training, w.tu, quota=4)
    nominees.add(db, w.tu, delegate(3), now=BEFORE)
    assert nominees.named_count(db, w.tu) == 4


def test_no_names_are_taken_after_the_deadline(db: Session, w: World) -> None:
    with pytest.raises(nominees.NominationClosed) as caught:
        nominees.add(db, w.tu, delegate(0), now=AFTER)
    assert (caught.value.status, caught.value.code) == (409, "nomination_closed")


def test_names_are_taken_until_the_deadlines_last_second(db: Session, w: World) -> None:
    nominees.add(db, w.tu, delegate(0), now=datetime(2022, 8, 5, 16, 59, 59, tzinfo=UTC))
    with pytest.raises(nominees.NominationClosed):
        nominees.add(db, w.tu, delegate(1), now=datetime(2022, 8, 5, 17, 0, 0, tzinfo=UTC))


def test_after_the_deadline_a_delegate_can_be_neither_changed_nor_removed(
        db: Session, w: World) -> None:
    n = _name(db, w, 1)[0]
    with pytest.raises(nominees.NominationClosed):
        nominees.update(db, w.tu, pk(n), delegate(0, name="Baru"), now=AFTER)
    with pytest.raises(nominees.NominationClosed):
        nominees.remove(db, w.tu, pk(n), now=AFTER)


def test_a_delegate_is_corrected_and_removed(db: Session, w: World) -> None:
    first, second = _name(db, w, 2)
    nominees.update(db, w.tu, pk(first), delegate(0, position="Sekretaris Dinas"), now=BEFORE)
    nominees.remove(db, w.tu, pk(second), now=BEFORE)
    assert [(n.id, n.position) for n in nominees.list_nominees(db, w.tu)] == [
        (first.id, "Sekretaris Dinas")]


def test_another_units_delegate_is_unreachable_through_a_link(db: Session, w: World) -> None:
    other_tu, _raw = second_unit(db, w)
    theirs = nominees.add(db, other_tu, delegate(4), now=BEFORE)
    mine = links.resolve(db, w.raw, BEFORE)
    for attempt in (lambda: nominees.get(db, mine, pk(theirs)),
                    lambda: nominees.update(db, mine, pk(theirs), delegate(0), now=BEFORE),
                    lambda: nominees.remove(db, mine, pk(theirs), now=BEFORE)):
        with pytest.raises(nominees.NomineeNotFound) as caught:
            attempt()
        assert caught.value.status == 404
    assert db.get(Nominee, pk(theirs)) is not None and theirs.name == delegate(4)["name"]


def test_an_accepted_delegate_is_no_longer_the_units_to_change(db: Session, w: World) -> None:
    n = _name(db, w, 1)[0]
    accept.accept(db, w.training, w.tu)
    with pytest.raises(nominees.NomineeAccepted):
        nominees.remove(db, w.tu, pk(n), now=BEFORE)


# --- accepting into the training ----------------------------------------------------------

def test_accepting_registers_each_delegate_with_the_unit_in_a_batch(db: Session,
                                                                    w: World) -> None:
    named = _name(db, w, 2)
    assert accept.accept(db, w.training, w.tu) == 2
    regs = db.exec(select(Registration).where(Registration.training_id == w.training.id)
                   .order_by(col(Registration.id))).all()
    assert [(r.unit_id, r.status, r.batch_id, r.source) for r in regs] == [
        (w.unit.id, "confirmed", w.batch.id, "nomination")] * 2
    assert [n.registration_id for n in named] == [r.id for r in regs]


def test_accepting_twice_does_nothing_more(db: Session, w: World) -> None:
    _name(db, w, 2)
    accept.accept(db, w.training, w.tu)
    assert accept.accept(db, w.training, w.tu) == 0
    assert len(db.exec(select(Registration)).all()) == 2


def test_accepting_one_delegate_leaves_the_others(db: Session, w: World) -> None:
    first, second = _name(db, w, 2)
    assert accept.accept(db, w.training, w.tu, [pk(second)]) == 1
    assert (first.registration_id, second.registration_id is not None) == (None, True)


def test_accepting_another_units_delegate_is_not_found(db: Session, w: World) -> None:
    other_tu, _raw = second_unit(db, w)
    theirs = nominees.add(db, other_tu, delegate(4), now=BEFORE)
    with pytest.raises(nominees.NomineeNotFound):
        accept.accept(db, w.training, w.tu, [pk(theirs)])
    assert theirs.registration_id is None


def test_a_delegate_the_office_knows_by_nip_is_the_same_person(db: Session, w: World) -> None:
    earlier = factories.training(db, w.org, title="Bimtek 2021", start=date(2021, 5, 3),
                                 days=2, categories=())
    known = registrations.register(db, earlier, {"name": "Hj. Nurhayati", "nip": NIPS[0]})
    _name(db, w, 1)
    accept.accept(db, w.training, w.tu)
    reg = db.exec(select(Registration).where(Registration.training_id == w.training.id)).one()
    assert reg.participant_id == known.participant_id


def test_a_delegate_already_registered_keeps_that_registration(db: Session, w: World) -> None:
    before = registrations.register(db, w.training, {"name": "Siti Aminah", "nip": NIPS[1]})
    nominees.add(db, w.tu, delegate(1, name="Siti Aminah"), now=BEFORE)
    accept.accept(db, w.training, w.tu)
    regs = db.exec(select(Registration).where(Registration.training_id == w.training.id)).all()
    assert [r.id for r in regs] == [before.id] and regs[0].unit_id == w.unit.id


def test_accepted_delegates_beyond_the_seats_wait(db: Session) -> None:
    w = world(db, quota=3, capacity=2)
    _name(db, w, 3)
    accept.accept(db, w.training, w.tu)
    statuses = sorted(r.status for r in db.exec(select(Registration)).all())
    assert statuses == ["confirmed", "confirmed", "waitlisted"]


# --- the surat tugas ---------------------------------------------------------------------

def test_a_pdf_surat_tugas_is_kept_as_sent(db: Session, w: World) -> None:
    data = pdf("Surat Tugas Kabupaten Lahat")
    surat_tugas.attach(db, w.tu, data, "C:\\Scan\\ST Lahat.pdf", now=BEFORE)
    letter = surat_tugas.get(db, w.tu)
    assert (letter.data, letter.media_type, letter.name) == (data, "application/pdf",
                                                             "ST Lahat.pdf")


def test_a_photo_of_the_surat_tugas_is_cleaned_like_evidence(db: Session, w: World) -> None:
    surat_tugas.attach(db, w.tu, phone_jpeg(), "foto.jpeg", now=BEFORE)
    letter = surat_tugas.get(db, w.tu)
    with Image.open(io.BytesIO(letter.data)) as img:
        assert img.format == "JPEG" and max(img.size) <= 1600
        assert not img.getexif()
    assert letter.name == "foto.jpg"


def test_a_new_surat_tugas_replaces_the_old(db: Session, w: World) -> None:
    surat_tugas.attach(db, w.tu, pdf("lama"), "lama.pdf", now=BEFORE)
    surat_tugas.attach(db, w.tu, pdf("baru"), "baru.pdf", now=BEFORE)
    assert surat_tugas.get(db, w.tu).name == "baru.pdf"


@pytest.mark.parametrize(("data", "code"), [
    (b"", "no_file"),
    (b"MZ\x90\x00 this is a program, renamed", "invalid_surat_tugas"),
    (b"%PDF-1.4 cut short", "invalid_surat_tugas"),
])
def test_an_empty_or_disguised_file_is_refused(db: Session, w: World, data: bytes,
                                               code: str) -> None:
    with pytest.raises(FieldError) as caught:
        surat_tugas.attach(db, w.tu, data, "surat.pdf", now=BEFORE)
    assert (caught.value.status, caught.value.code) == (422, code)
    with pytest.raises(surat_tugas.NoSuratTugas):
        surat_tugas.get(db, w.tu)


def test_a_surat_tugas_too_large_is_refused(db: Session, w: World) -> None:
    big = b"%PDF-1.4\n" + b"0" * surat_tugas.MAX_BYTES + b"\n%%EOF\n"
    with pytest.raises(FileTooLarge) as caught:
        surat_tugas.attach(db, w.tu, big, "besar.pdf", now=BEFORE)
    assert caught.value.status == 413


def test_no_surat_tugas_after_the_deadline(db: Session, w: World) -> None:
    with pytest.raises(nominees.NominationClosed):
        surat_tugas.attach(db, w.tu, pdf(), "st.pdf", now=AFTER)


# --- the fill --------------------------------------------------------------------------------

def test_the_fill_counts_named_accepted_and_letters(db: Session, w: World) -> None:
    other_tu, _raw = second_unit(db, w, quota=2)
    _name(db, w, 3)
    _name(db, w, 1, other_tu)
    accept.accept(db, w.training, w.tu)
    surat_tugas.attach(db, w.tu, pdf(), "st.pdf", now=BEFORE)
    rows, totals = status.fill(db, w.training, BEFORE)
    assert [(r.unit.name, r.named, r.accepted, r.surat_tugas, r.lagging) for r in rows] == [
        ("Kabupaten Lahat", 3, 3, True, False), ("Kota Prabumulih", 1, 0, False, True)]
    assert (totals.units, totals.named, totals.quota, totals.accepted, totals.surat_tugas,
            totals.lagging) == (2, 4, 5, 3, 1, 1)


# --- reminders -----------------------------------------------------------------------------

def _contacts(db: Session, unit: OrgUnit) -> None:
    unit.focal_name, unit.focal_phone, unit.focal_email = ("Ibu Yuliana", "+6281270001111",
                                                           "ppkb@lahat.go.id")
    db.add(unit)
    db.flush()


def test_reminders_go_to_lagging_units_once_a_day(db: Session, w: World) -> None:
    _contacts(db, w.unit)
    full_tu, _raw = second_unit(db, w, quota=1)
    _contacts(db, training_units.org_unit(db, full_tu))
    _name(db, w, 1)
    _name(db, w, 1, full_tu)
    first = reminders.queue(db, w.training, BASE, channels=BOTH, now=BEFORE)
    again = reminders.queue(db, w.training, BASE, channels=BOTH, now=BEFORE)
    nextday = reminders.queue(db, w.training, BASE, channels=BOTH,
                              now=BEFORE + timedelta(days=1))
    assert (first.queued, again.queued, nextday.queued) == (2, 0, 2)
    sent = db.exec(select(Message).where(Message.kind == "nomination_reminder")
                   .order_by(col(Message.id))).all()
    assert {m.recipient for m in sent} == {"+6281270001111", "ppkb@lahat.go.id"}
    whatsapp = next(m for m in sent if m.channel == "whatsapp")
    assert "1 dari 3" in whatsapp.body and "Jumat, 5 Agustus 2022 pukul 23.59 WIB" in whatsapp.body
    assert whatsapp.template == "bimtek_nominasi"
    raw = whatsapp.body.split("/nominasi/")[1].split()[0]
    assert links.resolve(db, raw, BEFORE).id == w.tu.id
    # The committee's link still works: a reminder's link is one more.
    assert links.resolve(db, w.raw, BEFORE).id == w.tu.id


def test_no_reminders_after_the_deadline(db: Session, w: World) -> None:
    _contacts(db, w.unit)
    done = reminders.queue(db, w.training, BASE, channels=BOTH, now=AFTER)
    assert (done.queued, done.reason) == (0, reminders.NONE_LAGGING)


def test_a_unit_without_contacts_is_said_so(db: Session, w: World) -> None:
    done = reminders.queue(db, w.training, BASE, channels=BOTH, now=BEFORE)
    assert (done.queued, done.lagging, done.reason) == (0, 1, reminders.NO_ADDRESS)


def test_an_address_that_stopped_messages_is_skipped(db: Session, w: World) -> None:
    _contacts(db, w.unit)
    optout.opt_out(db, "email", "ppkb@lahat.go.id", "link")
    done = reminders.queue(db, w.training, BASE, channels=BOTH, now=BEFORE)
    assert done.queued == 1


def test_reminders_need_a_configured_channel(db: Session, w: World) -> None:
    _contacts(db, w.unit)
    with pytest.raises(ChannelNotConfigured):
        reminders.queue(db, w.training, BASE, channel="whatsapp", channels=("email",),
                        now=BEFORE)
