"""Checking every row of an uploaded participant list, and naming each problem's cell.

Pure: the caller passes what the database knows (the training's categories, the NIKs
and contacts already registered); nothing here touches a session. Each field is
cleaned by `clean_participant`, the same function the form and the API use, so an
imported participant is held to exactly the same rules. What Excel does to long numbers
(a NIK shown as 6,17101E+15, or stored as a number that kept only 15 digits) is named
as such, with how to fix it, before those rules run.

Categories: a spelling the training knows is written as the training spells it; another
is taken as a new category when the training has none (`adopt_categories`), or as the
committee chose for that spelling (`category_choices`); otherwise it is a problem.
"""

import re
from collections.abc import Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field, replace
from datetime import date

from service.i18n import N_, gettext
from service.imports.columns import ColumnMapping
from service.imports.errors import ColumnProblem
from service.imports.reader import Table
from service.services.participant_fields import (
    TEXT_LIMITS,
    ParticipantFields,
    Problem,
    clean_participant,
    clean_text,
    contact_key,
)


@dataclass(frozen=True)
class ImportedRow:
    row: int
    fields: ParticipantFields


# A category choice: take the file's spelling as a new category of the training.
NEW_CATEGORY = "+"
# A training holds at most this many categories (the training form's limit too).
MAX_CATEGORIES = 50
# Numbers in scientific notation as Excel shows them: 6,17101E+15 or 6.17101E+015.
_SCIENTIFIC = re.compile(r"^\d+(?:[.,]\d+)?\s*[eE]\s*\+?\s*\d+$")
UNKNOWN_CATEGORY = N_('"{value}" is not a category of this training. Use one of: {allowed}.')
_SCIENTIFIC_MESSAGES = {
    "nik": N_("Excel turned this NIK into a rounded number ({value}), so its digits are lost. "
              "In Excel, format the NIK column as Text (Format Cells > Text) and type or paste "
              "the NIKs again, or type an apostrophe before each one ('6171...)."),
    "nip": N_("Excel turned this NIP into a rounded number ({value}), so its digits are lost. "
              "In Excel, format the NIP column as Text (Format Cells > Text) and type or paste "
              "the NIPs again, or type an apostrophe before each one ('1979...)."),
    "phone": N_("Excel turned this phone number into a rounded number ({value}), so its "
                "digits are lost. In Excel, format the column as Text (Format Cells > Text) "
                "and type the numbers again, starting with 08."),
}
_NUMERIC_NIK = N_("Excel stored this NIK as a number, which keeps only 15 digits, so its last "
                  "digit became 0. In Excel, format the NIK column as Text (Format Cells > "
                  "Text) and type or paste the NIKs again, or type an apostrophe before each "
                  "one ('6171...).")
_NUMERIC_NIP = N_("Excel stored this NIP as a number, which keeps only 15 digits, so its last "
                  "digits became 0. In Excel, format the NIP column as Text (Format Cells > "
                  "Text) and type or paste the NIPs again, or type an apostrophe before each "
                  "one ('1979...).")


@dataclass(frozen=True)
class RowError:
    row: int
    column: str  # the header as written in the file; "" when the whole row is meant
    message: str  # already translated into the current locale
    # Derived from the above, so not compared: the column's position, to correct the cell
    # on the page; "unknown_category" for a spelling the committee may map on the page.
    index: int | None = field(default=None, compare=False)
    code: str = field(default="", compare=False)


@dataclass
class CategorySpelling:
    """A category written in the file that the training does not have (yet)."""

    spelling: str  # as first written
    rows: int
    # The training's category it is taken as, NEW_CATEGORY, or None while undecided.
    target: str | None


@dataclass
class ValidatedImport:
    rows: list[ImportedRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    # Categories the import adds to the training, in the order the file names them.
    new_categories: list[str] = field(default_factory=list)
    # Every spelling the training did not know, decided or not, by casefolded spelling.
    spellings: dict[str, CategorySpelling] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def undecided(self) -> list[CategorySpelling]:
        return [s for s in self.spellings.values() if s.target is None]


@dataclass
class _Categories:
    """How each category spelling of the file lands, decided once per spelling."""

    known: Mapping[str, str]
    choices: Mapping[str, str]
    adopt: bool
    result: ValidatedImport
    column: str  # the category column's header, to name it

    def resolve(self, text: str) -> tuple[str | None, bool]:
        """(the category a row gets, or None; whether it is a new one)."""
        key = text.casefold()
        canonical = self.known.get(key)
        if canonical is not None:
            return canonical, False
        spelling = self.result.spellings.get(key)
        if spelling is None:
            target = NEW_CATEGORY if self.adopt else self.choices.get(key)
            spelling = CategorySpelling(text, 0, target)
            self.result.spellings[key] = spelling
            if target == NEW_CATEGORY:
                self.result.new_categories.append(text)
        spelling.rows += 1
        if spelling.target == NEW_CATEGORY:
            return spelling.spelling, True
        return spelling.target, False


@dataclass
class _Seen:
    """First row of each NIK and contact in the file, to name it in a duplicate's error;
    and of each NIP, with the rows' NIKs (people.matching: one NIP under two NIKs is two
    people)."""

    niks: dict[str, int] = field(default_factory=dict)
    contacts: dict[str, int] = field(default_factory=dict)
    nips: dict[str, list[tuple[int, str | None]]] = field(default_factory=dict)


def apply_corrections(table: Table, corrections: Mapping[tuple[int, int], str]) -> Table:
    """The table with the committee's corrections (row number, column index) -> text put in
    its cells; a corrected cell was typed, so it no longer counts as a numeric cell."""
    if not corrections:
        return table
    rows = []
    for number, values in table.rows:
        changed = [corrections.get((number, index), value) for index, value in enumerate(values)]
        rows.append((number, changed))
    return replace(table, rows=rows, numeric=table.numeric - set(corrections))


def validate_rows(table: Table, mapping: ColumnMapping, *, categories: Mapping[str, str],
                  existing_niks: AbstractSet[str], existing_contacts: AbstractSet[str],
                  today: date | None = None, category_choices: Mapping[str, str] | None = None,
                  adopt_categories: bool = False) -> ValidatedImport:
    """Clean every row; rows with no problem go to `rows`, every problem to `errors`.

    `categories` maps a casefolded category name to its canonical spelling;
    `category_choices` a casefolded spelling the training does not know to one of its
    canonical names or NEW_CATEGORY; `adopt_categories` takes every unknown spelling as
    new (for a training without categories). Raises ColumnProblem when the mapping has no
    name column or a field twice, or the file names more categories than a training holds.
    """
    mapping.check()
    if len(mapping.headers) != len(table.headers):
        raise ValueError("the column mapping was made for another table")
    columns = [(index, f) for index, f in enumerate(mapping.fields) if f is not None]
    result = ValidatedImport()
    seen = _Seen()
    cats = _Categories(categories, category_choices or {}, adopt_categories, result,
                       mapping.header_of("category"))
    for number, values in table.rows:
        raw = {f: values[index] for index, f in columns}
        damaged = _excel_damage(raw, number, mapping, table.numeric)
        fields, problems = clean_participant(raw, today)
        problems = damaged + problems
        problems += _category_problems(raw.get("category", ""), cats, fields)
        if fields is not None and not problems:
            problems += _duplicate_problems(fields, number, seen, existing_niks,
                                            existing_contacts)
        if fields is not None and not problems:
            result.rows.append(ImportedRow(row=number, fields=fields))
        else:
            result.errors.extend(_row_error(number, p, mapping) for p in problems)
    return result


def _excel_damage(raw: dict[str, str], number: int, mapping: ColumnMapping,
                  numeric: AbstractSet[tuple[int, int]]) -> list[Problem]:
    """What Excel did to a NIK, NIP or phone number, said as such; the cell is then left
    out of the usual checks, whose "a NIK has 16 digits" would not help."""
    problems = []
    for name in ("nik", "nip", "phone"):
        text = clean_text(raw.get(name, ""))
        if not text:
            continue
        digits = text.replace(" ", "").replace(".", "")
        from_number = (number, mapping.column_of(name)) in numeric
        if _SCIENTIFIC.match(text.replace(" ", "")):
            problems.append(Problem(name, _SCIENTIFIC_MESSAGES[name], {"value": text}))
        elif name == "nik" and from_number and len(digits) == 16 and digits.endswith("0"):
            problems.append(Problem(name, _NUMERIC_NIK))
        elif name == "nip" and from_number and len(digits) >= 16:
            problems.append(Problem(name, _NUMERIC_NIP))
        else:
            continue
        raw[name] = ""
    return problems


def _category_problems(value: str, cats: _Categories,
                       fields: ParticipantFields | None) -> list[Problem]:
    """Check a category against the training's; on success, spell it as the training does."""
    text = clean_text(value)
    if not text or len(text) > TEXT_LIMITS["category"]:
        return []  # too long: clean_participant said so already
    if not cats.known and not cats.adopt and not cats.choices:
        return [Problem("category", N_("This training has no categories."))]
    canonical, new = cats.resolve(text)
    if canonical is None:
        allowed = ", ".join(sorted(cats.known.values()))
        return [Problem("category", UNKNOWN_CATEGORY, {"value": text, "allowed": allowed})]
    if new and len(cats.result.new_categories) + len(cats.known) > MAX_CATEGORIES:
        raise ColumnProblem(
            N_('The column "{column}" holds more than {limit} different categories, more '
               'than a training has. Is it the right column for the category?'),
            code="too_many_categories", column=cats.column, limit=MAX_CATEGORIES)
    if fields is not None:
        fields.category = canonical
    return []


def _duplicate_problems(fields: ParticipantFields, number: int, seen: _Seen,
                        existing_niks: AbstractSet[str], existing_contacts: AbstractSet[str]
                        ) -> list[Problem]:
    """One duplicate problem at most: a NIK clash already says it is the same person.

    Only rows that are otherwise valid are compared (a row with a bad NIK has no NIK to
    compare); once the committee fixes it, the next upload reports any clash.
    """
    if fields.nik:
        if fields.nik in existing_niks:
            return [Problem("nik", N_("This NIK is already registered for this training."))]
        first = seen.niks.setdefault(fields.nik, number)
        if first != number:
            return [Problem("nik", N_("Same NIK as row {row}."), {"row": first})]
    if fields.nip:
        earlier = seen.nips.setdefault(fields.nip, [])
        same = next((row for row, nik in earlier
                     if not (nik and fields.nik) or nik == fields.nik), None)
        if same is not None:
            return [Problem("nip", N_("Same NIP as row {row}."), {"row": same})]
        earlier.append((number, fields.nik))
    contact = contact_key(fields.phone, fields.name)
    if contact:
        if contact in existing_contacts:
            return [Problem("phone", N_("A participant with this phone number and name is "
                                        "already registered for this training."))]
        first = seen.contacts.setdefault(contact, number)
        if first != number:
            return [Problem("phone", N_("Same phone number and name as row {row}."),
                            {"row": first})]
    return []


def _row_error(number: int, problem: Problem, mapping: ColumnMapping) -> RowError:
    return RowError(row=number, column=mapping.header_of(problem.field),
                    message=gettext(problem.message, **problem.params),
                    index=mapping.column_of(problem.field),
                    code="unknown_category" if problem.message == UNKNOWN_CATEGORY else "")
