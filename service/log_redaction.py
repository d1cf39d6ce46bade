"""Keep link secrets out of the access log.

A ticket (/t/...), a narasumber's roster link (/n/... and ?key=...), a door phone's
one-time login (/scan/login/...), a certificate's verification code (/v/...), a password
reset link (/reset/...), a new office's setup link (/welcome/...) and the link that stops
a participant's messages (/berhenti/...) are bearer secrets
in the URL: whoever reads the log could open them. uvicorn logs each request's path;
this filter keeps the first characters of each secret, enough to follow one request
through the log, and drops the rest. The public self-registration code (/daftar/...) is
cut the same way: whoever holds it can register people.

The same secrets inside a `next=` value (/lang/en?next=/t/<token>, /login?next=...) are
cut too, however it is written (percent-encoded once or twice, as a whole URL with a
host, inside a `next=` inside another), and so are secrets in any other query value that
holds a link, and runs of digits in query values: a check-in search or a participant
filter may carry a NIK or a phone number (UU PDP: never in logs).
"""

import logging
import re
from urllib.parse import quote, unquote

# The first path segments after which a link secret follows.
# Public codes too: /e/ (an evaluation's projector QR), /tes/ (a test's); /u/ is a unit's
# focal point's link to its follow-up actions, /nominasi/ the one where it names delegates;
# /g/ a guest's or committee member's door card.
SECRET_PREFIXES = ("t", "n", "v", "daftar", "scan/login", "reset", "welcome", "berhenti", "e",
                   "tes", "u", "nominasi", "g")
_SECRET_PATH = "(/+(?:" + "|".join(re.escape(p) for p in SECRET_PREFIXES) + ")/+)"
_PATH_SECRET = re.compile("^" + _SECRET_PATH + r"([^/?#]{4})[^/?#]*")
# The same anywhere in a query value: "https://host/t/<token>", "x/t/<token>".
_VALUE_SECRET = re.compile(_SECRET_PATH + r"([^/?#&]{4})[^/?#&]*")
_SECRET_PARAMS = ("key", "token", "code", "ticket")
# A value that is a whole URL: its scheme and host go, its path is redacted as a path.
_ORIGIN = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:/*[^/?#]*")
# Percent-encoding undone this many times at most (a double-encoded next= is common).
_MAX_UNQUOTE = 3
_MAX_DEPTH = 4
# 4 or more digits, also when written with separators ("0812-3456 7890", "+62 812...",
# percent-encoded spaces and pluses): the form a NIK or a phone number takes in a query.
_DIGIT_RUN = re.compile(r"\d(?:(?:[-.()+ ]|%2[0bBdD89])*\d){3,}")
# A day (?day=2018-09-12) is no personal data and worth keeping readable.
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
ACCESS_LOGGER = "uvicorn.access"


def _cut(text: str, keep: int) -> str:
    return text[:keep] + "…" if len(text) > keep else text


def _cut_digits(value: str) -> str:
    return _DIGIT_RUN.sub(lambda m: m.group() if _ISO_DAY.fullmatch(m.group())
                          else _cut(m.group(), 2), value)


def _quote(text: str, safe: str = "/?=&:") -> str:
    """Percent-encoded again for the log line, the cut mark "…" kept readable."""
    return quote(text, safe=safe).replace("%E2%80%A6", "…")


def _decoded(value: str) -> str:
    """`value` with its percent-encoding undone, repeatedly."""
    for _ in range(_MAX_UNQUOTE):
        plain = unquote(value)
        if plain == value:
            break
        value = plain
    return value


def _as_path(value: str) -> str:
    """A link as its local path: "https://host/t/x?y" gives "/t/x?y"."""
    rest = _ORIGIN.sub("", value, count=1) if "://" in value else value
    return rest if rest.startswith("/") else "/" + rest


def _redact_query(query: str, depth: int) -> str:
    parts = []
    for part in query.split("&"):
        name, sep, value = part.partition("=")
        key = _decoded(name).strip().lower()
        if not sep:
            parts.append(_cut_digits(part))
        elif key in _SECRET_PARAMS:
            parts.append(f"{name}={_cut(value, 4)}")
        elif key == "next":
            # A local path (or a URL), maybe percent-encoded: redacted as a path of its own.
            parts.append(f"{name}={_quote(_redact(_as_path(_decoded(value)), depth + 1))}")
        else:
            plain = _decoded(value)
            if "/" in plain and _VALUE_SECRET.search(plain):
                # Any other value holding a link (?back=/t/..., ?url=https://.../reset/...).
                plain = _VALUE_SECRET.sub(r"\1\2…", plain)
                value = _quote(plain, "/?=&:")
            parts.append(f"{name}={_cut_digits(value)}")
    return "&".join(parts)


def _redact(path: str, depth: int) -> str:
    if depth > _MAX_DEPTH:
        # Nested beyond any real link: nothing of it is worth the risk.
        return "/…"
    path, sep, query = path.partition("?")
    plain = _decoded(path)
    if plain != path and _PATH_SECRET.match(plain):
        # The log shows the path as sent; "/%74/<token>" is routed as "/t/<token>".
        path = _quote(_PATH_SECRET.sub(r"\1\2…", plain), "/")
    else:
        path = _PATH_SECRET.sub(r"\1\2…", path)
    return f"{path}?{_redact_query(query, depth)}" if sep else path


def redact(path: str) -> str:
    """`path` (with its query) with link secrets cut to their first 4 characters and
    digit runs in query values (NIK, phone) cut to their first 2."""
    return _redact(path, 0)


class RedactSecrets(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        # uvicorn's access record: (client, method, path with query, HTTP version, status)
        args = record.args
        if isinstance(args, tuple) and len(args) >= 3 and isinstance(args[2], str):
            record.args = (*args[:2], redact(args[2]), *args[3:])
        return True


def install() -> None:
    logger = logging.getLogger(ACCESS_LOGGER)
    if not any(isinstance(f, RedactSecrets) for f in logger.filters):
        logger.addFilter(RedactSecrets())
