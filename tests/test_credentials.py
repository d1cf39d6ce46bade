"""One parser of a scanner's credentials (middleware/headers.credentials), for the fast
lane and the ordinary check-in route (deps.scanner_of) alike."""

import pytest

from service.middleware.headers import credentials
from service.services.auth import Credentials


@pytest.mark.parametrize(("headers", "expected"), [
    ([(b"authorization", b"Bearer abc ")], Credentials("api", "abc")),
    ([(b"authorization", b"bearer abc"), (b"cookie", b"s=k")], Credentials("api", "abc")),
    ([(b"authorization", b"Basic abc"), (b"cookie", b"s=k")], None),  # meant, and refused
    ([(b"authorization", b"Bearer")], None),
    ([(b"cookie", b"lang=en; s=k"), (b"x-csrf-token", b"t")], Credentials("session", "k", "t")),
    ([(b"cookie", b"lang=en"), (b"cookie", b"s=k")], Credentials("session", "k")),
    ([(b"authorization", b""), (b"cookie", b"s=k")], Credentials("session", "k")),
    ([(b"cookie", b"s=")], None),
    ([], None),
])
def test_what_a_request_presents(headers: list[tuple[bytes, bytes]],
                                 expected: Credentials | None) -> None:
    assert credentials({"headers": headers}, "s") == expected


def test_the_lane_and_the_route_read_credentials_with_it() -> None:
    import inspect

    from service.middleware import checkin_lane
    from service.routers import deps

    assert "credentials(" in inspect.getsource(deps.scanner_of)
    assert "credentials(" in inspect.getsource(checkin_lane.CheckinLane._try)
