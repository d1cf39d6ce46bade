"""Cleaning one participant's fields, the same way for the form, the API and each imported row.

Returns every problem at once (field, message id, parameters) so a form can mark each
field and an import can list each cell. Names are kept as written: only the outer
whitespace goes and inner runs of spaces shrink to one (cells pasted from Excel carry
tabs and double spaces); "Hj. Nur'aini, S.Pd." stays "Hj. Nur'aini, S.Pd.".
"""

import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from dataclasses import field as dc_field
from datetime import date
from typing import Any, TypeVar

import phonenumbers

from service.i18n import N_

T = TypeVar("T")

# BPS province codes (the NIK's first two digits), including the 2022 Papua provinces.
PROVINCE_CODES = frozenset({
    11, 12, 13, 14, 15, 16, 17, 18, 19, 21, 31, 32, 33, 34, 35, 36, 51, 52, 53,
    61, 62, 63, 64, 65, 71, 72, 73, 74, 75, 76, 81, 82, 91, 92, 93, 94, 95, 96, 97,
})
GENDERS = {"l": "L", "lk": "L", "laki-laki": "L", "laki laki": "L", "lakilaki": "L",
           "pria": "L", "m": "L", "male": "L", "p": "P", "pr": "P", "perempuan": "P",
           "wanita": "P", "f": "P", "female": "P"}
TEXT_LIMITS = {"name": 200, "institution": 200, "position": 200, "rank": 60, "village": 120,
               "district": 120, "regency": 120, "province": 120, "kampung_kb": 200,
               "category": 120, "email": 254}
OPTIONAL_TEXT = ("institution", "position", "rank", "village", "district", "regency",
                 "province", "kampung_kb")
_EMAIL = re.compile(r"^[^@\s<>\"]+@[^@\s<>\"]+\.[^@\s<>\".]{2,}$")
_SPACES = re.compile(r"\s+")
_PHONE_PUNCTUATION = re.compile(r"[\s\-.()]")
_MOBILE = re.compile(r"^(?:\+?62|0)(8\d{7,11})$")
# No real name holds markup or a spreadsheet formula: "<script>" and "=cmd|" are refused.
_NAME_FORBIDDEN = re.compile(r"[<>{}|\\=;]|^[+\-@]")


@dataclass(frozen=True)
class Problem:
    field: str
    message: str  # an untranslated message id; params fill its {placeholders}
    params: dict[str, Any] = dc_field(default_factory=dict)


@dataclass
class ParticipantFields:
    name: str
    nik: str | None = None
    gender: str | None = None
    birth_date: date | None = None
    phone: str | None = None
    email: str | None = None
    category: str | None = None
    institution: str | None = None
    position: str | None = None  # jabatan
    rank: str | None = None  # pangkat/golongan, e.g. "Penata Tk. I (III/d)"
    nip: str | None = None
    village: str | None = None
    district: str | None = None
    regency: str | None = None
    province: str | None = None
    kampung_kb: str | None = None


@dataclass(frozen=True)
class NikInfo:
    gender: str
    birth_date: date


class FieldProblem(ValueError):
    def __init__(self, message: str, **params: Any) -> None:
        super().__init__(message)
        self.message, self.params = message, params


def clean_text(value: object) -> str:
    """Outer whitespace off, inner runs of whitespace to one space, invisible controls out."""
    text = "" if value is None else str(value)
    if not text.isprintable():
        # Rare (pasted cells): the per-character pass only runs when something is there.
        # Lone surrogates and U+FFFE/U+FFFF too: no spreadsheet or XML can hold them.
        text = "".join(ch for ch in text if (unicodedata.category(ch) not in ("Cc", "Cf", "Cs")
                                             and ch not in "\ufffe\uffff") or ch in "\t\n\r")
    return _SPACES.sub(" ", text).strip()


def name_key(name: str) -> str:
    """How two spellings of one name compare: case and spacing do not matter."""
    return clean_text(name).casefold()


def contact_key(phone: str | None, name: str) -> str | None:
    """Same phone and same name (spelled alike) is the same person, NIK or not."""
    return f"{phone}|{name_key(name)}"[:240] if phone else None


def parse_nik(raw: str, today: date | None = None) -> NikInfo:
    """Check a NIK's shape and date part; women's day of birth is stored plus 40."""
    nik = raw.replace(" ", "").replace(".", "")
    if not nik.isascii() or not nik.isdigit() or len(nik) != 16:
        raise FieldProblem(N_("A NIK has exactly 16 digits."))
    if int(nik[:2]) not in PROVINCE_CODES:
        raise FieldProblem(N_("The NIK starts with {code}, which is not a province code."),
                           code=nik[:2])
    if int(nik[2:4]) == 0 or int(nik[4:6]) == 0:
        raise FieldProblem(N_("The NIK's regency or district code is 00."))
    day, month, year2 = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    gender = "P" if day > 40 else "L"
    day = day - 40 if day > 40 else day
    this_year = (today or date.today()).year
    year = 2000 + year2 if 2000 + year2 <= this_year else 1900 + year2
    try:
        born = date(year, month, day)
    except ValueError:
        raise FieldProblem(N_("The NIK's date part ({part}) is not a date of birth."),
                           part=nik[6:12]) from None
    if int(nik[12:]) == 0:
        raise FieldProblem(N_("The NIK's last four digits cannot be 0000."))
    return NikInfo(gender=gender, birth_date=born)


def parse_nip(raw: str, today: date | None = None) -> NikInfo:
    """Check a civil servant's NIP: 18 digits holding the date of birth (YYYYMMDD), the
    month they became a civil servant (TMT, YYYYMM), gender (1 man, 2 woman) and a
    serial number, e.g. 19790312 200501 2 004."""
    nip = raw.replace(" ", "").replace(".", "").replace("-", "")
    if not nip.isascii() or not nip.isdigit() or len(nip) != 18:
        raise FieldProblem(N_("A NIP has exactly 18 digits."))
    this_year = (today or date.today()).year
    try:
        born = date(int(nip[:4]), int(nip[4:6]), int(nip[6:8]))
    except ValueError:
        raise FieldProblem(N_("The NIP's first 8 digits ({part}) are not a date of birth."),
                           part=nip[:8]) from None
    tmt_year, tmt_month = int(nip[8:12]), int(nip[12:14])
    if not 1 <= tmt_month <= 12:
        raise FieldProblem(N_("The NIP's digits 9 to 14 ({part}) are not a year and month "
                              "of appointment (TMT)."), part=nip[8:14])
    if not born.year + 17 <= tmt_year <= this_year + 1 or born.year < this_year - 100:
        raise FieldProblem(N_("The NIP's date of birth ({born}) and appointment year ({tmt}) "
                              "do not fit together."), born=nip[:8], tmt=nip[8:12])
    if nip[14] not in "12":
        raise FieldProblem(N_("The NIP's 15th digit is 1 (man) or 2 (woman), not {digit}."),
                           digit=nip[14])
    return NikInfo(gender="L" if nip[14] == "1" else "P", birth_date=born)


def normalize_phone(raw: str) -> str:
    """An Indonesian number in +62 form: 0812-3456-7890, 62812..., +62 812... all agree."""
    text = raw.strip()
    mobile = _MOBILE.match(_PHONE_PUNCTUATION.sub("", text))
    if mobile:
        # The usual shapes (0812..., 62812..., +62 812-...) skip phonenumbers' parser,
        # the slowest step of a 10,000-row import; its validity check still applies.
        number = phonenumbers.PhoneNumber(country_code=62,
                                          national_number=int(mobile.group(1)))
    else:
        if text.startswith("62"):
            text = "+" + text
        try:
            number = phonenumbers.parse(text, "ID")
        except phonenumbers.NumberParseException:
            raise FieldProblem(N_("Not a phone number.")) from None
    if not phonenumbers.is_valid_number(number):
        raise FieldProblem(N_("Not a valid Indonesian phone number (e.g. 0812 3456 7890)."))
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def parse_gender(raw: str) -> str:
    found = GENDERS.get(raw.strip().casefold().rstrip("."))
    if found is None:
        raise FieldProblem(N_("Write L (laki-laki) or P (perempuan)."))
    return found


def _text(raw: Mapping[str, object], name: str, problems: list[Problem]) -> str | None:
    value = clean_text(raw.get(name))
    limit = TEXT_LIMITS[name]
    if len(value) > limit:
        problems.append(Problem(name, N_("Too long: at most {max_length} characters."),
                                {"max_length": limit}))
        return None
    return value or None


def _parsed(raw: Mapping[str, object], name: str, parse: Callable[[str], T],
            problems: list[Problem]) -> T | None:
    """The parsed value of a non-empty field, or None (its problem noted) when it is bad."""
    text = clean_text(raw.get(name))
    if not text:
        return None
    try:
        return parse(text)
    except FieldProblem as exc:
        problems.append(Problem(name, exc.message, exc.params))
        return None


def clean_participant(raw: Mapping[str, object], today: date | None = None
                      ) -> tuple[ParticipantFields | None, list[Problem]]:
    """Clean a participant's fields; (fields, []) when all is well, else (None, problems)."""
    problems: list[Problem] = []
    name = _text(raw, "name", problems) or ""
    if not name and not any(p.field == "name" for p in problems):
        problems.append(Problem("name", N_("This field is required.")))
    elif name and not any(ch.isalpha() for ch in name):
        problems.append(Problem("name", N_("A name must contain letters.")))
    elif name and _NAME_FORBIDDEN.search(name):
        problems.append(Problem("name", N_(
            "A name cannot contain < > { } | \\ = ; or start with + - @.")))
    out = ParticipantFields(name=name)
    for key in OPTIONAL_TEXT:
        setattr(out, key, _text(raw, key, problems))
    out.category = _text(raw, "category", problems)

    nik = _parsed(raw, "nik", lambda text: parse_nik(text, today), problems)
    if nik is not None:
        out.nik = clean_text(raw.get("nik")).replace(" ", "").replace(".", "")
        out.gender, out.birth_date = nik.gender, nik.birth_date
    nip = _parsed(raw, "nip", lambda text: parse_nip(text, today), problems)
    if nip is not None:
        out.nip = "".join(ch for ch in clean_text(raw.get("nip")) if ch.isdigit())
        # The NIK is the better source; the NIP fills in when no NIK was given.
        out.gender = out.gender or nip.gender
        out.birth_date = out.birth_date or nip.birth_date
    # A stated gender wins over the one the NIK or NIP implies.
    out.gender = _parsed(raw, "gender", parse_gender, problems) or out.gender
    out.phone = _parsed(raw, "phone", normalize_phone, problems)
    email = _text(raw, "email", problems)
    if email:
        if _EMAIL.match(email):
            out.email = email
        else:
            problems.append(Problem("email", N_("Not a valid email address.")))
    return (None, problems) if problems else (out, [])
