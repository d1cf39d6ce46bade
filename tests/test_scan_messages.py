"""Every word the door scanner can show is Indonesian on an Indonesian scanner: the
messages its script gets (its own offline refusals included), and the server's refusals
at the door. The browser walk of the same refusals is tests/browser/test_scanner_language.py.
"""

import re
from pathlib import Path

import pytest

from service.errors import DomainError
from service.i18n import catalog, use_locale
from service.routers.pages.scan import messages
from service.services.checkin_manifest import TOO_MANY_SEARCHES
from service.services.checkins import (
    InvalidTime,
    NonceReused,
    NoSessionOpen,
    WrongBatch,
    WrongDay,
    WrongTraining,
)
from service.services.housekeeping import RateLimited
from service.services.ticket_codes import InvalidTicket
from service.services.tickets import TicketCancelled, TicketSuperseded
from tests.browser.test_scanner_language import english_words

SCANNER_JS = Path(__file__).resolve().parents[1] / "frontend" / "static" / "js" / "scanner"
# The same in both languages on purpose.
SAME_IN_BOTH = {"nik"}


def test_every_scanner_message_is_translated() -> None:
    with use_locale("en"):
        english = messages()
    with use_locale("id"):
        indonesian = messages()
    untranslated = sorted(k for k, text in indonesian.items()
                          if text == english[k] and k not in SAME_IN_BOTH)
    assert untranslated == []


def test_no_scanner_message_holds_an_english_word() -> None:
    with use_locale("id"):
        # Placeholders ({time}, {batch}) are filled in by the script.
        shown = {k: re.sub(r"\{\w+\}", "", v) for k, v in messages().items()}
    assert {k: english_words([v]) for k, v in shown.items() if english_words([v])} == {}


def test_every_refusal_the_phone_decides_offline_has_a_message() -> None:
    """logic.js refuses with these codes when there is no network; app.js shows T[code]."""
    codes = set(re.findall(r'reject\("(\w+)"', (SCANNER_JS / "logic.js").read_text()))
    assert codes >= {"invalid_ticket", "wrong_training", "cancelled", "wrong_batch",
                     "wrong_day", "out_of_date", "not_found", "no_session_open"}
    assert codes - set(messages()) == set()


def test_every_message_key_the_script_reads_is_given() -> None:
    """app.js reads T.<key>: each one is in the page's messages."""
    used = set(re.findall(r"\bT\.(\w+)", (SCANNER_JS / "app.js").read_text()))
    assert used - set(messages()) == set()


@pytest.mark.parametrize("error", [
    InvalidTicket(), WrongBatch(params={"name": "Rini", "batch": "Angkatan II"}),
    WrongDay(params={"days": "12–13 September 2018", "day": "14 September 2018"}),
    WrongTraining(), TicketCancelled(),
    TicketSuperseded(params={"name": "Rini", "batch": "Angkatan II"}),
    NoSessionOpen(params={"time": "10.05"}), InvalidTime(), NonceReused(),
    RateLimited(message=TOO_MANY_SEARCHES, params={"minutes": 1}),
], ids=lambda e: e.code)
def test_every_refusal_at_the_door_reads_in_indonesian(error: DomainError) -> None:
    assert catalog("id").get(error.message), error.message
    with use_locale("id"):
        text = error.payload()["message"]
    assert english_words([text]) == [], text
