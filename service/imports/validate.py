"""Checking every row of an uploaded participant list, and naming each problem's cell.

Pure: the caller passes what the database knows (the training's categories, the NIKs
and contacts already registered); nothing here touches a session. Each field is
cleaned by `clean_participant`, the same function the form and the API use, so an
imported participant is held to exactly the same rules.
"""

from collections.abc import Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from datetime import date

from service.i18n import N_, gettext
from service.imports.columns import ColumnMapping
from service.imports.reader import Table
from service.services.participant_fields import (
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


@dataclass(frozen=True)
class RowError:
    row: int
    column: str  # the header as written in the file; "" when the whole row is meant
    message: str  # already translated into the current locale


@dataclass
class ValidatedImport:
    rows: list[ImportedRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class _Seen:
    """First row of each NIK and contact in the file, to name it in a duplicate's error."""

    niks: dict[str, int] = field(default_factory=dict)
    contacts: dict[str, int] = field(default_factory=dict)


def validate_rows(table: Table, mapping: ColumnMapping, *, categories: Mapping[str, str],
                  existing_niks: AbstractSet[str], existing_contacts: AbstractSet[str],
                  today: date | None = None) -> ValidatedImport:
    """Clean every row; rows with no problem go to `rows`, every problem to `errors`.

    `categories` maps a casefolded category name to its canonical spelling.
    Raises ColumnProblem when the mapping has no name column or a field twice.
    """
    mapping.check()
    if len(mapping.headers) != len(table.headers):
        raise ValueError("the column mapping was made for another table")
    columns = [(index, f) for index, f in enumerate(mapping.fields) if f is not None]
    result = ValidatedImport()
    seen = _Seen()
    for number, values in table.rows:
        raw = {f: values[index] for index, f in columns}
        fields, problems = clean_participant(raw, today)
        problems += _category_problems(raw.get("category", ""), categories, fields)
        if fields is not None and not problems:
            problems += _duplicate_problems(fields, number, seen, existing_niks,
                                            existing_contacts)
        if fields is not None and not problems:
            result.rows.append(ImportedRow(row=number, fields=fields))
        else:
            result.errors.extend(_row_error(number, p, mapping) for p in problems)
    return result


def _category_problems(value: str, categories: Mapping[str, str],
                       fields: ParticipantFields | None) -> list[Problem]:
    """Check a category against the training's; on success, spell it as the training does."""
    text = clean_text(value)
    if not text:
        return []
    if not categories:
        return [Problem("category", N_("This training has no categories."))]
    canonical = categories.get(text.casefold())
    if canonical is None:
        allowed = ", ".join(sorted(categories.values()))
        return [Problem("category", N_('"{value}" is not a category of this training. '
                                       'Use one of: {allowed}.'),
                        {"value": text, "allowed": allowed})]
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
                    message=gettext(problem.message, **problem.params))
