"""The Indonesian catalog covers every message, with the same placeholders."""

import re

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
