"""Collect every message id from the code and templates (for the catalog and its test).

`python -m service.i18n.extract` rewrites id.po: new ids are added untranslated,
translations of existing ids are kept, ids no longer used are dropped.
"""

from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[2]
# The callables whose string arguments are message ids: gettext itself, the N_()
# marker, and the error classes that take a message.
KEYWORDS = {
    "_": None, "gettext": None, "ngettext": (1, 2), "N_": None,
    "FieldError": (2,), "NotFound": None, "Conflict": None, "Unauthorized": None,
    "Forbidden": None, "DomainError": None,
}


def extract_ids() -> set[str]:
    ids: set[str] = set()
    for folder, method in (("service", "python"), ("frontend/templates", "jinja2")):
        method_map = [("**.py", "python")] if method == "python" else \
            [("**.html", "jinja2.ext:babel_extract")]
        for _file, _line, message, _comments, _ctx in extract_from_dir(
                ROOT / folder, method_map=method_map, keywords=KEYWORDS):
            for m in message if isinstance(message, tuple) else (message,):
                if m:
                    ids.add(m)
    return ids


def update_catalog(locale: str = "id") -> tuple[int, int]:
    path = ROOT / "service" / "i18n" / f"{locale}.po"
    old = read_po(path.open("rb"), locale=locale) if path.exists() else Catalog(locale=locale)
    known = {str(m.id): str(m.string) for m in old if m.id}
    new = Catalog(locale=locale, project="Bimtek", fuzzy=False)
    ids = sorted(extract_ids())
    for msgid in ids:
        new.add(msgid, known.get(msgid, ""))
    with path.open("wb") as fh:
        write_po(fh, new, width=100, omit_header=False, sort_output=True)
    return len(ids), sum(1 for i in ids if not known.get(i))


if __name__ == "__main__":
    total, missing = update_catalog()
    print(f"{total} message ids, {missing} without an Indonesian translation")
