"""uvicorn's access log, formatted, redacted and written by a thread of its own.

uvicorn logs each response from the event loop. Formatting the line, cutting the
secrets out of its path (log_redaction.py: several patterns per request) and a write to
the stream per request cost the loop time that every other request waits for; here the
loop only appends the record to a queue (its arguments are plain strings and numbers),
and a writer thread that wakes every FLUSH_SECONDS formats, redacts and writes what
came meanwhile, in one write. (logging's QueueListener wakes its thread for every
record: a futex call per request, 4% of a check-in's time on the event loop.)
"""

import copy
import logging
import threading
from collections import deque
from typing import Any, TextIO

from uvicorn.config import LOGGING_CONFIG

from service import log_redaction

FLUSH_SECONDS = 0.05


class QueuedAccessHandler(logging.Handler):
    """Queues records for a writer thread that formats them (with the formatter
    logging.config hands this handler), redacts them and writes them to `stream`."""

    def __init__(self, stream: TextIO) -> None:
        super().__init__()
        self.stream = stream
        self.redact = log_redaction.RedactSecrets()
        self._records: deque[logging.LogRecord] = deque()
        self._closing = threading.Event()
        self._writer = threading.Thread(target=self._write, name="access-log", daemon=True)
        self._writer.start()

    def emit(self, record: logging.LogRecord) -> None:
        # The event loop's whole share: deque.append is atomic, and wakes nobody.
        self._records.append(record)

    def _write(self) -> None:
        while not self._closing.wait(FLUSH_SECONDS):
            self._drain()
        self._drain()

    def _drain(self) -> None:
        lines = []
        while self._records:
            record = self._records.popleft()
            try:
                if self.redact.filter(record):
                    lines.append(self.format(record) + "\n")
            except Exception:  # noqa: BLE001 (logging's way: report, never raise)
                self.handleError(record)
        if lines:
            try:
                self.stream.write("".join(lines))
                self.stream.flush()
            except Exception:  # noqa: BLE001
                self.handleError(logging.makeLogRecord({"msg": "access log write failed"}))

    def close(self) -> None:
        # Lines still queued are written first (logging closes every handler at exit).
        if self._writer.is_alive():
            self._closing.set()
            self._writer.join()
        super().close()


def log_config() -> dict[str, Any]:
    """uvicorn's logging configuration, with the access lines written by a thread."""
    config = copy.deepcopy(LOGGING_CONFIG)
    config["handlers"]["access"] = {"()": "service.access_log.QueuedAccessHandler",
                                    "formatter": "access", "stream": "ext://sys.stdout"}
    return config


def install() -> None:
    """Secrets never reach the access log: redacted in the writer's thread under `bimtek
    serve`'s configuration; otherwise (uvicorn run by hand, tests) by a filter on the
    logger itself."""
    logger = logging.getLogger(log_redaction.ACCESS_LOGGER)
    if not any(isinstance(h, QueuedAccessHandler) for h in logger.handlers):
        log_redaction.install()
