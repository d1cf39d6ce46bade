"""The standard evaluation forms: defaults, and an organization's own version of each."""

import re
from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from service.errors import Conflict, FieldError, NotFound
from service.i18n import N_
from service.i18n import gettext as _
from service.models import EvaluationForm, User
from service.models.base import utcnow
from service.models.evaluations import EVALUATION_FORM_KEYS
from service.schemas.evaluations import FormUpdate

# The defaults, in English msgids: shown translated until an office saves its own version
# (then stored as written). Keys are stable: answers are kept by key.
DEFAULTS: dict[str, tuple[str, list[tuple[str, str]]]] = {
    "narasumber": (N_("Evaluation of the narasumber"), [
        ("mastery", N_("Mastery of the material")),
        ("delivery", N_("Delivery: clear, engaging, answers questions")),
        ("time", N_("Use of time")),
        ("relevance", N_("Relevance of the material to my work")),
    ]),
    "event": (N_("Evaluation of the event"), [
        ("venue", N_("Venue and room")),
        ("food", N_("Food and drinks")),
        ("organisation", N_("Organisation by the committee")),
        ("materials", N_("Training materials and handouts")),
    ]),
}
FORM_LABELS = {"narasumber": N_("Narasumber (each session)"), "event": N_("The event")}
_KEY = re.compile(r"^[a-z0-9_]{1,24}$")


@dataclass(frozen=True)
class FormItem:
    key: str
    text: str


@dataclass(frozen=True)
class FormSpec:
    key: str
    title: str
    scale: int
    items: list[FormItem]
    customized: bool

    def item_keys(self) -> list[str]:
        return [i.key for i in self.items]


class UnknownForm(NotFound):
    code, message = "evaluation_form_not_found", N_(
        "There is no such evaluation form: use narasumber or event.")


def check_key(key: str) -> str:
    if key not in EVALUATION_FORM_KEYS:
        raise UnknownForm()
    return key


def _default(key: str) -> FormSpec:
    title, items = DEFAULTS[key]
    return FormSpec(key, _(title), 5, [FormItem(k, _(text)) for k, text in items], False)


def _spec(row: EvaluationForm) -> FormSpec:
    return FormSpec(row.key, row.title, row.scale,
                    [FormItem(i["key"], i["text"]) for i in row.items], True)


def get_form(db: Session, organization_id: int, key: str) -> FormSpec:
    """The organization's form, or the default while it has saved none."""
    check_key(key)
    row = db.exec(select(EvaluationForm).where(EvaluationForm.organization_id == organization_id,
                                               EvaluationForm.key == key)).first()
    return _spec(row) if row else _default(key)


def list_forms(db: Session, organization_id: int) -> list[FormSpec]:
    return [get_form(db, organization_id, key) for key in EVALUATION_FORM_KEYS]


def _keyed(data: FormUpdate, current: FormSpec) -> list[dict[str, str]]:
    """The items with their keys: a sent key names the item it was, an unsent one takes
    the key of the current item with the same text, else a fresh one."""
    by_text = {i.text.casefold(): i.key for i in current.items}
    taken: set[str] = set()
    out: list[dict[str, str]] = []
    for n, item in enumerate(data.items):
        key = item.key or by_text.get(item.text.casefold())
        if key is None or key in taken:
            key = next(f"q{m}" for m in range(n + 1, 100) if f"q{m}" not in taken
                       and f"q{m}" not in by_text.values())
        if not _KEY.match(key):
            raise FieldError("items", "Not a valid value.")
        taken.add(key)
        out.append({"key": key, "text": item.text})
    if len({i["text"].casefold() for i in out}) != len(out):
        raise FieldError("items", "Two questions have the same text.")
    return out


def save_form(db: Session, organization_id: int, key: str, data: FormUpdate,
              user: User) -> FormSpec:
    """Replace the organization's version of the form (answers already given keep their
    items by key; an item removed is no longer reported)."""
    current = get_form(db, organization_id, key)
    items = _keyed(data, current)
    row = db.exec(select(EvaluationForm).where(EvaluationForm.organization_id == organization_id,
                                               EvaluationForm.key == key)).first()
    if row is None:
        row = EvaluationForm(organization_id=organization_id, key=key, title=data.title,
                             scale=data.scale, items=items, updated_by=user.id)
        try:
            # Two admins saving the office's first version at once: the unique key
            # keeps one, the other is told to look again (never a 500).
            with db.begin_nested():
                db.add(row)
                db.flush()
        except IntegrityError:
            raise Conflict("Someone saved this form at the same moment. Open it again "
                           "to see their version.", code="form_changed") from None
    else:
        row.title, row.scale, row.items = data.title, data.scale, items
        row.updated_at, row.updated_by = utcnow(), user.id
        db.add(row)
        db.flush()
    return _spec(row)


def reset_form(db: Session, organization_id: int, key: str) -> FormSpec:
    """Back to the default form."""
    check_key(key)
    row = db.exec(select(EvaluationForm).where(EvaluationForm.organization_id == organization_id,
                                               EvaluationForm.key == key)).first()
    if row is not None:
        db.delete(row)
        db.flush()
    return _default(key)
