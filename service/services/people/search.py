"""Finding people of the organization, by the same rules as the door's search
(checkin_manifest.search): part of a name (front titles, case and punctuation aside), or
the exact last 4 to 6 digits of a NIK or phone, or a whole 18-digit NIP.

Never a match inside a number, nor a tail longer than 6 digits: otherwise anyone with the
search could rebuild a whole NIK one digit at a time."""

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, or_
from sqlmodel import Session, col, select

from service.errors import FieldError
from service.i18n import N_
from service.i18n.names import sort_key
from service.models import Participant, Registration, Training
from service.models.base import pk
from service.services.participant_fields import clean_text
from service.services.registrations import by_sort_name, page_count

PER_PAGE = 50
MAX_PAGE = 100_000
TAIL_DIGITS = (4, 6)
NIP_DIGITS = 18
# Typed as a number: "1234", "+62 812-34", "(0751) 1234"; letters make it a name.
_NUMBER_LIKE = re.compile(r"[+(\d][\d\s().\-]*")


class SearchDigits(FieldError):
    def __init__(self) -> None:
        super().__init__("q", N_("Type part of the name, the last 4 to 6 digits of the NIK "
                                 "or phone number, or the whole 18-digit NIP."),
                         code="search_digits")


@dataclass(frozen=True)
class LastTraining:
    training_id: int
    title: str
    start_date: date
    end_date: date


@dataclass(frozen=True)
class Found:
    person: Participant
    trainings_count: int
    last_training: LastTraining | None


@dataclass(frozen=True)
class SearchPage:
    items: list[Found]
    total: int
    page: int
    pages: int


def _like(term: str) -> str:
    return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def name_part(text: str) -> str:
    """A typed name as Participant.sort_name holds names: no front titles, accents or
    punctuation, case-folded ("Hj. Nur'aini" -> "nuraini")."""
    return sort_key(text).split("\x1f", 1)[0]


def _ends_with(reversed_column: Any, digits: str, dialect: str) -> Any:
    """The number ends with `digits`: its reversed column starts with them, a prefix its
    index finds (models.participants). Digits hold no GLOB or LIKE wildcard; SQLite's
    LIKE ignores case and so cannot use an ordinary index, its GLOB can."""
    start = digits[::-1]
    if dialect == "sqlite":
        return reversed_column.op("GLOB")(f"{start}*")
    return reversed_column.like(f"{start}%")


def condition(q: str, dialect: str = "sqlite") -> object | None:
    """The WHERE term for a query (None: everyone); SearchDigits for a number that is
    neither a 4-6 digit tail nor a whole NIP."""
    term = clean_text(q)[:100]
    if not term:
        return None
    if _NUMBER_LIKE.fullmatch(term):
        digits = re.sub(r"\D", "", term)
        if len(digits) == NIP_DIGITS:
            return col(Participant.nip) == digits
        if not TAIL_DIGITS[0] <= len(digits) <= TAIL_DIGITS[1]:
            raise SearchDigits()
        # The exact end of the number, nothing inside it.
        return or_(_ends_with(col(Participant.nik_reversed), digits, dialect),
                   _ends_with(col(Participant.phone_reversed), digits, dialect))
    wanted = name_part(term)
    if not wanted:
        return col(Participant.id).is_(None)  # only punctuation: nobody
    # The name part of sort_name ends at the \x1f before the full name (which still has
    # its titles): "%term%\x1f%" matches before it only.
    return col(Participant.sort_name).like(f"%{_like(wanted)}%\x1f%", escape="\\")


def search(db: Session, org_id: int, q: str = "", page: int = 1,
           per_page: int = PER_PAGE) -> SearchPage:
    """One page of the organization's people by name (titles aside), with how many
    trainings each has been in and the latest: three queries, whatever the page holds."""
    where = [col(Participant.organization_id) == org_id]
    found = condition(q, db.get_bind().dialect.name)
    if found is not None:
        where.append(found)  # type: ignore[arg-type]
    total = int(db.exec(select(func.count()).select_from(Participant).where(*where)).one())
    pages = page_count(total, per_page)
    page = min(max(page, 1), pages, MAX_PAGE)
    people = list(db.exec(select(Participant).where(*where)
                          .order_by(by_sort_name(db), col(Participant.id))
                          .offset((page - 1) * per_page).limit(per_page)).all())
    counts, last = trainings_of(db, [pk(p) for p in people])
    return SearchPage([Found(p, counts.get(pk(p), 0), last.get(pk(p))) for p in people],
                      total, page, pages)


def trainings_of(db: Session, person_ids: list[int]
                 ) -> tuple[dict[int, int], dict[int, LastTraining]]:
    """For each person: the number of trainings they are registered in (cancelled ones
    aside) and the latest of them; one query."""
    counts: dict[int, int] = {}
    last: dict[int, LastTraining] = {}
    if not person_ids:
        return counts, last
    rows = db.exec(select(col(Registration.participant_id), col(Training.id),  # type: ignore[call-overload]
                          col(Training.title), col(Training.start_date),
                          col(Training.end_date))
                   .join(Training, col(Training.id) == Registration.training_id)
                   .where(col(Registration.participant_id).in_(person_ids),
                          col(Registration.status) != "cancelled")).all()
    for pid, tid, title, start, end in rows:
        counts[pid] = counts.get(pid, 0) + 1
        now = LastTraining(tid or 0, title, start, end)
        before = last.get(pid)
        if before is None or (now.start_date, now.training_id) > (before.start_date,
                                                                   before.training_id):
            last[pid] = now
    return counts, last
