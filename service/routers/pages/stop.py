"""The public page behind the link in every email: stop further messages.

GET only shows what the link is for (mail scanners open links; a GET must change
nothing); the button POSTs. A mail client's one-click unsubscribe (RFC 8058) POSTs the
same URL, with no session and no CSRF token: the link's HMAC is the proof.
"""

from fastapi import APIRouter, Request
from fastapi.responses import Response

from service.db import DB
from service.errors import NotFound
from service.models import Message
from service.routers.pages.rendering import render
from service.services.messaging import optout

router = APIRouter(include_in_schema=False)


def _message(db: DB, token: str) -> Message:
    message = optout.message_for(db, token) if len(token) <= 64 else None
    if message is None:
        raise NotFound("This link is not valid (any more). Contact the committee to stop "
                       "their messages.")
    return message


@router.get("/berhenti/{token}")
def stop_page(token: str, request: Request, db: DB) -> Response:
    """What stopping means, and the button."""
    message = _message(db, token)
    return render(request, "public/stop.html", {
        "token": token, "address": optout.masked(message.channel, message.recipient),
        "channel": message.channel,
        "stopped": optout.is_opted_out(db, message.channel, message.recipient)})


@router.post("/berhenti/{token}")
def stop(token: str, request: Request, db: DB) -> Response:
    """Stop every further message to the address this message went to."""
    message = _message(db, token)
    optout.opt_out(db, message.channel, message.recipient, "link")
    return render(request, "public/stop.html", {
        "token": token, "address": optout.masked(message.channel, message.recipient),
        "channel": message.channel, "stopped": True, "just_stopped": True})
