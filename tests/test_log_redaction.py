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


@pytest.mark.parametrize(("path", "logged"), [
    ("/daftar/Xk3jH4k5j6hQ", "/daftar/Xk3j…"),
    ("/lang/en?next=/t/AbCdEfGhIjKlMnOp", "/lang/en?next=/t/AbCd…"),
    ("/lang/id?next=%2Ft%2FAbCdEfGhIjKlMnOp%2Fcertificate.pdf",
     "/lang/id?next=/t/AbCd…/certificate.pdf"),
    ("/login?next=/n/Yye6nqewgHGjeT_egNQyYh/batches/3", "/login?next=/n/Yye6…/batches/3"),
])
def test_public_codes_and_secrets_inside_next_are_cut(path: str, logged: str) -> None:
    assert redact(path) == logged


@pytest.mark.parametrize("query", [
    "q=6171015203850001", "q=%2B6281234567890", "q=0812-3456-7890", "q=0812%203456%207890",
    "q=+62 812 3456 7890", "nik=1371015203850001&page=2",
])
def test_no_query_holds_a_nik_or_phone_whole(query: str) -> None:
    logged = redact(f"/api/batches/3/checkin-search?{query}")
    digits = "".join(ch for ch in logged if ch.isdigit())
    # "3" of the path, at most 2 digits of the number (and "2" of page=2) remain.
    assert len(digits) <= 4, logged
    assert "…" in logged


def test_days_and_words_in_queries_are_kept() -> None:
    assert redact("/api/batches/3/checkin-search?q=Nur%20Aini&day=2018-09-12") == \
        "/api/batches/3/checkin-search?q=Nur%20Aini&day=2018-09-12"
