"""The activity report's lists of the people around a training: the invited guests and
the committee with the days each was present, and the narasumber's attendance per
session. Plain data, built by service.services.guests.report and read by the report's
PDF, DOCX and page."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time


@dataclass(frozen=True)
class GuestLine:
    name: str
    position: str
    institution: str
    role: str  # a committee member's place: "Ketua"; "" for a guest
    days_present: list[date]


@dataclass(frozen=True)
class SpeakerPresenceLine:
    date: date
    start_time: time
    end_time: time
    batch: str
    session: str
    speaker: str
    jpl: int
    present: bool | None  # None: not recorded
    via_link: bool = False


@dataclass(frozen=True)
class GuestFigures:
    days: list[date] = field(default_factory=list)  # the training's days
    guests: list[GuestLine] = field(default_factory=list)
    committee: list[GuestLine] = field(default_factory=list)
    speakers: list[SpeakerPresenceLine] = field(default_factory=list)

    def days_label(self, line: GuestLine, every: str, none: str) -> str:
        """"12/9, 13/9"; `every` when present on every day of a training of several;
        `none` when on none."""
        if not line.days_present:
            return none
        if len(self.days) > 1 and line.days_present == self.days:
            return every
        return ", ".join(f"{d.day}/{d.month}" for d in line.days_present)
