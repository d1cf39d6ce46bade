"""The public verification page a certificate's QR opens: valid or revoked, and the few
facts printed on the paper. No login; limited per client address so nobody can walk
the code space (the codes carry 144 random bits already)."""

from fastapi import APIRouter, Request
from fastapi.responses import Response

from service.db import DB, AsideDB
from service.models import TIMEZONES
from service.routers.files import PRIVATE
from service.routers.pages.rendering import render
from service.services import housekeeping
from service.services.certificates import verification as verification

router = APIRouter(include_in_schema=False)

# Per client address and window: a personnel office checking a pile of certificates
# stays well under it; a script trying codes does not.
LIMIT = 60
WINDOW_SECONDS = 600


def _client(request: Request) -> str:
    return request.client.host if request.client else "unknown"


@router.get("/v/{code}")
def verify_page(code: str, request: Request, db: DB, aside: AsideDB) -> Response:
    """Whether a certificate is genuine and valid."""
    try:
        housekeeping.hit(aside, f"verify:{_client(request)}", LIMIT, WINDOW_SECONDS)
    finally:
        aside.commit()
    try:
        v = verification.verify(db, code)
    except verification.UnknownCertificate as exc:
        response = render(request, "public/verify_unknown.html", {"message": exc.text()},
                          status_code=404)
    else:
        response = render(request, "public/verify.html", {"v": v, "TIMEZONES": TIMEZONES})
    response.headers.update(PRIVATE)
    return response
