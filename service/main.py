"""create_app(): routers, error handlers, static files, templates."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import anyio.to_thread
from fastapi import FastAPI
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from sqlalchemy import text

from service import log_redaction
from service.db import get_engine
from service.errors import install_error_handlers
from service.middleware import (
    BodyLimitMiddleware,
    DbAdmissionMiddleware,
    LocaleMiddleware,
    SecurityHeadersMiddleware,
)
from service.routers.api import agenda as api_agenda
from service.routers.api import attendance as api_attendance
from service.routers.api import auth as api_auth
from service.routers.api import certificates as api_certificates
from service.routers.api import checkins as api_checkins
from service.routers.api import directory as api_directory
from service.routers.api import participants_io as api_participants_io
from service.routers.api import registrations as api_registrations
from service.routers.api import reports as api_reports
from service.routers.api import rosters as api_rosters
from service.routers.api import scanner_logins as api_scanner_logins
from service.routers.api import trainings as api_trainings
from service.routers.api import users as api_users
from service.routers.api.checkin_lane import CheckinLane
from service.routers.pages import register_pages
from service.settings import get_settings

STATIC_DIR = Path(__file__).resolve().parent.parent / "frontend" / "static"


@asynccontextmanager
async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
    # Sync routes run in this pool; it should match the DB pool, or threads queue
    # for connections while holding requests.
    # More threads than admitted database requests (DbAdmissionMiddleware), so a
    # request holding a connection always finds a thread to finish on.
    s = get_settings()
    anyio.to_thread.current_default_thread_limiter().total_tokens = max(
        s.threadpool_size, s.db_pool_size + s.db_max_overflow + 2)
    yield


def create_app(*, checkin_lane: bool = True) -> FastAPI:
    """The application. `checkin_lane=False` leaves out the check-in fast lane, whose own
    connections would write outside a test's rolled-back transaction."""
    settings = get_settings()
    log_redaction.install()
    app = FastAPI(title="Bimtek", version="0.1.0", lifespan=lifespan,
                  docs_url="/api/docs", openapi_url="/api/openapi.json", redoc_url=None)
    install_error_handlers(app)
    for module in (api_auth, api_trainings, api_agenda, api_directory, api_users,
                   api_registrations, api_participants_io, api_checkins, api_attendance,
                   api_scanner_logins, api_certificates, api_rosters, api_reports):
        app.include_router(module.router)
    register_pages(app)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

    @app.get("/healthz", include_in_schema=False)
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/readyz", include_in_schema=False)
    def readyz() -> JSONResponse:
        try:
            with get_engine().connect() as conn:
                conn.execute(text("SELECT 1"))
        except Exception:  # noqa: BLE001  (any failure means not ready)
            return JSONResponse({"status": "unavailable"}, status_code=503)
        return JSONResponse({"status": "ok"})

    # A spreadsheet upload may be larger than a form; a little room for the multipart framing.
    upload_limit = settings.import_max_bytes + 64 * 1024
    # Outermost last. The lane sits outside the admission gate (it uses its own
    # connections), inside the body limit and the security headers.
    app.add_middleware(DbAdmissionMiddleware,
                       limit=settings.db_pool_size + settings.db_max_overflow)
    if checkin_lane:
        app.add_middleware(CheckinLane, database_url=settings.database_url,
                           connections=settings.checkin_lane_connections,
                           session_cookie=settings.session_cookie,
                           token_cache_seconds=settings.token_cache_seconds)
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_body_bytes, overrides={
        r"/(api/)?trainings/\d+/(registrations/)?import": upload_limit,
        # Certificate backgrounds: up to 10 MB (checked again, with the pixels, inside).
        r"/(api/)?trainings/\d+/certificate": 10 * 1024 * 1024 + 3 * 2 * 1024 * 1024
        + 64 * 1024})
    app.add_middleware(SecurityHeadersMiddleware)
    app.add_middleware(LocaleMiddleware)
    return app
