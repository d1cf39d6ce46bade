"""Pairs of people who look like one: the same name and the same date of birth (from
the NIK or NIP: one NIK mistyped makes a second person), or similar names with the same
phone ("Nuraini" and "Nur Aini", "Siti Aminah" and "Hj. Siti Aminah, S.Pd.").

Only a hint for the committee, who merges (people.merge) or marks them as two people
(people.distinct: the pair is then left out here): two relatives may share a phone, and
two women called Siti Aminah may share a birthday. Names are
compared without front titles, accents, punctuation and case (Participant.sort_name).

Two queries for the candidates (birth dates and phones held by more than one person),
then the comparison in memory; one for the marked pairs, one more for the pairs' training
counts."""

from collections import defaultdict
from dataclasses import dataclass
from difflib import SequenceMatcher
from itertools import combinations
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from service.i18n import N_
from service.models import Participant
from service.models.base import pk
from service.services.people import distinct
from service.services.people.search import trainings_of

SAME_BIRTH = "same_name_birth_date"
SAME_PHONE = "same_phone_similar_name"
REASONS = {SAME_BIRTH: N_("Same name and date of birth"),
           SAME_PHONE: N_("Same phone number, similar names")}
# How alike two names must be (difflib's ratio, spaces left out) to count as one name
# spelled two ways.
SIMILAR = 0.85


@dataclass(frozen=True)
class Pair:
    first: Participant  # the older row (lower id)
    second: Participant
    reasons: tuple[str, ...]
    first_trainings: int = 0
    second_trainings: int = 0


def similar_names(a: str, b: str) -> bool:
    """One name spelled two ways, or one the other with more of it ("Siti Aminah" and
    "Siti Aminah Lubis")."""
    if not a or not b:
        return False
    joined_a, joined_b = a.replace(" ", ""), b.replace(" ", "")
    if joined_a == joined_b:
        return True
    words_a, words_b = set(a.split()), set(b.split())
    if len(words_a & words_b) >= 2 and (words_a <= words_b or words_b <= words_a):
        return True
    return SequenceMatcher(None, joined_a, joined_b).ratio() >= SIMILAR


def _shared(db: Session, org_id: int, column: Any) -> list[tuple[int, object, str]]:
    """(id, value, sort name) of the organization's people whose value in `column`
    someone else there has too: plain tuples, as a large office has many shared birth
    dates and only a few pairs."""
    shared = (select(column).where(col(Participant.organization_id) == org_id,
                                   col(column).is_not(None))
              .group_by(column).having(func.count() > 1))
    rows = db.exec(select(col(Participant.id), column, col(Participant.sort_name))
                   .where(col(Participant.organization_id) == org_id,
                          col(column).in_(shared))).all()
    return [(int(i or 0), value, sort_name) for i, value, sort_name in rows]


def _name(sort_name: str) -> str:
    return sort_name.split("\x1f", 1)[0]


def _pairs(db: Session, org_id: int) -> dict[tuple[int, int], set[str]]:
    """(lower id, higher id) -> why they look alike; the pairs marked as two people left
    out."""
    found: dict[tuple[int, int], set[str]] = defaultdict(set)
    by_birth: dict[tuple[object, str], list[int]] = defaultdict(list)
    for pid, born, sort_name in _shared(db, org_id, Participant.birth_date):
        by_birth[(born, _name(sort_name))].append(pid)
    for ids in by_birth.values():
        for a, b in combinations(sorted(ids), 2):
            found[(a, b)].add(SAME_BIRTH)
    by_phone: dict[object, list[tuple[int, str]]] = defaultdict(list)
    for pid, phone, sort_name in _shared(db, org_id, Participant.phone):
        by_phone[phone].append((pid, _name(sort_name)))
    for people in by_phone.values():
        for (a, name_a), (b, name_b) in combinations(sorted(people), 2):
            if similar_names(name_a, name_b):
                found[(a, b)].add(SAME_PHONE)
    if found:
        for key in distinct.marked_pairs(db, org_id):
            found.pop(key, None)
    return found


def likely_duplicates(db: Session, org_id: int) -> list[Pair]:
    """Every likely pair of the organization, by the first one's name."""
    found = _pairs(db, org_id)
    if not found:
        return []
    ids = sorted({i for key in found for i in key})
    people = {pk(p): p for p in db.exec(select(Participant)
                                         .where(col(Participant.id).in_(ids)))}
    counts, _last = trainings_of(db, ids)
    pairs = [Pair(people[a], people[b], tuple(r for r in REASONS if r in reasons),
                  counts.get(a, 0), counts.get(b, 0))
             for (a, b), reasons in found.items() if a in people and b in people]
    pairs.sort(key=lambda p: (p.first.sort_name, pk(p.first), pk(p.second)))
    return pairs


def count(db: Session, org_id: int) -> int:
    return len(_pairs(db, org_id))
