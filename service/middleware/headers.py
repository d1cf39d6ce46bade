"""Reading a request's headers straight from its ASGI scope, and who it says it is.

Plain functions over the scope, so the middleware (before any Request object exists)
and the routes (through request.scope) read headers, cookies and credentials the same
way.
"""

from starlette.types import Scope

from service.services.auth import Credentials


def header_value(scope: Scope, name: bytes) -> str | None:
    """The first header `name` (lower-case bytes, as ASGI gives them), or None."""
    for key, value in scope.get("headers", ()):
        if key == name:
            return str(value.decode("latin-1"))
    return None


def cookie_value(scope: Scope, name: str) -> str | None:
    """Cookie `name` of the request (every Cookie header), or None."""
    for key, value in scope.get("headers", ()):
        if key == b"cookie":
            for part in value.decode("latin-1").split(";"):
                k, _sep, v = part.strip().partition("=")
                if k == name:
                    return v.strip('"')
    return None


def credentials(scope: Scope, session_cookie: str) -> Credentials | None:
    """The request's credentials; None without any, or with an Authorization header that
    is not a bearer token (a client that sends one means it, so the cookie is not tried).

    The one parser of the scanner's credentials: the check-in fast lane
    (middleware/checkin_lane.py) and the ordinary route (routers/deps.scanner_of) must
    agree on who is asking, or the lane could answer what the route would refuse."""
    authorization = header_value(scope, b"authorization")
    if authorization:
        scheme, _sep, raw = authorization.partition(" ")
        if scheme.lower() != "bearer" or not raw:
            return None
        return Credentials("api", raw.strip())
    session = cookie_value(scope, session_cookie)
    if not session:
        return None
    return Credentials("session", session, header_value(scope, b"x-csrf-token"))
