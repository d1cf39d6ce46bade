"""X-Forwarded-For and X-Forwarded-Proto are believed only from the proxies named in
BIMTEK_TRUSTED_PROXIES (none by default), through a real `bimtek serve`: a client that
rotates the header does not reset a rate limit, and cannot claim HTTPS either."""

from collections.abc import Iterator

import httpx
import pytest

from tests.live import live_app

LIMIT = 3
EMAIL, PASSWORD = "proxy@padang.test", "proxy-password-kampung"


def _attempts(client: httpx.Client, n: int) -> list[int]:
    """Self-registration posts, each from a 'new address' by the header."""
    return [client.post("/daftar/no-such-code", data={"name": "Nur"},
                        headers={"X-Forwarded-For": f"10.0.{i // 250}.{i % 250 + 1}"}
                        ).status_code for i in range(n)]


@pytest.fixture(scope="module")
def untrusted() -> Iterator[httpx.Client]:
    with live_app("proxies-none", EMAIL, PASSWORD,
                  env={"BIMTEK_SELFREG_LIMIT": str(LIMIT)}) as (client, _url):
        yield client


@pytest.fixture(scope="module")
def trusted() -> Iterator[httpx.Client]:
    # The test client (127.0.0.1) is the proxy named.
    with live_app("proxies-local", EMAIL, PASSWORD,
                  env={"BIMTEK_SELFREG_LIMIT": str(LIMIT),
                       "BIMTEK_TRUSTED_PROXIES": "127.0.0.1"}) as (client, _url):
        yield client


def test_a_rotating_forwarded_for_does_not_reset_the_limit(untrusted: httpx.Client) -> None:
    answers = _attempts(untrusted, LIMIT + 3)
    assert 429 not in answers[:LIMIT], answers
    assert answers[LIMIT:] == [429] * 3, answers


def test_a_client_cannot_claim_https(untrusted: httpx.Client) -> None:
    r = untrusted.get("/lang/en?next=/", headers={"X-Forwarded-Proto": "https"},
                      follow_redirects=False)
    assert "strict-transport-security" not in r.headers
    cookie = r.headers["set-cookie"]
    assert cookie.startswith("lang=en") and "secure" not in cookie.lower()


def test_a_named_proxy_is_believed(trusted: httpx.Client) -> None:
    # Each visitor the proxy names has a limit of their own.
    assert 429 not in _attempts(trusted, LIMIT + 3)
    r = trusted.get("/lang/en?next=/", headers={"X-Forwarded-Proto": "https"},
                    follow_redirects=False)
    assert r.headers["strict-transport-security"] == "max-age=31536000"
    assert r.headers["set-cookie"].startswith("lang=en")
    assert "; Secure" in r.headers["set-cookie"]
