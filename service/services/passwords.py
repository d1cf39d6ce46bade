"""Which passwords an account may not have: too short, too common, or guessable from the
account itself.

The common ones are zxcvbn's list of the 30,000 passwords seen most often in leaks
(PyPI `zxcvbn`, MIT licence; the same list Dropbox's zxcvbn ranks guesses by), plus a few
that Indonesian offices and this service make likely. An attacker tries these first, in
this order: the login throttle slows guessing, it does not make "bismillah123" safe.
"""

import re
from functools import lru_cache

from service.errors import FieldError
from service.i18n import N_

MIN_LENGTH = 10
# Guessed early here, and missing from a list built on English-speaking sites' leaks.
LOCAL_COMMON = frozenset({
    "indonesia", "merdeka", "katasandi", "kata sandi", "sandi", "rahasia", "bismillah",
    "alhamdulillah", "sayangku", "kampungkb", "kampung kb", "bkkbn", "dp3ap2kb", "bimtek",
    "pelatihan", "panitia", "peserta", "admin", "administrator", "padang", "jakarta",
})
_NOT_ALNUM = re.compile(r"[\W_]+")
# What people add to a word to pass a rule: "bismillah123", "Password2024!".
_DECORATION = re.compile(r"[\d\W_]+$")
# A word shorter than this, with digits after it, is no dictionary word worth naming.
_MIN_WORD = 4


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    """The common passwords, lower-case (loaded once, on first use: 40 ms)."""
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(FREQUENCY_LISTS["passwords"]) | LOCAL_COMMON


def _key(text: str) -> str:
    return _NOT_ALNUM.sub("", text.casefold())


def _is_common(password: str) -> bool:
    folded = password.casefold()
    common = common_passwords()
    if folded in common or _key(folded) in common:
        return True
    word = _DECORATION.sub("", folded)
    return len(word) >= _MIN_WORD and (word in common or _key(word) in common)


def _is_personal(password: str, personal: list[str]) -> bool:
    """The password is one of `personal` (letters and digits compared, case ignored),
    maybe with digits or signs after it."""
    keys = {_key(p) for p in personal} - {""}
    folded = password.casefold()
    return _key(folded) in keys or _key(_DECORATION.sub("", folded)) in keys


def check_password(password: str, *, email: str = "", organization: str = "") -> None:
    """Refuse a weak password with a FieldError on "password" that says why."""
    if len(password) < MIN_LENGTH:
        raise FieldError("password", "The password needs at least {n} characters.",
                         code="weak_password", n=MIN_LENGTH)
    if len(set(password)) == 1:
        raise FieldError("password", N_("A password of one character repeated is easy to "
                                        "guess. Choose another."), code="weak_password")
    local = email.partition("@")[0]
    if email and _is_personal(password, [email, local]):
        raise FieldError("password", N_("The password may not be the account's email address "
                                        "or part of it."), code="weak_password")
    if organization and _is_personal(password, [organization]):
        raise FieldError("password", N_("The password may not be the organization's name."),
                         code="weak_password")
    if _is_common(password):
        raise FieldError("password", N_("This password is one of the most common ones, which "
                                        "attackers try first. Choose another."),
                         code="weak_password")
