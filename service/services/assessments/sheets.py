"""Questions as committees write them: typed into one text box, or a spreadsheet with a
column per choice and a column for the key. Both give (text, choices, right index) rows;
every mistake is listed at once and nothing is saved until there are none."""

import re
from collections.abc import Sequence

from service.errors import FieldError
from service.i18n import N_
from service.i18n import gettext as _
from service.imports.errors import ColumnProblem, SheetRowError, SheetRowsRefused
from service.imports.reader import read_table
from service.schemas.assessments import MAX_CHOICES, MAX_QUESTIONS
from service.services.assessments.bank import LETTERS, TRUE_FALSE

Question = tuple[str, list[str], int]
MAX_SHEET_BYTES = 1024 * 1024

_NUMBER = re.compile(r"^\s*\d{1,3}\s*[.)]\s*")
_LETTER = re.compile(r"^\s*[a-fA-F]\s*[.)]\s*")
_MARK = re.compile(r"\s*\*\s*$|^\s*\*\s*")


# An evaluation's question without choice lines is asked on this scale.
DEFAULT_SCALE = ["1", "2", "3", "4", "5"]


def to_text(rows: Sequence[tuple[str, list[str], int | None]]) -> str:
    """Questions back in the text box's shape (for editing): parse_text reads it again."""
    blocks = []
    for n, (text, choices, key) in enumerate(rows, start=1):
        if key is not None and [c.casefold() for c in choices] == ["benar", "salah"]:
            blocks.append(f"{n}. {text}\n{choices[key]} *")
            continue
        lines = [f"{LETTERS[i]}. {c}{' *' if i == key else ''}" for i, c in enumerate(choices)]
        blocks.append("\n".join([f"{n}. {text}", *lines]))
    return "\n\n".join(blocks)


def parse_text(text: str, keyed: bool = True) -> list[tuple[str, list[str], int | None]]:
    """Blocks separated by an empty line: the question, then one line per choice with a
    "*" on the right one. A choice line "Benar *" or "Salah *" alone makes a true/false
    question. Unkeyed (an evaluation): no "*", and a question alone is asked on a 1-5
    scale."""
    blocks = [b for b in re.split(r"\n\s*\n", text.replace("\r\n", "\n").strip()) if b.strip()]
    if not blocks:
        raise FieldError("questions", "Write at least one question.", code="no_questions")
    if len(blocks) > MAX_QUESTIONS:
        raise FieldError("questions", "At most {n} questions.", code="too_many_questions",
                         n=MAX_QUESTIONS)
    out: list[tuple[str, list[str], int | None]] = []
    for n, block in enumerate(blocks, start=1):
        lines = [ln.strip() for ln in block.split("\n") if ln.strip()]
        question = _NUMBER.sub("", lines[0]).strip()
        choices: list[str] = []
        key = -1
        for line in lines[1:]:
            if _MARK.search(line):
                key = len(choices)
            choices.append(_LETTER.sub("", _MARK.sub("", line)).strip())
        if not keyed:
            choices = choices or list(DEFAULT_SCALE)
            problem = _problem(question, choices, 0)
            if problem:
                raise FieldError("questions", N_("Question {n}: {problem}"),
                                 code="question_invalid", n=n, problem=_(problem))
            out.append((question, choices, None))
            continue
        if len(choices) == 1 and choices[0].casefold() in ("benar", "salah", "b", "s"):
            key = 0 if choices[0].casefold() in ("benar", "b") else 1
            choices = list(TRUE_FALSE)
        problem = _problem(question, choices, key)
        if problem:
            raise FieldError("questions", N_("Question {n}: {problem}"),
                             code="question_invalid", n=n, problem=_(problem))
        out.append((question, choices, key))
    return out


def _problem(question: str, choices: list[str], key: int) -> str | None:
    if not question or len(question) > 1000:
        return N_("the question is empty or longer than 1000 characters.")
    if not 2 <= len(choices) <= MAX_CHOICES:
        return N_("give 2 to 6 choices, one per line.")
    if any(not c or len(c) > 300 for c in choices):
        return N_("a choice is empty or longer than 300 characters.")
    if key < 0:
        return N_("mark the right choice with a *.")
    return None


# --- spreadsheets -------------------------------------------------------------------------

_QUESTION_HEADERS = {"pertanyaan", "soal", "question", "butir soal", "butir pertanyaan"}
_KEY_HEADERS = {"jawaban", "kunci", "kunci jawaban", "answer", "jawaban benar", "key"}


def _header_field(cell: str) -> str | None:
    h = re.sub(r"[\s_.:]+", " ", cell.casefold()).strip()
    if h in _QUESTION_HEADERS:
        return "question"
    if h in _KEY_HEADERS:
        return "key"
    h = re.sub(r"^(pilihan|opsi|option|choice|jawaban)\s+", "", h)
    if len(h) == 1 and h in LETTERS:
        return h
    return None


def _rank(cells: list[str]) -> tuple[int, int, int]:
    fields = {f for f in (_header_field(c) for c in cells) if f}
    return 0, int("question" in fields), len(fields)


class QuestionColumnsMissing(ColumnProblem):
    def __init__(self) -> None:
        super().__init__(N_("The header row needs a column Pertanyaan, columns A, B, C ... "
                            "for the choices and a column Jawaban for the key."),
                         code="question_columns_missing")


def _check_header(headers: list[str]) -> None:
    found = {_header_field(h) for h in headers}
    if "question" not in found or "key" not in found:
        raise QuestionColumnsMissing()


RowError = SheetRowError


class QuestionRowsRefused(SheetRowsRefused):
    code = "question_rows_invalid"


def read_sheet(content: bytes, filename: str) -> list[Question]:
    """The questions of an .xlsx or .csv: all of them, or a QuestionRowsRefused."""
    table = read_table(content, filename, max_bytes=MAX_SHEET_BYTES,
                       max_rows=MAX_QUESTIONS + 50, check_header=_check_header,
                       rank_header=_rank)
    where: dict[str, int] = {}
    for i, h in enumerate(table.headers):
        found = _header_field(h)
        if found and found not in where:
            where[found] = i
    letters = [c for c in LETTERS if c in where]
    out: list[Question] = []
    errors: list[RowError] = []
    for number, cells in table.rows:
        def cell(name: str, cells: list[str] = cells) -> str:
            i = where.get(name)
            return cells[i].strip() if i is not None and i < len(cells) else ""
        question = cell("question")
        choices = [cell(c) for c in letters]
        while choices and not choices[-1]:
            choices.pop()
        if not question and not any(choices):
            continue
        key_text = cell("key").casefold().rstrip(".")
        if not choices and key_text in ("benar", "salah", "b", "s", "true", "false"):
            choices = list(TRUE_FALSE)
            key = 0 if key_text in ("benar", "b", "true") else 1
        elif len(key_text) == 1 and key_text in LETTERS:
            key = LETTERS.index(key_text)
            key = key if key < len(choices) else -1
        else:
            folded = [c.casefold() for c in choices]
            key = folded.index(key_text) if key_text and key_text in folded else -1
        problem = _problem(question, choices, key)
        if problem == N_("mark the right choice with a *."):
            problem = N_("the Jawaban column names no choice of this row (write a, b, c ...).")
        if problem:
            errors.append(RowError(number, problem, {}))
            continue
        out.append((question, choices, key))
    if errors:
        raise QuestionRowsRefused(errors)
    if not out:
        raise FieldError("file", "The file has no questions under its header row.",
                         code="no_questions")
    if len(out) > MAX_QUESTIONS:
        raise FieldError("file", "At most {n} questions.", code="too_many_questions",
                         n=MAX_QUESTIONS)
    return out

