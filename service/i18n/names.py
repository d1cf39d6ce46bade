"""Names as Indonesians sort them: "dr. Rina" under R, "Drs. H. Ahmad Yani, M.Si." under A.

Front titles and honorifics (academic, religious, noble) are written before the name but
are not where anyone looks it up. Titles after the name ("S.Pd.", "M.Kes.") follow a
comma and come last anyway. The key is stored (Participant.sort_name), so a list of 421
people sorts in the database and pages the same way it prints.
"""

import re
import unicodedata

# Written with or without the dot, in any case. Only whole leading words are taken off,
# and never the last word: "H." alone stays a name.
FRONT_TITLES = frozenset({
    # academic and professional
    "dr", "drg", "drh", "dr(hc)", "drs", "dra", "ir", "prof", "apt", "ns", "bd", "hc",
    # religious
    "h", "hj", "haji", "hajjah", "kh", "k.h", "ust", "ustadz", "ustaz", "ustadzah",
    "ustazah", "habib", "syekh",
    # noble and regional
    "r", "rd", "raden", "ra", "r.a", "rr", "kgs", "kiagus", "nyimas", "nya", "nyayu",
    "mgs", "masagus", "tgk", "teungku", "t", "teuku", "gusti", "ratu", "tb", "tubagus",
    "andi.",  # only "Andi." with its dot: plain Andi is a given name
    # forms of address
    "bpk", "bapak", "pak", "ibu", "bu", "ny", "nyonya", "tn", "tuan", "sdr", "sdri",
    "saudara", "saudari",
})
_WORD = re.compile(r"\S+")
_LETTERS = re.compile(r"[^\w\s]+")
# "Nur'aini" and "Nuraini" are one name spelled two ways: apostrophes join, not split.
_APOSTROPHES = re.compile(r"['\u2019\u02bc`]")


def _is_title(word: str) -> bool:
    low = word.casefold()
    return low in FRONT_TITLES or low.rstrip(".,") in FRONT_TITLES


def without_front_titles(name: str) -> str:
    """The name without its leading titles: "Dr. dr. Hj. Siti Aminah" -> "Siti Aminah"."""
    words = _WORD.findall(name)
    start = 0
    while start < len(words) - 1 and _is_title(words[start]):
        start += 1
    return " ".join(words[start:])


def sort_key(name: str) -> str:
    """What a list of people is ordered by: the name without front titles, without accents
    and punctuation, case-folded; the full name after it keeps the order stable."""
    core = unicodedata.normalize("NFKD", without_front_titles(name))
    plain = "".join(ch for ch in core if not unicodedata.combining(ch))
    letters = " ".join(_LETTERS.sub(" ", _APOSTROPHES.sub("", plain)).split()).casefold()
    return f"{letters}\x1f{name.casefold()}"[:240]
