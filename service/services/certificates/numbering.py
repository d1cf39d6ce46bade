"""Certificate (and letter) numbers: a pattern the committee writes, and a named counter
per organization that only ever goes up, so a number is never handed out twice, even by
two issuings running at once in different app processes. Letters add a {code} (the
letter's classification code, "005") and keep one counter per kind and year."""

import re
from collections.abc import Callable
from datetime import date

from sqlalchemy import update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col

from service.errors import FieldError
from service.i18n import N_
from service.models import Counter

COUNTER = "certificate"
PLACEHOLDER = re.compile(r"\{([a-z_]+)(?::(0?[1-9]))?\}")
ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")
FIELDS: dict[str, Callable[[int, date], str | int]] = {
    "seq": lambda seq, _d: seq,
    "year": lambda _s, d: d.year,
    "month": lambda _s, d: d.month,
    "roman_month": lambda _s, d: ROMAN[d.month - 1],
    "day": lambda _s, d: d.day,
}
MAX_LENGTH = 120


def validate_pattern(pattern: str, field: str = "numbering_pattern", *,
                     with_code: bool = False, code: str = "") -> str:
    """The pattern, trimmed; a FieldError (on `field`) for an unknown placeholder, a stray
    brace or a missing {seq} (without it every certificate would get the same number).
    `with_code`: a letter's pattern, which may also hold {code} (filled with `code`)."""
    pattern = pattern.strip()
    if not pattern:
        raise FieldError(field, N_("Enter a numbering pattern."))
    names = [m.group(1) for m in PLACEHOLDER.finditer(pattern)]
    known = {*FIELDS, *(("code",) if with_code else ())}
    unknown = sorted({n for n in names if n not in known})
    if unknown and with_code:
        raise FieldError(field, N_(
            "Unknown placeholder {{{name}}}. Use {{seq}}, {{seq:03}}, {{code}}, {{year}}, "
            "{{month}}, {{roman_month}} or {{day}}."), code="invalid_pattern", name=unknown[0])
    if unknown:
        raise FieldError(field, N_(
            "Unknown placeholder {{{name}}}. Use {{seq}}, {{seq:03}}, {{year}}, {{month}}, "
            "{{roman_month}} or {{day}}."), code="invalid_pattern", name=unknown[0])
    if "{" in PLACEHOLDER.sub("", pattern) or "}" in PLACEHOLDER.sub("", pattern):
        raise FieldError(field, N_(
            "The pattern has a brace that is not part of a placeholder such as {seq:03}."),
            code="invalid_pattern")
    if names.count("seq") != 1:
        raise FieldError(field, N_(
            "The pattern needs {seq} exactly once: the running number."),
            code="invalid_pattern")
    if len(format_number(pattern, 10**9, date(2000, 12, 28), code)) > MAX_LENGTH:
        raise FieldError(field, N_("The pattern makes numbers that are too long."),
                         code="invalid_pattern")
    return pattern


def format_number(pattern: str, seq: int, on: date, code: str = "") -> str:
    """The number `pattern` makes for running number `seq` on the day `on`; {code} (a
    letter's classification code) prints `code`."""
    def one(m: re.Match[str]) -> str:
        if m.group(1) == "code":
            return code
        value = FIELDS[m.group(1)](seq, on)
        width = m.group(2)
        return f"{value:0{int(width)}d}" if width and isinstance(value, int) else str(value)

    return PLACEHOLDER.sub(one, pattern)


def _insert(db: Session) -> type[postgresql.Insert] | type[sqlite.Insert]:
    return postgresql.Insert if db.get_bind().dialect.name == "postgresql" else sqlite.Insert


def lock(db: Session, organization_id: int, name: str = COUNTER) -> None:
    """Take the organization's counter row `name` for this transaction (creating it once):
    a second issuing waits here until the first commits, then sees its certificates."""
    stmt = _insert(db)(Counter).values(organization_id=organization_id, name=name, value=0)
    db.execute(stmt.on_conflict_do_nothing(index_elements=["organization_id", "name"]))
    db.execute(update(Counter).where(col(Counter.organization_id) == organization_id,
                                     col(Counter.name) == name)
               .values(value=col(Counter.value)).execution_options(synchronize_session=False))


def reserve(db: Session, organization_id: int, count: int, name: str = COUNTER) -> range:
    """`count` fresh sequence numbers of counter `name`: one atomic UPDATE ... RETURNING,
    settled by the database however many processes ask at once."""
    lock(db, organization_id, name)
    top = db.execute(update(Counter)
                     .where(col(Counter.organization_id) == organization_id,
                            col(Counter.name) == name)
                     .values(value=col(Counter.value) + count)
                     .returning(col(Counter.value))
                     .execution_options(synchronize_session=False)).scalar_one()
    return range(int(top) - count + 1, int(top) + 1)
