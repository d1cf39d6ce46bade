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


SECRET = "Zq9XvT2mKp7RwY4sLd8NbF3hJc6GeA1uVo5iEt0yWx"


@pytest.mark.parametrize(("path", "logged"), [
    (f"/reset/{SECRET}", "/reset/Zq9X…"),
    (f"/welcome/{SECRET}", "/welcome/Zq9X…"),
    # The language switch on a link's page carries the link in next=, however written.
    (f"/lang/en?next=/reset/{SECRET}", "/lang/en?next=/reset/Zq9X…"),
    (f"/lang/id?next=%2Fwelcome%2F{SECRET}", "/lang/id?next=/welcome/Zq9X…"),
    (f"/lang/en?next=%252Ft%252F{SECRET}", "/lang/en?next=/t/Zq9X…"),
    (f"/lang/en?next=https://bimtek.example/t/{SECRET}", "/lang/en?next=/t/Zq9X…"),
    (f"/lang/en?NEXT=/t/{SECRET}", "/lang/en?NEXT=/t/Zq9X…"),
    (f"/login?next=/lang/en%3Fnext%3D/scan/login/{SECRET}",
     "/login?next=/lang/en?next=/scan/login/Zq9X…"),
    (f"/lang/en?next=%2Fapi%2Fbatches%2F3%2Froster.csv%3Fkey%3D{SECRET}",
     "/lang/en?next=/api/batches/3/roster.csv?key=Zq9X…"),
    # A link in any other value, a secret under another parameter name, a path spelled
    # with percent-encoding or doubled slashes (routed all the same).
    (f"/x?back=/n/{SECRET}/batches/3&page=2", "/x?back=/n/Zq9X…/batches/3&page=2"),
    (f"/x?url=https%3A%2F%2Fh.example%2Fdaftar%2F{SECRET}", "/x?url=https://h.example/daftar/Zq9X…"),
    (f"/x?code={SECRET}", "/x?code=Zq9X…"),
    (f"/x?ticket={SECRET}", "/x?ticket=Zq9X…"),
    (f"/%74/{SECRET}", "/t/Zq9X…"),
    (f"//v/{SECRET}", "//v/Zq9X…"),
])
def test_every_way_a_secret_can_be_written_is_cut(path: str, logged: str) -> None:
    assert redact(path) == logged
    assert SECRET[:5] not in redact(path)


def test_a_deeply_nested_next_is_dropped() -> None:
    path = "/t/" + SECRET
    for _ in range(8):
        path = "/lang/en?next=" + path.replace("%", "%25").replace("?", "%3F").replace(
            "=", "%3D").replace("&", "%26")
    assert SECRET[:5] not in redact(path)


def test_ordinary_paths_and_queries_are_kept() -> None:
    for path in ("/trainings/4/report?saved=1", "/lang/en?next=/trainings/4/rosters",
                 "/venues/3/edit", "/offices", "/users", "/login?done=reset",
                 "/api/batches/3/checkin-search?q=Nur%20Aini&day=2018-09-12"):
        assert redact(path) == path


def _routes() -> list[tuple[str, dict[str, object], set[str]]]:
    from service.main import create_app
    from tests.helpers import api_routes, path_params

    out = []
    for route in api_routes(create_app(checkin_lane=False)):
        queries = {p.alias for p in route.dependant.query_params}
        for dep in route.dependant.dependencies:
            queries |= {p.alias for p in dep.query_params}
        out.append((route.path, path_params(route), queries))
    return out


# Path parameters that are no secret (the routes under these paths): a language code, and
# an upload's id that only the organization's own logged-in committee can open.
NOT_SECRET = {("/lang/{code}", "code"), ("/trainings/{training_id}/import/{token}", "token")}


def _not_secret(template: str, name: str) -> bool:
    return any(template.startswith(prefix) and name == param for prefix, param in NOT_SECRET)


def test_every_route_with_a_secret_in_its_path_is_cut() -> None:
    """Each route whose path carries a token or code (tickets, narasumber links, door
    logins, verification codes, self-registration, reset and setup links) is redacted:
    a new one that is not fails here."""
    checked = 0
    for template, params, _queries in _routes():
        secrets_in = [n for n in params if n in ("token", "code")
                      and not _not_secret(template, n)]
        if not secrets_in:
            continue
        path = template
        for name, kind in params.items():
            path = path.replace("{" + name + "}", SECRET if name in secrets_in
                                else "3" if kind is int else "pdf")
        logged = redact(path)
        assert SECRET[:5] not in logged, (template, logged)
        assert redact(f"/lang/en?next={path}") == f"/lang/en?next={logged}"
        checked += 1
    assert checked >= 10


def test_every_query_that_carries_a_secret_is_cut() -> None:
    for template, _params, queries in _routes():
        for name in queries & {"key", "token", "code", "ticket"}:
            logged = redact(f"{template}?{name}={SECRET}")
            assert SECRET[:5] not in logged, (template, name, logged)
