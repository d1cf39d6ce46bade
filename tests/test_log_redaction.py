"""Link secrets in request paths do not reach the access log in full."""

import logging

import pytest

from service import log_redaction
from service.log_redaction import redact


@pytest.mark.parametrize(("path", "logged"), [
    ("/t/AbCdEfGhIjKlMnOp", "/t/AbCd…"),
    ("/t/AbCdEfGhIjKlMnOp/certificate.pdf", "/t/AbCd…/certificate.pdf"),
    ("/n/Yye6nqewgHGjeT_egNQyYh/batches/3/roster.pdf", "/n/Yye6…/batches/3/roster.pdf"),
    ("/v/qwertyuiopasdfgh", "/v/qwer…"),
    ("/scan/login/s3cr3t-one-time", "/scan/login/s3cr…"),
    ("/api/batches/3/roster.csv?key=Yye6nqewgHGjeT&lang=id",
     "/api/batches/3/roster.csv?key=Yye6…&lang=id"),
    ("/trainings/4/rosters", "/trainings/4/rosters"),
    ("/tickets/abc", "/tickets/abc"),
])
def test_secrets_are_cut_to_four_characters(path: str, logged: str) -> None:
    assert redact(path) == logged


def test_the_app_filters_uvicorns_access_log(caplog: pytest.LogCaptureFixture) -> None:
    from service.main import create_app

    create_app(checkin_lane=False)
    create_app(checkin_lane=False)  # installed once however many apps are made
    logger = logging.getLogger(log_redaction.ACCESS_LOGGER)
    assert sum(isinstance(f, log_redaction.RedactSecrets) for f in logger.filters) == 1
    with caplog.at_level(logging.INFO, logger=log_redaction.ACCESS_LOGGER):
        logger.info('%s - "%s %s HTTP/%s" %d', "10.0.0.7:5000", "GET",
                    "/t/AbCdEfGhIjKlMnOp/certificate.pdf", "1.1", 200)
    assert caplog.messages == ['10.0.0.7:5000 - "GET /t/AbCd…/certificate.pdf HTTP/1.1" 200']
