"""create_app(): routers, error handlers, static files, templates."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import anyio.to_thread
from fastapi import FastAPI, Request
from fastapi.responses import FileResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from sqlalchemy import text
from starlette.routing import Mount, Route
from starlette.types import Receive, Scope, Send

from service import access_log, middleware
from service.db import get_engine
from service.errors import RETRY_AFTER_SECONDS, install_error_handlers
from service.i18n import gettext
from service.routers import hooks
from service.routers.api import actions as api_actions
from service.routers.api import agenda as api_agenda
from service.routers.api import assessments as api_assessments
from service.routers.api import attendance as api_attendance
from service.routers.api import auth as api_auth
from service.routers.api import batch_meetings as api_batch_meetings
from service.routers.api import certificates as api_certificates
from service.routers.api import checkins as api_checkins
from service.routers.api import directory as api_directory
from service.routers.api import erasure as api_erasure
from service.routers.api import evaluations as api_evaluations
from service.routers.api import guests as api_guests
from service.routers.api import kampung_kb as api_kampung_kb
from service.routers.api import letters as api_letters
from service.routers.api import materials as api_materials
from service.routers.api import messages as api_messages
from service.routers.api import minutes as api_minutes
from service.routers.api import nominations as api_nominations
from service.routers.api import offices_import as api_offices_import
from service.routers.api import org_export as api_org_export
from service.routers.api import participants_io as api_participants_io
from service.routers.api import people as api_people
from service.routers.api import presenters as api_presenters
from service.routers.api import programs as api_programs
from service.routers.api import province as api_province
from service.routers.api import registrations as api_registrations
from service.routers.api import reports as api_reports
from service.routers.api import rosters as api_rosters
from service.routers.api import scanner_logins as api_scanner_logins
from service.routers.api import spj as api_spj
from service.routers.api import trainings as api_trainings
from service.routers.api import units as api_units
from service.routers.api import users as api_users
from service.routers.pages import register_pages
from service.routers.pages import stop as stop_page
from service.services.backups.health import backup_readiness
from service.services.messaging.worker import start_in_thread
from service.settings import get_settings

STATIC_DIR = Path(__file__).resolve().parent.parent / "frontend" / "static"


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    # Sync routes run in this pool; it should match the DB pool, or threads queue
    # for connections while holding requests.
    # More threads than admitted database requests (DbAdmissionMiddleware), so a
    # request holding a connection always finds a thread to finish on.
    s = get_settings()
    anyio.to_thread.current_default_thread_limiter().total_tokens = max(
        s.threadpool_size, s.db_pool_size + s.db_max_overflow + 2)
    # The embedded message worker (bimtek serve without `bimtek worker` processes).
    worker = start_in_thread(get_engine(), s) if app.state.embedded_worker else None
    try:
        yield
    finally:
        if worker is not None:
            worker.stop()


# /healthz answers what a load balancer asks, "is this process's event loop serving?",
# with bytes built once: no dependencies, validation or serialization to run.
_HEALTHZ_BODY = b'{"status":"ok"}'
_HEALTHZ_HEADERS = [(b"content-type", b"application/json"),
                    (b"content-length", str(len(_HEALTHZ_BODY)).encode())]


class Healthz:
    """GET /healthz as a plain ASGI app (Starlette routes a class instance as one)."""

    async def __call__(self, _scope: Scope, _receive: Receive, send: Send) -> None:
        await send({"type": "http.response.start", "status": 200,
                    "headers": _HEALTHZ_HEADERS})
        await send({"type": "http.response.body", "body": _HEALTHZ_BODY})


async def favicon(_request: Request) -> FileResponse:
    """The tab's icon, which every browser asks for at /favicon.ico (a 404 in the log
    for each first visit otherwise): the app's icon, kept a week."""
    return FileResponse(STATIC_DIR / "img" / "scanner-192.png", media_type="image/png",
                        headers={"Cache-Control": "public, max-age=604800"})


def create_app(*, checkin_lane: bool = True, worker: bool | None = None) -> FastAPI:
    """The application. `checkin_lane=False` leaves out the check-in fast lane, whose own
    connections would write outside a test's rolled-back transaction; `worker` runs the
    message worker in a thread (default: BIMTEK_WORKER_EMBEDDED)."""
    settings = get_settings()
    access_log.install()
    # FastAPI's OpenTelemetry hooks ask for a tracer provider on every request; Bimtek
    # exports no telemetry.
    app = FastAPI(title="Bimtek", version="0.1.0", lifespan=lifespan,
                  docs_url="/api/docs", openapi_url="/api/openapi.json", redoc_url=None,
                  telemetry={"tracing": False, "metrics": False, "logs": False})
    app.state.embedded_worker = settings.worker_embedded if worker is None else worker
    install_error_handlers(app)
    # Routes match in order, and FastAPI walks every included router's routes to find
    # one (about 5 µs each, 170 of them): what is asked most and cheaply comes first,
    # before even FastAPI's own (the OpenAPI document and the docs pages).
    app.router.routes[:0] = [
        Route("/healthz", Healthz(), methods=["GET", "HEAD"], include_in_schema=False),
        Mount("/static", StaticFiles(directory=STATIC_DIR), name="static"),
        Route("/favicon.ico", favicon, methods=["GET", "HEAD"], include_in_schema=False)]

    @app.get("/readyz", include_in_schema=False)
    def readyz() -> JSONResponse:
        try:
            with get_engine().connect() as conn:
                conn.execute(text("SELECT 1"))
        except Exception:  # noqa: BLE001  (any failure means not ready)
            return JSONResponse({"status": "unavailable", "code": "database_unavailable",
                                 "message": gettext("The database did not answer. Try again "
                                                    "in a moment.")}, status_code=503,
                                headers={"Retry-After": str(RETRY_AFTER_SECONDS)})
        # A failed or stale backup is told here too (its moments and flags only); the
        # answer stays 200 while the database answers.
        backup = backup_readiness()
        return JSONResponse({"status": "ok", "backup": backup} if backup else {"status": "ok"})

    for module in (api_auth, api_trainings, api_batch_meetings, api_agenda, api_directory,
                   api_users, api_registrations, api_participants_io, api_checkins, api_attendance,
                   api_scanner_logins, api_certificates, api_rosters, api_reports,
                   api_messages, api_people, api_programs, api_kampung_kb, api_province,
                   api_assessments, api_evaluations, api_erasure,
                   api_units, api_presenters, api_materials, api_org_export, api_offices_import,
                   api_minutes, api_actions, api_letters, api_nominations, api_guests, api_spj,
                   hooks):
        app.include_router(module.router)
    register_pages(app)
    app.include_router(stop_page.router)
    middleware.install(app, settings, checkin_lane=checkin_lane)
    return app
