"""The door scanner: a progressive web app that checks people in, online or offline.

Step 1 (a plain GET form, works without JavaScript) picks training, batch, day and, for
per-session trainings, the session. Step 2 is the scanning view: the camera, the manual
search, and the queue of offline scans. Its service worker (/scan-sw.js) keeps the page
and its assets on the phone, so a reload without network still opens the scanner.
"""

import hashlib
import json
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from service.db import DB
from service.i18n import get_locale
from service.i18n import gettext as _
from service.models import User
from service.routers.deps import page_user
from service.routers.pages.rendering import TEMPLATES_DIR, render
from service.services import scan_setup

router = APIRouter(include_in_schema=False)
PageUser = Annotated[User, Depends(page_user)]

STATIC = TEMPLATES_DIR.parent / "static"
SW_SOURCE = STATIC / "js" / "scanner" / "sw.js"
MANIFEST_URL = "/scan/app.webmanifest"
# What the service worker keeps on the phone so the scanner opens with no network.
ASSETS = ("/static/css/app.css", "/static/css/scan.css",
          "/static/js/scanner/app.js", "/static/js/scanner/camera.js",
          "/static/js/scanner/logic.js", "/static/js/scanner/store.js",
          "/static/js/scanner/verify.js", "/static/js/scanner/feedback.js",
          "/static/js/scanner/register.js", "/static/js/scanner/choose.js",
          "/static/vendor/idb/index.js", "/static/vendor/noble-ed25519/index.js",
          "/static/vendor/zxing-wasm/reader/index.js", "/static/vendor/zxing-wasm/share.js",
          "/static/vendor/zxing-wasm/zxing_reader.wasm",
          "/static/img/scanner-192.png", "/static/img/scanner-512.png")


def _int(raw: str | None) -> int | None:
    raw = (raw or "").strip()
    return int(raw) if raw.isdigit() and len(raw) < 10 else None


def _day(raw: str | None) -> date | None:
    try:
        return date.fromisoformat((raw or "").strip())
    except ValueError:
        return None


def messages() -> dict[str, str]:
    """Everything the page's script may show, translated here (JS cannot call gettext):
    the refusals it decides itself offline included, so the door never shows English on
    an Indonesian scanner (tests/test_scan_messages.py walks them)."""
    return {
        # A first check-in and a repeat must not start alike ("SUDAH MASUK" and "SUDAH
        # PRESENSI" did): the door lets the first in, and stops the second.
        "checked_in": _("Checked in now"),
        "already": _("Already checked in"),
        "already_at": _("First checked in at {time} by {by}"),
        "already_at_nobody": _("First checked in at {time}"),
        "not_allowed": _("Not allowed in"),
        "invalid_ticket": _("This QR code is not a genuine ticket."),
        "cancelled": _("This registration was cancelled."),
        "wrong_batch": _("{name} belongs to {batch}, not to this batch."),
        "wrong_batch_noname": _("This ticket belongs to {batch}, not to this batch."),
        "wrong_day": _("This ticket is for {days}, not for {day}."),
        # A batch meeting on listed dates (monthly coaching), offline at the door.
        "not_meeting_day": _("This batch does not meet on {day}; its next meeting is on {next}."),
        "wrong_training": _("This ticket belongs to another training."),
        "out_of_date": _("This ticket is out of date: it was changed or moved. "
                         "Ask the committee for the newest ticket."),
        "no_session_open": _("No session of this batch is open for check-in at {time}."),
        "invalid_time": _("The scan time lies in the future. Check the date and time of "
                          "the scanning device."),
        "not_found": _("This person is not on this batch's list."),
        "no_manifest": _("This ticket cannot be checked offline: the ticket list is not "
                         "downloaded yet. It is saved and will be checked when the "
                         "network returns."),
        "saved_offline": _("Saved on this phone; it is sent when the network returns."),
        "pending_one": _("1 scan waiting to sync"),
        "pending_many": _("{n} scans waiting to sync"),
        "online": _("Online"),
        "offline": _("Offline"),
        "manifest_ready": _("Ticket list: {n} people, updated {time}"),
        "manifest_missing": _("The ticket list is not downloaded yet: connect to the "
                              "internet once before the doors open."),
        "login_again": _("Your login has expired: log in again so the scans can sync."),
        "camera_error": _("The camera cannot be opened. Allow camera access, or use the "
                          "search."),
        "check_in": _("Check in"),
        "checked_in_at": _("Checked in at {time}"),
        "nobody_found": _("Nobody found."),
        "search_short": _("Type at least 2 letters, or the last 4 digits of a phone or NIK."),
        "search_more": _("Showing the first {shown} of {total}: type more of the name."),
        "phone": _("Mobile"),
        "nik": _("NIK"),
        "sync_refused": _("{n} synced scans were refused by the server."),
        # A guest's or committee member's card (its QR ends in /g/<token>): recorded by
        # services/guests/attendance.py; offline it waits in the queue with its scan time.
        "guest_present": _("Guest: {name} present"),
        "committee_present": _("Committee: {name} present"),
        "guest_saved": _("Guest card saved; it is sent when there is a signal."),
        # Only when the phone cannot keep the scan (its storage full or refused).
        "guest_needs_signal": _("Guest and committee cards need a signal: let them in, "
                                "then scan again when the phone is online, or tick them "
                                "on the Guests & committee page."),
        "error": _("Something went wrong. Try again."),
    }


def _config(request: Request, user: User, choice: scan_setup.ScanChoice) -> dict[str, Any]:
    assert choice.training and choice.batch and choice.day
    bid = choice.batch.id
    return {
        "training_id": choice.training.id, "batch_id": bid, "day": choice.day.isoformat(),
        "today": choice.today.isoformat() if choice.today else None,
        "session": choice.session, "checkin_mode": choice.training.checkin_mode,
        "timezone": choice.training.timezone, "user_name": user.name, "locale": get_locale(),
        "csrf_token": getattr(request.state, "csrf_token", ""),
        "urls": {"checkin": "/api/checkins", "sync": "/api/checkins/sync",
                 "manifest": f"/api/batches/{bid}/manifest",
                 "search": f"/api/batches/{bid}/checkin-search", "login": "/login",
                 "guest_checkin": f"/api/trainings/{choice.training.id}/guest-checkins"},
        "messages": messages(),
    }


@router.get("/scan")
def scan_page(request: Request, user: PageUser, db: DB, training_id: str | None = None,
              batch_id: str | None = None, day: str | None = None,
              session: str | None = None, change: str | None = None,
              training: str | None = None) -> Response:
    """The door scanner: choose training, batch and day; then scan tickets."""
    # `training` is an alias of training_id (links from a training's overview use it).
    choice = scan_setup.choose(db, user, _int(training_id or training), _int(batch_id), _day(day),
                               (session or "").strip() or None)
    if choice.complete and not change:
        response = render(request, "scan/scanner.html",
                          {"choice": choice, "config": _config(request, user, choice),
                           "manifest_url": MANIFEST_URL})
    else:
        response = render(request, "scan/choose.html",
                          {"choice": choice, "manifest_url": MANIFEST_URL})
    # The service worker keeps its own copy; browsers must not reuse a stale one.
    response.headers["Cache-Control"] = "no-cache"
    return response


@lru_cache
def _service_worker() -> tuple[str, str]:
    """The worker's source with its cache version: a digest of every asset it caches, so
    a new release replaces the phone's copy."""
    digest = hashlib.sha256(SW_SOURCE.read_bytes())
    for url in ASSETS:
        path = STATIC / url.removeprefix("/static/")
        digest.update(path.read_bytes() if path.exists() else b"")
    version = digest.hexdigest()[:12]
    source = (SW_SOURCE.read_text(encoding="utf-8")
              .replace('"__VERSION__"', json.dumps(version))
              .replace('["__ASSETS__"]', json.dumps([*ASSETS, MANIFEST_URL])))
    return source, version


@router.get("/scan-sw.js")
def service_worker() -> Response:
    """The scanner's service worker (scope /scan)."""
    source, version = _service_worker()
    return Response(source, media_type="text/javascript",
                    headers={"Cache-Control": "no-cache", "ETag": f'"{version}"'})


@router.get(MANIFEST_URL)
def web_manifest() -> Response:
    """The web app manifest: installs the scanner on a phone's home screen."""
    body = {
        "name": _("Bimtek door scanner"), "short_name": _("Scanner"),
        "start_url": "/scan", "scope": "/scan", "display": "standalone",
        "orientation": "portrait", "background_color": "#0b6e4f", "theme_color": "#0b6e4f",
        "icons": [{"src": "/static/img/scanner-192.png", "sizes": "192x192",
                   "type": "image/png", "purpose": "any maskable"},
                  {"src": "/static/img/scanner-512.png", "sizes": "512x512",
                   "type": "image/png", "purpose": "any maskable"}],
    }
    return Response(json.dumps(body, ensure_ascii=False), media_type="application/manifest+json",
                    headers={"Cache-Control": "no-cache"})


def asset_paths() -> list[Path]:
    """The files behind ASSETS (tests check that each exists)."""
    return [STATIC / url.removeprefix("/static/") for url in ASSETS]
