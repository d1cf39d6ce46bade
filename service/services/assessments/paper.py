"""Paper answer sheets, keyed in by the committee: one line of letters per person
("abdcab-c..."; "-" or "." for a blank), a batch at a time, or a spreadsheet of them.
A grid is saved whole or not at all: every wrong line is named."""

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, col, select

from service.errors import DomainError
from service.i18n import N_
from service.i18n import gettext as _
from service.i18n.names import sort_key
from service.imports.errors import ColumnProblem, ImportRefused
from service.imports.reader import read_table
from service.models import (
    Assessment,
    AssessmentQuestion,
    AssessmentResponse,
    Participant,
    Registration,
)
from service.models.base import pk
from service.services.assessments import answering, bank

_BLANKS = "-._x?"
MAX_SHEET_BYTES = 2 * 1024 * 1024


@dataclass(frozen=True)
class GridRow:
    registration_id: int
    name: str
    letters: str | None  # what was saved, as letters; None: no sheet yet
    score: int | None


class NoPaperForEvaluation(DomainError):
    code, status, message = "evaluation_not_on_paper", 422, N_(
        "An evaluation is answered anonymously from the ticket, not keyed in from paper.")


_TRUE_FALSE_KEYS = {"b": 0, "a": 0, "1": 0, "s": 1, "2": 1}


def check_paper(assessment: Assessment) -> None:
    if assessment.kind == "evaluation":
        raise NoPaperForEvaluation()


def letters_of(answers: Sequence[int | None]) -> str:
    return "".join("-" if a is None else bank.LETTERS[a] for a in answers)


def true_false(question: AssessmentQuestion) -> bool:
    """A Benar/Salah question: the grid keys it with b and s, as the sheet marks it."""
    return [c.casefold() for c in question.choices] == [c.casefold() for c in bank.TRUE_FALSE]


def shown_letters(letters: str, questions: Sequence[AssessmentQuestion]) -> str:
    """Saved letters as the grid shows them: "b"/"s" (Benar/Salah) on a true/false
    question, the choice's letter elsewhere."""
    out = []
    for ch, q in zip(letters, questions, strict=False):
        out.append({"a": "b", "b": "s"}.get(ch, ch) if true_false(q) else ch)
    return "".join(out)


def parse_letters(raw: str, questions: Sequence[AssessmentQuestion]) -> list[int | None]:
    """'a b-d' -> [0, 1, None, 3]; letters a-f or digits 1-6 (b/s on a Benar/Salah
    question); spaces are ignored."""
    text = re.sub(r"\s+", "", raw.casefold())
    if len(text) != len(questions):
        raise ValueError(N_("{got} answers for {n} questions."), {"got": len(text),
                                                                   "n": len(questions)})
    out: list[int | None] = []
    for ch, q in zip(text, questions, strict=True):
        if ch in _BLANKS:
            out.append(None)
            continue
        if true_false(q) and ch in _TRUE_FALSE_KEYS:
            # As a Benar/Salah sheet is marked: B (or a, 1) Benar, S (or 2) Salah; the
            # grid with or without script and an imported sheet read it the same way.
            out.append(_TRUE_FALSE_KEYS[ch])
            continue
        index = bank.LETTERS.find(ch) if ch.isalpha() else (int(ch) - 1 if ch.isdigit() else -1)
        if not 0 <= index < len(q.choices):
            raise ValueError(N_("question {n} has no choice \"{choice}\"."),
                             {"n": q.position, "choice": ch})
        out.append(index)
    return out


def grid(db: Session, assessment: Assessment, batch_id: int) -> list[GridRow]:
    """The batch's confirmed participants by name, with any sheet already saved."""
    rows = db.exec(select(Registration.id, Participant.name, AssessmentResponse)
                   .join(Participant, col(Participant.id) == Registration.participant_id)
                   .outerjoin(AssessmentResponse,
                              (col(AssessmentResponse.registration_id) == Registration.id)
                              & (col(AssessmentResponse.assessment_id) == pk(assessment)))
                   .where(Registration.batch_id == batch_id,
                          Registration.status == "confirmed")
                   .order_by(col(Participant.sort_name), col(Registration.id))).all()
    return [GridRow(int(rid or 0), name, letters_of(r.answers) if r else None,
                    r.score if r else None) for rid, name, r in rows]


@dataclass(frozen=True)
class LineError:
    key: str  # the registration id (grid) or the row number (sheet)
    name: str
    message: str
    params: dict[str, Any]

    def text(self) -> str:
        return _(self.message, **self.params)


class PaperRefused(ImportRefused):
    code, status = "paper_answers_invalid", 422
    message = N_("Nothing was saved: {count} answer lines need correcting first.")

    def __init__(self, lines: list[LineError]) -> None:
        super().__init__(params={"count": len(lines)})
        self.lines = lines

    def payload(self) -> dict[str, Any]:
        return {**super().payload(), "errors": [
            {"row": e.key, "name": e.name, "message": e.text()} for e in self.lines]}


def save_grid(db: Session, assessment: Assessment, batch_id: int,
              entries: Mapping[int, str], source: str = "paper") -> int:
    """Save the typed lines of one batch; lines left empty and people with a sheet
    already are left alone. Returns how many sheets were saved."""
    check_paper(assessment)
    qs = bank.questions(db, pk(assessment))
    people = {r.registration_id: r for r in grid(db, assessment, batch_id)}
    parsed: list[tuple[int, list[int | None]]] = []
    errors: list[LineError] = []
    for rid, raw in entries.items():
        if not raw.strip():
            continue
        row = people.get(rid)
        if row is None:
            errors.append(LineError(str(rid), "", N_("not a participant of this batch."), {}))
            continue
        if row.letters is not None:
            continue
        try:
            parsed.append((rid, parse_letters(raw, qs)))
        except ValueError as exc:
            errors.append(LineError(str(rid), row.name, exc.args[0], exc.args[1]))
    if errors:
        raise PaperRefused(errors)
    for rid, answers in parsed:
        answering.record(db, assessment, rid, answers, source, qs)
    return len(parsed)


# --- a spreadsheet of paper sheets ---------------------------------------------------------

class PaperColumnsMissing(ColumnProblem):
    def __init__(self) -> None:
        super().__init__(N_("The header row needs a column Nama and a column Jawaban (the "
                            "letters, e.g. abdca...) or one column per question (1, 2, 3 ...)."),
                         code="paper_columns_missing")


def _field(cell: str) -> str | None:
    h = re.sub(r"[\s_.:]+", " ", cell.casefold()).strip()
    if h in ("nama", "name", "nama peserta", "nama lengkap"):
        return "name"
    if h in ("jawaban", "answers", "lembar jawaban"):
        return "answers"
    m = re.fullmatch(r"(?:soal |no |nomor |q)?(\d{1,3})", h)
    return f"q{int(m.group(1))}" if m else None


def _check(headers: list[str]) -> None:
    found = {_field(h) for h in headers}
    if "name" not in found or not ("answers" in found or "q1" in found):
        raise PaperColumnsMissing()


def _rank(cells: list[str]) -> tuple[int, int, int]:
    fields = {f for f in (_field(c) for c in cells) if f}
    return 0, int("name" in fields), len(fields)


def import_sheet(db: Session, assessment: Assessment, content: bytes, filename: str) -> int:
    """Answer sheets from a spreadsheet, matched by name among the training's confirmed
    participants; all rows or none."""
    check_paper(assessment)
    qs = bank.questions(db, pk(assessment))
    table = read_table(content, filename, max_bytes=MAX_SHEET_BYTES, max_rows=5000,
                       check_header=_check, rank_header=_rank)
    where: dict[str, int] = {}
    for i, h in enumerate(table.headers):
        f = _field(h)
        if f and f not in where:
            where[f] = i
    by_name: dict[str, list[int]] = {}
    for rid, name in db.exec(select(Registration.id, Participant.name)
                             .join(Participant,
                                   col(Participant.id) == Registration.participant_id)
                             .where(Registration.training_id == assessment.training_id,
                                    Registration.status == "confirmed")):
        by_name.setdefault(sort_key(name), []).append(int(rid or 0))
    done = set(db.exec(select(AssessmentResponse.registration_id).where(
        AssessmentResponse.assessment_id == pk(assessment))).all())
    errors: list[LineError] = []
    parsed: dict[int, list[int | None]] = {}
    for number, cells in table.rows:
        def cell(f: str, cells: list[str] = cells) -> str:
            i = where.get(f)
            return cells[i].strip() if i is not None and i < len(cells) else ""
        name = cell("name")
        raw = cell("answers") if "answers" in where else "".join(
            (cell(f"q{q.position}") or "-")[:1] for q in qs)
        if not name and not raw.strip("-"):
            continue
        found = by_name.get(sort_key(name), [])
        if len(found) != 1:
            errors.append(LineError(str(number), name, N_(
                "no single confirmed participant has this name.") if not found else N_(
                "several participants have this name: key this sheet in the grid."), {}))
            continue
        if found[0] in done or found[0] in parsed:
            continue
        try:
            parsed[found[0]] = parse_letters(raw, qs)
        except ValueError as exc:
            errors.append(LineError(str(number), name, exc.args[0], exc.args[1]))
    if errors:
        raise PaperRefused(errors)
    for rid, answers in parsed.items():
        answering.record(db, assessment, rid, answers, "import", qs)
    return len(parsed)
