"""An office's letter settings: the kop surat's lines, the place its letters are dated at,
the default signatory, and each kind's numbering (pattern and classification code). The
logo is the organization's own (services/org_logo.py)."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from service.errors import Conflict, FieldError
from service.i18n import N_
from service.models import Counter, LetterSettings, Organization, User
from service.models.base import utcnow
from service.models.letters import LETTER_KINDS
from service.schemas.letters import LetterKindSetting, LetterSettingsIn, LetterSettingsRead
from service.services.certificates import numbering


class LettersNotSetUp(Conflict):
    code, message = "letters_not_set_up", N_(
        "Letters are not set up yet: an admin fills in the kop surat, the signatory and "
        "the numbering under Settings > Letters first.")


def get(db: Session, org_id: int) -> LetterSettings | None:
    return db.get(LetterSettings, org_id)


def require(db: Session, org_id: int) -> LetterSettings:
    """The settings, or a 409 saying where to make them (before any number is used)."""
    found = get(db, org_id)
    if found is None or not found.header_lines or not found.signatory_name:
        raise LettersNotSetUp()
    return found


def kind_setting(s: LetterSettings, kind: str) -> LetterKindSetting:
    return LetterKindSetting(pattern=getattr(s, f"{kind}_pattern"),
                             code=getattr(s, f"{kind}_code"))


def counter_name(kind: str, year: int) -> str:
    """Each kind counts on its own, from 1 again every year."""
    return f"letter:{kind}:{year}"


def next_number(db: Session, org_id: int, s: LetterSettings, kind: str, on: date) -> str:
    """The number the next letter of `kind` dated `on` would get (nothing is reserved)."""
    value = db.exec(select(col(Counter.value)).where(
        Counter.organization_id == org_id,
        Counter.name == counter_name(kind, on.year))).first() or 0
    k = kind_setting(s, kind)
    return numbering.format_number(k.pattern, int(value) + 1, on, k.code)


def check_nip(nip: str) -> str:
    nip = nip.replace(" ", "")
    if nip and not (nip.isascii() and nip.isdigit() and len(nip) == 18):
        raise FieldError("signatory_nip", N_("A NIP has 18 digits."), code="invalid_nip")
    return nip


def save(db: Session, org_id: int, data: LetterSettingsIn, user: User | None) -> LetterSettings:
    """Check everything first, then write: a refused save changes nothing."""
    lines = [line for line in data.header_lines if line]
    if not lines:
        raise FieldError("header_lines", N_("Enter at least the office's name for the kop "
                                            "surat."), code="required")
    if not data.place:
        raise FieldError("place", N_("Enter the place letters are dated at, e.g. Padang."),
                         code="required")
    if not data.signatory_name:
        raise FieldError("signatory_name", N_("Enter who signs the letters."), code="required")
    if not data.signatory_position:
        raise FieldError("signatory_position", N_("Enter the signatory's position, e.g. "
                                                  "Kepala Dinas."), code="required")
    nip = check_nip(data.signatory_nip)
    row = get(db, org_id) or LetterSettings(organization_id=org_id)
    patterns: dict[str, tuple[str, str]] = {}
    for kind in LETTER_KINDS:
        k = data.kinds.get(kind) or kind_setting(row, kind)  # type: ignore[call-overload]
        patterns[kind] = (numbering.validate_pattern(k.pattern, f"{kind}_pattern",
                                                     with_code=True, code=k.code), k.code)
    row.header_lines = lines
    row.place, row.signatory_name, row.signatory_nip = data.place, data.signatory_name, nip
    row.signatory_position, row.contact = data.signatory_position, data.contact
    for kind, (pattern, code) in patterns.items():
        setattr(row, f"{kind}_pattern", pattern)
        setattr(row, f"{kind}_code", code)
    row.updated_at = utcnow()
    row.updated_by = user.id if user else None
    db.add(row)
    db.flush()
    return row


def has_logo(db: Session, org_id: int) -> bool:
    org = db.get(Organization, org_id)
    return bool(org and org.logo_png)


def read(db: Session, org_id: int, on: date) -> LetterSettingsRead:
    """The settings as the API and the page show them, with each kind's next number on
    `on`; the defaults (configured: false) before an admin saved any."""
    row = get(db, org_id)
    s = row or LetterSettings(organization_id=org_id)
    return LetterSettingsRead(
        configured=row is not None, header_lines=list(s.header_lines), place=s.place,
        signatory_name=s.signatory_name, signatory_nip=s.signatory_nip,
        signatory_position=s.signatory_position, contact=s.contact,
        has_logo=has_logo(db, org_id),
        kinds={k: kind_setting(s, k) for k in LETTER_KINDS},
        next_numbers={k: next_number(db, org_id, s, k, on) for k in LETTER_KINDS},
        updated_at=row.updated_at if row else None)


def today() -> date:
    """Today in western Indonesia, for the settings' next-number preview (an office's
    letters are dated where it sits; a training's letters use the training's zone)."""
    return datetime.now(ZoneInfo("Asia/Jakarta")).date()
