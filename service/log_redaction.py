"""Keep link secrets out of the access log.

A ticket (/t/...), a narasumber's roster link (/n/... and ?key=...), a door phone's
one-time login (/scan/login/...) and a certificate's verification code (/v/...) are
bearer secrets in the URL: whoever reads the log could open them. uvicorn logs each
request's path; this filter keeps the first characters of each secret, enough to follow
one request through the log, and drops the rest. The public self-registration code
(/daftar/...) is cut the same way: whoever holds it can register people.

The same secrets inside a `next=` value (/lang/en?next=/t/<token>, /login?next=...) are
cut too, and so are runs of digits in any other query value: a check-in search or a
participant filter may carry a NIK or a phone number (UU PDP: never in logs).
"""

import logging
import re
from urllib.parse import quote, unquote

_PATH_SECRET = re.compile(r"^(/(?:t|n|v|daftar|scan/login)/)([^/?#]{4})[^/?#]*")
_SECRET_PARAMS = ("key", "token")
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


def _redact_query(query: str) -> str:
    parts = []
    for part in query.split("&"):
        name, sep, value = part.partition("=")
        if not sep:
            parts.append(_cut_digits(part))
        elif name in _SECRET_PARAMS:
            parts.append(f"{name}={_cut(value, 4)}")
        elif name == "next":
            # A local path, maybe percent-encoded: redacted as a path of its own.
            redacted = quote(redact(unquote(value)), safe="/?=&")
            parts.append(f"{name}={redacted.replace('%E2%80%A6', '…')}")
        else:
            parts.append(f"{name}={_cut_digits(value)}")
    return "&".join(parts)


def redact(path: str) -> str:
    """`path` (with its query) with link secrets cut to their first 4 characters and
    digit runs in query values (NIK, phone) cut to their first 2."""
    path, sep, query = path.partition("?")
    path = _PATH_SECRET.sub(r"\1\2…", path)
    return f"{path}?{_redact_query(query)}" if sep else path


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
