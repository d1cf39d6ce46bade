"""Keep link secrets out of the access log.

A ticket (/t/...), a narasumber's roster link (/n/... and ?key=...), a door phone's
one-time login (/scan/login/...) and a certificate's verification code (/v/...) are
bearer secrets in the URL: whoever reads the log could open them. uvicorn logs each
request's path; this filter keeps the first characters of each secret, enough to follow
one request through the log, and drops the rest.
"""

import logging
import re

_PATH_SECRET = re.compile(r"^(/(?:t|n|v|scan/login)/)([^/?#]{4})[^/?#]*")
_QUERY_SECRET = re.compile(r"([?&](?:key|token)=)([^&#]{0,4})[^&#]*")
ACCESS_LOGGER = "uvicorn.access"


def redact(path: str) -> str:
    """`path` (with its query) with link secrets cut to their first 4 characters."""
    path = _PATH_SECRET.sub(r"\1\2…", path)
    return _QUERY_SECRET.sub(r"\1\2…", path)


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
