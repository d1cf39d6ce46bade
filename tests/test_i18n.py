"""The Indonesian catalog covers every message, with the same placeholders."""

import re
from pathlib import Path

from service.i18n import catalog, gettext, set_locale
from service.i18n.extract import extract_ids

PLACEHOLDER = re.compile(r"\{(\w+)\}")


def test_every_message_id_has_an_indonesian_translation() -> None:
    ids = extract_ids()
    assert len(ids) > 100
    missing = sorted(i for i in ids if not catalog("id").get(i))
    assert missing == [], f"run `python -m service.i18n.extract` and translate: {missing}"


def test_translations_keep_their_placeholders() -> None:
    for msgid, text in catalog("id").items():
        assert set(PLACEHOLDER.findall(msgid)) == set(PLACEHOLDER.findall(text)), msgid


def test_gettext_formats_in_the_current_locale() -> None:
    set_locale("en")
    assert gettext("Day {n}", n=2) == "Day 2"
    set_locale("id")
    assert gettext("Day {n}", n=2) == "Hari ke-2"
    set_locale("xx")
    assert gettext("Day {n}", n=2) == "Hari ke-2"


# A message id written inside an f-string: {_('...')} or {_("...")}.
_IN_FSTRING = re.compile(r"""\{_\((['"])(.+?)\1""")


def test_message_ids_inside_f_strings_are_translated_too() -> None:
    """Babel's extractor does not look into f-strings, so an id only used there escapes
    the catalog test above (the roster's "Printed on {date}" did, printing English on an
    Indonesian PDF). Each must be translated all the same."""
    root = Path(__file__).resolve().parents[1] / "service"
    translated = catalog("id")
    missing = {m.group(2) for path in root.rglob("*.py")
               for m in _IN_FSTRING.finditer(path.read_text()) if m.group(2) not in translated}
    assert not missing, f"ids inside f-strings without a translation: {sorted(missing)}"
