"""Who was present, absent or excused: the one answer every page and document reads (the
live attendance page and its record mode, the rosters, the activity report, certificate
eligibility).

Two sources: the door's check-ins, and the committee's marks (AttendanceMark) entered
after the day from the signed daftar hadir. For one registration on one day, at one slot
(0: the whole day; a session's id in per-session mode):

- the newest mark that applies decides, whatever the door did: at a session, its own
  marks and the whole day's marks, whichever is newer;
- without a mark, a check-in makes the person present; nothing makes them absent.

In per-session mode a day counts as present when any of its sessions does; a whole-day
mark newer than every session mark of that day decides the day (and, through the rule
above, each of its sessions).

Only confirmed registrations count, on the days of their current batch, and only the
marks made for that batch (someone moved to another batch starts without them). A check-in
is counted in the training's mode only (per day, or per session; the mode is fixed once
anyone is checked in or marked, so the two never mix).

Three queries for a batch or a whole training, whatever the number of people and days:
the check-ins, the marks, and (per-session mode) the sessions.
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Select
from sqlmodel import Session, col, select

from service.models import AgendaSession, AttendanceMark, Batch, CheckIn, Registration, Training
from service.models.base import pk

PRESENT, ABSENT, EXCUSED = "present", "absent", "excused"
STATUSES = (PRESENT, ABSENT, EXCUSED)


@dataclass(frozen=True)
class State:
    """One person on one day (or at one session), as every document shows it."""

    status: str  # present | absent | excused
    scanned: bool = False  # the door checked them in (whatever a mark says now)
    marked: bool = False  # a committee mark decides, not the door
    excuse: str | None = None  # leave (izin) | sick (sakit), when excused
    reason: str = ""

    @property
    def present(self) -> bool:
        return self.status == PRESENT

    @property
    def excused(self) -> bool:
        return self.status == EXCUSED


NOBODY = State(ABSENT)


@dataclass(frozen=True)
class _Mark:
    id: int
    status: str
    excuse: str | None
    reason: str


class Presence:
    """Presence of the confirmed registrations of some batches, on every day of each."""

    def __init__(self, per_session: bool, scans: dict[tuple[int, date], set[int]],
                 marks: dict[tuple[int, date], dict[int, _Mark]],
                 batch_of: dict[int, int], sessions: dict[tuple[int, date], list[int]]):
        self.per_session = per_session
        self._scans = scans
        self._marks = marks
        self._batch_of = batch_of
        self._sessions = sessions

    @classmethod
    def empty(cls, training: Training) -> "Presence":
        """Nobody present (for no registrations: nothing to ask the database)."""
        return cls(training.checkin_mode == "session", {}, {}, {}, {})

    def state(self, registration_id: int, day: date, session_id: int | None = None) -> State:
        """The person's state on the day (session_id None), or at one session of it."""
        key = (registration_id, day)
        scanned = self._scans.get(key, set())
        marks = self._marks.get(key, {})
        if not self.per_session:
            return _decide(marks.get(0), 0 in scanned)
        if session_id is not None:
            return _decide(_newer(marks.get(session_id), marks.get(0)), session_id in scanned)
        return self._day(registration_id, day, scanned, marks)

    def _day(self, rid: int, day: date, scanned: set[int], marks: dict[int, _Mark]) -> State:
        whole = marks.get(0)
        if whole is not None and all(m.id < whole.id for s, m in marks.items() if s):
            return _decide(whole, bool(scanned))
        slots = dict.fromkeys(self._sessions.get((self._batch_of.get(rid, 0), day), []))
        slots.update(dict.fromkeys(sorted(scanned)))
        slots.update(dict.fromkeys(sorted(s for s in marks if s)))
        states = [self.state(rid, day, s) for s in slots]
        if not states:  # a day without sessions: only a whole-day mark can say anything
            return _decide(whole, False)
        found = next((s for s in states if s.present), None) \
            or next((s for s in states if s.excused), None)
        if found is not None:
            return State(found.status, bool(scanned),
                         found.marked and not any(s.present and not s.marked for s in states),
                         found.excuse, found.reason)
        return State(ABSENT, bool(scanned), any(s.marked for s in states))

    def present(self, registration_id: int, day: date, session_id: int | None = None) -> bool:
        return self.state(registration_id, day, session_id).present

    def days_present(self, registration_id: int, days: Iterable[date]) -> list[date]:
        return [d for d in days if self.present(registration_id, d)]

    def sessions_present(self, registration_id: int, day: date,
                         session_ids: Iterable[int]) -> list[int]:
        return [s for s in session_ids if self.present(registration_id, day, s)]


def _newer(a: _Mark | None, b: _Mark | None) -> _Mark | None:
    if a is None or b is None:
        return a or b
    return a if a.id > b.id else b


def _decide(mark: _Mark | None, scanned: bool) -> State:
    if mark is not None:
        return State(mark.status, scanned, True, mark.excuse, mark.reason)
    return State(PRESENT, True) if scanned else NOBODY


def load(db: Session, training: Training, batches: Sequence[Batch] | None = None,
         only: Select[Any] | Sequence[int] | None = None) -> Presence:
    """Presence in the given batches of the training (all of its batches when None), on
    every day of each: the check-ins, the marks, and the sessions (per-session mode).
    `only`, registration ids (or a SELECT of them), leaves out everyone else in those
    batches (a person's record asks about one person in each of many batches, coverage
    about a few)."""
    per_session = training.checkin_mode == "session"
    scope = [col(Registration.status) == "confirmed"]
    if batches is None:
        scope.append(col(Registration.training_id) == pk(training))
    else:
        scope.append(col(Registration.batch_id).in_([pk(b) for b in batches]))
    if only is not None:
        scope.append(col(Registration.id).in_(only))
    in_batch_days = [col(Batch.id) == Registration.batch_id]

    slot_rule = col(CheckIn.slot) != 0 if per_session else col(CheckIn.slot) == 0
    scans: dict[tuple[int, date], set[int]] = defaultdict(set)
    batch_of: dict[int, int] = {}
    for rid, bid, day, slot in db.exec(
            select(col(CheckIn.registration_id), col(Registration.batch_id),
                   col(CheckIn.day), col(CheckIn.slot))
            .join(Registration, col(Registration.id) == CheckIn.registration_id)
            .join(Batch, *in_batch_days)
            .where(*scope, slot_rule, col(CheckIn.day) >= Batch.start_date,
                   col(CheckIn.day) <= Batch.end_date)
            .distinct()).all():
        scans[(rid, day)].add(slot)
        batch_of[rid] = bid or 0

    marks: dict[tuple[int, date], dict[int, _Mark]] = defaultdict(dict)
    mark_rule = [] if per_session else [col(AttendanceMark.slot) == 0]
    # Oldest first: each newer mark of a slot replaces the one before.
    for mid, rid, bid, day, slot, status, excuse, reason in db.exec(
            select(col(AttendanceMark.id),  # type: ignore[call-overload]
                   col(AttendanceMark.registration_id),
                   col(Registration.batch_id), col(AttendanceMark.day),
                   col(AttendanceMark.slot), col(AttendanceMark.status),
                   col(AttendanceMark.excuse), col(AttendanceMark.reason))
            .join(Registration, col(Registration.id) == AttendanceMark.registration_id)
            .join(Batch, *in_batch_days)
            .where(*scope, *mark_rule, col(AttendanceMark.batch_id) == Registration.batch_id,
                   col(AttendanceMark.day) >= Batch.start_date,
                   col(AttendanceMark.day) <= Batch.end_date)
            .order_by(col(AttendanceMark.id))).all():
        marks[(rid, day)][slot] = _Mark(mid or 0, status, excuse, reason)
        batch_of[rid] = bid or 0

    sessions: dict[tuple[int, date], list[int]] = defaultdict(list)
    if per_session:
        query = (select(col(AgendaSession.id), col(AgendaSession.batch_id),
                        col(AgendaSession.date))
                 .order_by(col(AgendaSession.date), col(AgendaSession.start_time),
                           col(AgendaSession.id)))
        if batches is None:
            query = query.join(Batch, col(Batch.id) == AgendaSession.batch_id) \
                .where(col(Batch.training_id) == pk(training))
        else:
            query = query.where(col(AgendaSession.batch_id).in_([pk(b) for b in batches]))
        for sid, bid, day in db.exec(query).all():
            sessions[(bid, day)].append(sid or 0)
    return Presence(per_session, dict(scans), dict(marks), batch_of, dict(sessions))
