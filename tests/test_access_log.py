"""The access log is written by a thread of its own (service/access_log.py), with link
secrets cut as log_redaction.py says, in uvicorn's format."""

import io
import logging
import threading

from uvicorn.logging import AccessFormatter

from service import access_log


class _Stream(io.StringIO):
    """Remembers which threads wrote to it."""

    def __init__(self) -> None:
        super().__init__()
        self.writers: set[str] = set()

    def write(self, text: str) -> int:
        self.writers.add(threading.current_thread().name)
        return super().write(text)


def test_lines_are_formatted_redacted_and_written_off_the_loop() -> None:
    stream = _Stream()
    handler = access_log.QueuedAccessHandler(stream)
    handler.setFormatter(AccessFormatter('%(client_addr)s - "%(request_line)s" %(status_code)s',
                                         use_colors=False))
    logger = logging.getLogger("test.access_log")
    logger.propagate = False
    logger.setLevel(logging.INFO)
    logger.addHandler(handler)
    try:
        for path in ("/t/AbCdEfGhIjKlMnOp/certificate.pdf", "/healthz"):
            logger.info('%s - "%s %s HTTP/%s" %d', "10.0.0.7:5000", "GET", path, "1.1", 200)
    finally:
        logger.removeHandler(handler)
        handler.close()  # writes what is still queued
    assert stream.getvalue() == (
        '10.0.0.7:5000 - "GET /t/AbCd…/certificate.pdf HTTP/1.1" 200 OK\n'
        '10.0.0.7:5000 - "GET /healthz HTTP/1.1" 200 OK\n')
    assert stream.writers == {"access-log"}


def test_serve_configures_the_queued_access_handler() -> None:
    config = access_log.log_config()
    assert config["handlers"]["access"]["()"] == "service.access_log.QueuedAccessHandler"
    assert config["loggers"]["uvicorn.access"]["handlers"] == ["access"]
