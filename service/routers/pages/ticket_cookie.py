"""A phone's own ticket, remembered for a projector's QR: the short link on the screen
(/e/... for an evaluation, /tes/... for a test) carries no ticket, so the phone that
opened its ticket before sends it back in a cookie scoped to that path alone, never
readable by a script."""

from fastapi import Request
from fastapi.responses import Response

DAYS = 60


def remember(request: Request, response: Response, name: str, path: str, token: str) -> None:
    response.set_cookie(name, token, max_age=DAYS * 86400, path=path, httponly=True,
                        samesite="lax", secure=request.url.scheme == "https")
