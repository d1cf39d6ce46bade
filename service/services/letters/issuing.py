"""Issuing letters: who may get one of each kind, and numbers taken under the lock of the
kind's counter, so two committee members issuing at once (in two app processes) never
get the same number.

A recipient who already holds a letter of the kind keeps it: issuing again answers that
letter (`existing`) and uses no number, so a double click or a retried request sends
nothing twice. Asked for a `new_number`, a new letter is issued and the old one is marked
replaced (it stays in the list, as the office's agenda book keeps every number)."""

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, func, select

from service.errors import FieldError, NotFound
from service.i18n import N_
from service.models import (
    AgendaSession,
    Batch,
    EventPerson,
    IssuedLetter,
    OrgUnit,
    SessionSpeaker,
    Speaker,
    Training,
    TrainingUnit,
    User,
)
from service.models.base import pk, utcnow
from service.schemas.letters import LetterIssue
from service.services import speakers as speaker_names
from service.services import training_clock as clock
from service.services.certificates import numbering
from service.services.letters import settings
from service.services.nominations import links


class LetterNotFound(NotFound):
    code, message = "letter_not_found", N_("Letter not found.")


@dataclass(frozen=True)
class Recipient:
    label: str
    unit_id: int | None = None
    speaker_id: int | None = None
    training_unit: TrainingUnit | None = None

    @property
    def key(self) -> tuple[int | None, int | None]:
        return self.unit_id, self.speaker_id


def unit_label(unit: OrgUnit) -> str:
    """Who an invitation is addressed to: the head of the unit ("Bupati Ogan Ilir",
    "Wali Kota Palembang", "Camat Padang Barat", "Kepala Dinas Kesehatan ...")."""
    name = unit.name.strip()
    for prefix, head in (("Kabupaten ", "Bupati "), ("Kota ", "Wali Kota "),
                         ("Kecamatan ", "Camat ")):
        if name.startswith(prefix) and len(name) > len(prefix):
            return head + name[len(prefix):]
    return f"Kepala {name}"


def invited_units(db: Session, training: Training) -> list[tuple[TrainingUnit, OrgUnit]]:
    rows = db.exec(select(TrainingUnit, OrgUnit)
                   .join(OrgUnit, col(OrgUnit.id) == TrainingUnit.unit_id)
                   .where(TrainingUnit.training_id == pk(training))
                   .order_by(col(OrgUnit.name))).all()
    return [(tu, u) for tu, u in rows]


def training_speakers(db: Session, training: Training) -> list[Speaker]:
    """The narasumber who teach at least one session of the training, by name."""
    ids = select(SessionSpeaker.speaker_id).join(
        AgendaSession, col(AgendaSession.id) == SessionSpeaker.session_id).join(
        Batch, col(Batch.id) == AgendaSession.batch_id).where(
        Batch.training_id == pk(training))
    return list(db.exec(select(Speaker).where(col(Speaker.id).in_(ids))
                        .order_by(func.lower(Speaker.name))).all())


def committee(db: Session, training: Training) -> list[EventPerson]:
    return list(db.exec(select(EventPerson).where(
        EventPerson.training_id == pk(training), EventPerson.kind == "committee")
        .order_by(col(EventPerson.sort_order), col(EventPerson.id))).all())


def candidates(db: Session, training: Training, kind: str) -> list[Recipient]:
    """Everyone who may get a letter of `kind` for the training."""
    if kind == "invitation":
        return [Recipient(unit_label(u), unit_id=pk(u), training_unit=tu)
                for tu, u in invited_units(db, training)]
    if kind == "speaker_request":
        return [Recipient(speaker_names.display_name(s), speaker_id=pk(s))
                for s in training_speakers(db, training)]
    if kind == "committee_assignment":
        return [Recipient("Panitia")] if committee(db, training) else []
    raise FieldError("kind", N_("Choose the kind of letter."), code="invalid_kind")


_NONE_MESSAGES = {
    "invitation": N_("No unit is invited to this training yet: add the units (with their "
                     "quota) on the nominations page first."),
    "speaker_request": N_("No narasumber teaches a session of this training yet: add them "
                          "to the timetable first."),
    "committee_assignment": N_("This training has no committee members yet: add them on "
                               "the guests and committee page first."),
}


def chosen(db: Session, training: Training, data: LetterIssue) -> list[Recipient]:
    """The recipients asked for (every one of the kind when no ids are given); a 422 for
    an id that is not a recipient of this training (another office's unit included)."""
    every = candidates(db, training, data.kind)
    if not every:
        raise FieldError("kind", _NONE_MESSAGES[data.kind], code="no_recipients")
    if data.kind == "invitation" and data.unit_ids is not None:
        ids, field = data.unit_ids, "unit_ids"
        by_id = {r.unit_id: r for r in every}
    elif data.kind == "speaker_request" and data.speaker_ids is not None:
        ids, field = data.speaker_ids, "speaker_ids"
        by_id = {r.speaker_id: r for r in every}
    else:
        return every
    if not ids:
        raise FieldError(field, N_("Choose at least one recipient."), code="no_recipients")
    if any(i not in by_id for i in ids):
        raise FieldError(field, N_("One of the chosen recipients is not part of this "
                                   "training."), code="not_a_recipient")
    wanted = set(ids)
    return [r for r in every if (r.unit_id if field == "unit_ids" else r.speaker_id)
            in wanted]


def current(db: Session, training: Training, kind: str | None = None) -> list[IssuedLetter]:
    """The training's letters that are not replaced, by kind and number."""
    query = select(IssuedLetter).where(IssuedLetter.training_id == pk(training),
                                       col(IssuedLetter.replaced_at).is_(None))
    if kind:
        query = query.where(IssuedLetter.kind == kind)
    return list(db.exec(query.order_by(col(IssuedLetter.kind), col(IssuedLetter.year),
                                       col(IssuedLetter.seq))).all())


class NoLetters(NotFound):
    code, message = "no_letters", N_("No letters of this kind have been issued yet.")


def current_or_404(db: Session, training: Training, kind: str | None) -> list[IssuedLetter]:
    found = current(db, training, kind)
    if not found:
        raise NoLetters()
    return found


def list_letters(db: Session, training: Training) -> list[IssuedLetter]:
    """Every letter of the training, replaced ones included."""
    return list(db.exec(select(IssuedLetter).where(IssuedLetter.training_id == pk(training))
                        .order_by(col(IssuedLetter.kind), col(IssuedLetter.year),
                                  col(IssuedLetter.seq))).all())


def get_letter(db: Session, org_id: int, letter_id: int) -> IssuedLetter:
    letter = db.get(IssuedLetter, letter_id)
    if letter is None or letter.organization_id != org_id:
        raise LetterNotFound()
    return letter


def issue(db: Session, training: Training, user: User | None, data: LetterIssue,
          base_url: str) -> list[tuple[IssuedLetter, bool]]:
    """Issue the letters asked for; (letter, existing) per recipient. Everything is
    checked before the counter is touched; the counter is bumped in the request's
    transaction, so a refused request uses no number."""
    org_id = training.organization_id
    s = settings.require(db, org_id)
    on = data.letter_date or clock.today(training)
    recipients = chosen(db, training, data)
    pattern = settings.kind_setting(s, data.kind)
    name = settings.counter_name(data.kind, on.year)
    # First the lock, then the reading: a concurrent issuing has committed by now.
    numbering.lock(db, org_id, name)
    held = {(x.unit_id, x.speaker_id): x for x in current(db, training, data.kind)}
    fresh = [r for r in recipients if data.new_number or r.key not in held]
    seqs = iter(numbering.reserve(db, org_id, len(fresh), name) if fresh else ())
    now = utcnow()
    out: list[tuple[IssuedLetter, bool]] = []
    for r in recipients:
        old = held.get(r.key)
        if old is not None and not data.new_number:
            out.append((old, True))
            continue
        if old is not None:
            old.replaced_at = now
            db.add(old)
        seq = next(seqs)
        letter = IssuedLetter(
            organization_id=org_id, training_id=pk(training), kind=data.kind,
            number=numbering.format_number(pattern.pattern, seq, on, pattern.code),
            seq=seq, year=on.year, letter_date=on, recipient=r.label[:300],
            unit_id=r.unit_id, speaker_id=r.speaker_id,
            link_url=_link(db, r, user, base_url), issued_by=user.id if user else None,
            issued_at=now)
        db.add(letter)
        out.append((letter, False))
    db.flush()
    return out


def _link(db: Session, r: Recipient, user: User | None, base_url: str) -> str:
    """An invitation's own nomination link (the unit's other links keep working)."""
    if r.training_unit is None:
        return ""
    raw, _link_row = links.issue(db, r.training_unit, user, revoke_others=False)
    return links.url(base_url, raw)[:500]


def default_date(training: Training) -> date:
    return clock.today(training)
