"""The ASGI middleware every request crosses, outermost first, each a plain ASGI callable
(never BaseHTTPMiddleware, which costs a task and a stream per request):

1. checkin_lane.CheckinLane: the door's common scan, answered before anything else runs
   (with the security headers the front door would add).
2. FastAPI's outer layers (the 500 handler, its telemetry and body limit).
3. front.FrontDoor: locale, body limit, security headers, Secure cookies.
4. admission.DbAdmissionMiddleware: at most pool-size requests at the database, each
   admitted once its body has arrived.

Then FastAPI's exception handlers and its routing.
"""

from fastapi import FastAPI
from starlette.types import ASGIApp

from service.middleware.admission import DbAdmissionMiddleware
from service.middleware.checkin_lane import CheckinLane
from service.middleware.front import FrontDoor
from service.middleware.headers import cookie_value, credentials, header_value
from service.settings import Settings

__all__ = ["CheckinLane", "DbAdmissionMiddleware", "FrontDoor", "cookie_value", "credentials",
           "header_value", "install"]


def install(app: FastAPI, settings: Settings, *, checkin_lane: bool = True) -> None:
    """Add the stack to `app`. `checkin_lane=False` leaves out the fast lane, whose own
    connections would write outside a test's rolled-back transaction."""
    # A spreadsheet upload may be larger than a form; a little room for the multipart
    # framing. Certificate backgrounds: up to 10 MB and two signature images of 2 MB
    # (checked again, with the pixels, inside).
    upload_limit = settings.import_max_bytes + 64 * 1024
    overrides = {
        r"/(api/)?trainings/\d+/(registrations/)?import": upload_limit,
        r"/(api/)?trainings/\d+/certificate": 10 * 1024 * 1024 + 3 * 2 * 1024 * 1024
        + 64 * 1024,
        # Report photos: a few phone photos of up to 15 MB each per upload.
        r"/(api/)?trainings/\d+/report/photos": 4 * 15 * 1024 * 1024 + 64 * 1024,
        # Presentations and session slides (checked again, by content, inside).
        r"/(api/presenters/\d+/file|api/sessions/\d+/materials|trainings/\d+/presenters/"
        r"\d+/file|trainings/\d+/materials|n/[A-Za-z0-9_-]+/materi)":
        settings.presentation_max_bytes + 64 * 1024,
        # A unit's surat tugas through its nomination link: a PDF or a phone's photo of
        # up to 10 MB (services/nominations/surat_tugas.py checks it again, inside).
        r"/nominasi/[A-Za-z0-9_-]+/surat-tugas$": 10 * 1024 * 1024 + 64 * 1024,
        # An office's export archive (superusers only; streamed to a temporary file).
        r"/(api/)?offices/import$": settings.max_import_archive_bytes + 64 * 1024}
    # add_middleware wraps: the last added is the outermost.
    app.add_middleware(DbAdmissionMiddleware,
                       limit=settings.db_pool_size + settings.db_max_overflow)
    app.add_middleware(FrontDoor, max_bytes=settings.max_body_bytes,
                       secure_cookies=settings.secure_cookies, overrides=overrides)
    if checkin_lane:
        # Around the whole stack FastAPI builds (its 500 handler included, which
        # add_middleware cannot reach): a check-in the lane answers crosses nothing else,
        # and one it hands on crosses everything. Outside the admission gate too: the
        # lane has its own connections.
        build = app.build_middleware_stack

        def build_with_lane() -> ASGIApp:
            return CheckinLane(build(), database_url=settings.database_url,
                               connections=settings.checkin_lane_connections,
                               session_cookie=settings.session_cookie,
                               token_cache_seconds=settings.token_cache_seconds)

        app.build_middleware_stack = build_with_lane  # type: ignore[method-assign]
