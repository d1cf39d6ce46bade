"""The guests and committee members of a training: added one by one or pasted as lines,
edited, reordered (the order the daftar hadir and the report print them in: protocol
order, the Kadis first), removed."""

import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func
from sqlmodel import Session, col, select

from service.errors import FieldError, NotFound
from service.i18n import N_
from service.i18n.formats import fmt_date
from service.models import Training
from service.models.base import pk
from service.models.guests import EVENT_PERSON_KINDS, EventPerson
from service.schemas.guests import PersonCreate, PersonPatch
from service.services import trainings
from service.services.meeting_days import days_between, days_of
from service.services.participant_fields import FieldProblem, clean_text, normalize_phone

# The committee's usual places, offered on the form (any other text is taken as written).
COMMITTEE_ROLES = (N_("Penanggung jawab"), N_("Pengarah"), N_("Ketua"), N_("Wakil ketua"),
                   N_("Sekretaris"), N_("Bendahara"), N_("Anggota"))
MAX_PER_TRAINING = 500
MAX_PASTE_LINES = 100
_NIP_SEPARATORS = re.compile(r"[\s.\-]")


class PersonNotFound(NotFound):
    code, message = "guest_not_found", N_("Guest or committee member not found.")


@dataclass(frozen=True)
class PersonFields:
    name: str
    position: str = ""
    institution: str = ""
    nip: str = ""
    committee_role: str = ""
    phone: str = ""
    email: str = ""


def new_token() -> str:
    # 144 random bits, URL-safe: the card's only key, like a ticket's.
    return secrets.token_urlsafe(18)


def training_days(db: Session, training: Training) -> list[date]:
    """The days guests and committee can be present on: every meeting day of the
    training's batches (two batches side by side count their shared days once); a
    training without batches yet, its first to last day."""
    days = {d for b in trainings.list_batches(db, pk(training)) for d in days_of(b)}
    return sorted(days) or days_between(training.start_date, training.end_date)


def check_day(db: Session, training: Training, day: date) -> None:
    if day not in training_days(db, training):
        raise FieldError("day", N_("{day} is not one of the training's days."),
                         code="invalid_day", day=fmt_date(day))


def clean_nip(raw: str | None) -> str:
    nip = _NIP_SEPARATORS.sub("", raw or "")
    if nip and (len(nip) != 18 or not nip.isascii() or not nip.isdigit()):
        raise FieldError("nip", N_("A NIP has 18 digits."), code="invalid_nip")
    return nip


def clean_phone(raw: str | None) -> str:
    text = clean_text(raw)
    if not text:
        return ""
    try:
        return normalize_phone(text)
    except FieldProblem as exc:
        raise FieldError("phone", exc.message, code="invalid_phone", **exc.params) from None


def _check_kind(kind: str) -> None:
    if kind not in EVENT_PERSON_KINDS:
        raise FieldError("kind", N_("Choose guest or committee."), code="invalid_kind")


def list_people(db: Session, training: Training, kind: str | None = None
                ) -> list[EventPerson]:
    """The training's guests and committee in their list order."""
    query = select(EventPerson).where(EventPerson.training_id == training.id)
    if kind is not None:
        query = query.where(EventPerson.kind == kind)
    return list(db.exec(query.order_by(col(EventPerson.kind).desc(),
                                       col(EventPerson.sort_order),
                                       col(EventPerson.id))).all())


def get_person(db: Session, org_id: int, person_id: int) -> tuple[EventPerson, Training]:
    """The person if their training belongs to the organization; else not found."""
    row = db.exec(select(EventPerson, Training)
                  .join(Training, col(Training.id) == EventPerson.training_id)
                  .where(EventPerson.id == person_id,
                         Training.organization_id == org_id)).first()
    if row is None:
        raise PersonNotFound()
    return row[0], row[1]


def _next_order(db: Session, training: Training, kind: str) -> int:
    top = db.exec(select(func.max(col(EventPerson.sort_order)))
                  .where(EventPerson.training_id == training.id,
                         EventPerson.kind == kind)).one()
    return int(top or 0) + 1


def _count(db: Session, training: Training) -> int:
    return int(db.exec(select(func.count(col(EventPerson.id)))
                       .where(EventPerson.training_id == training.id)).one())


def add_person(db: Session, training: Training, data: PersonCreate) -> EventPerson:
    _check_kind(data.kind)
    if _count(db, training) >= MAX_PER_TRAINING:
        raise FieldError("name", N_("A training can list at most {n} guests and committee "
                                    "members."), code="too_many_guests", n=MAX_PER_TRAINING)
    person = EventPerson(
        training_id=pk(training), kind=data.kind, name=data.name,
        position=data.position or "", institution=data.institution or "",
        nip=clean_nip(data.nip),
        committee_role=(data.committee_role or "") if data.kind == "committee" else "",
        phone=clean_phone(data.phone), email=data.email or "", token=new_token(),
        sort_order=_next_order(db, training, data.kind))
    db.add(person)
    db.flush()
    return person


def update_person(db: Session, person: EventPerson, data: PersonPatch) -> EventPerson:
    sent = data.model_fields_set
    if "name" in sent:
        if not data.name:
            raise FieldError("name", N_("This field is required."), code="invalid_name")
        person.name = data.name
    for field in ("position", "institution", "email"):
        if field in sent:
            setattr(person, field, getattr(data, field) or "")
    if "committee_role" in sent and person.kind == "committee":
        person.committee_role = data.committee_role or ""
    if "nip" in sent:
        person.nip = clean_nip(data.nip)
    if "phone" in sent:
        person.phone = clean_phone(data.phone)
    if "sort_order" in sent and data.sort_order is not None:
        person.sort_order = max(0, min(data.sort_order, 100_000))
    db.add(person)
    db.flush()
    return person


def move(db: Session, person: EventPerson, step: int) -> None:
    """Move the person one place up (-1) or down (+1) in their list."""
    training = db.get(Training, person.training_id)
    assert training is not None
    people = list_people(db, training, person.kind)
    at = next(i for i, p in enumerate(people) if p.id == person.id)
    to = at + (-1 if step < 0 else 1)
    if not 0 <= to < len(people):
        return
    people[at], people[to] = people[to], people[at]
    for i, p in enumerate(people, start=1):
        if p.sort_order != i:
            p.sort_order = i
            db.add(p)
    db.flush()


def delete_person(db: Session, person: EventPerson) -> None:
    db.delete(person)
    db.flush()


# --- a quick paste ------------------------------------------------------------------------

def parse_paste(text: str, kind: str) -> list[PersonCreate]:
    """One person a line, comma- (or tab-) separated: for a guest "name, position,
    institution"; for a committee member "role, name, position, institution" when the
    first part is a committee role, else as a guest's. Blank lines are skipped."""
    _check_kind(kind)
    lines = [clean_text(line) for line in text.splitlines()]
    lines = [line for line in lines if line]
    if not lines:
        raise FieldError("paste", N_("Paste at least one line: name, position, institution."),
                         code="empty_paste")
    if len(lines) > MAX_PASTE_LINES:
        raise FieldError("paste", N_("Paste at most {n} lines at once."),
                         code="too_many_lines", n=MAX_PASTE_LINES)
    roles = {r.casefold() for r in COMMITTEE_ROLES}
    out = []
    for number, line in enumerate(lines, start=1):
        parts = [p.strip() for p in re.split(r"\t|;|,(?=\s*[^\s,])", line)]
        role = ""
        if kind == "committee" and len(parts) > 1 and parts[0].casefold() in roles:
            role, parts = parts[0], parts[1:]
        # Titles after a name ("Ahmad, S.Pd., M.Si.") belong to the name.
        parts = _join_titles(parts)
        name = parts[0] if parts else ""
        if not name or len(name) > 200 or any(len(p) > 200 for p in parts):
            raise FieldError("paste", N_("Line {n} is not a name, position, institution."),
                             code="invalid_paste_line", n=number)
        out.append(PersonCreate(kind=kind, name=name,
                                position=parts[1] if len(parts) > 1 else None,
                                institution=", ".join(parts[2:]) or None,
                                committee_role=role or None))
    return out


_TITLE = re.compile(r"^(?:[A-Z][A-Za-z]{0,5}\.)+(?:\s?[A-Z][A-Za-z]{0,5}\.?)*$")


def _join_titles(parts: list[str]) -> list[str]:
    out: list[str] = []
    for p in parts:
        if out and _TITLE.match(p) and len(out) == 1:
            out[0] = f"{out[0]}, {p}"
        else:
            out.append(p)
    return out


def add_pasted(db: Session, training: Training, people: Iterable[PersonCreate]
               ) -> list[EventPerson]:
    return [add_person(db, training, p) for p in people]
