"""Webhooks from providers: WhatsApp Cloud API delivery reports and replies.

Meta signs each POST with the app secret (X-Hub-Signature-256 over the raw body): an
unsigned or wrongly signed one is refused (403) and changes nothing. A signed one is
answered 200 even when it says nothing we know (Meta repeats a notification until it
gets a 200). GET answers Meta's verification handshake when the webhook is registered.
"""

import json
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import PlainTextResponse, Response

from service.db import DB
from service.errors import DomainError
from service.i18n import N_
from service.services.messaging import webhook
from service.services.messaging.whatsapp_cloud import (
    CloudConfig,
    parse_webhook,
    signature_valid,
    verify_handshake,
)
from service.settings import get_settings

router = APIRouter(include_in_schema=False)


class BadSignature(DomainError):
    code, status = "bad_signature", 403
    message = N_("The webhook's signature does not match.")


async def _raw_body(request: Request) -> bytes:
    # Read on the event loop (network I/O); the database work runs in the thread pool.
    return await request.body()


RawBody = Annotated[bytes, Depends(_raw_body)]


@router.get("/hooks/whatsapp")
def whatsapp_verify(mode: Annotated[str | None, Query(alias="hub.mode")] = None,
                    token: Annotated[str | None, Query(alias="hub.verify_token")] = None,
                    challenge: Annotated[str | None, Query(alias="hub.challenge",
                                                           max_length=200)] = None
                    ) -> Response:
    answer = verify_handshake(CloudConfig.from_settings(get_settings()), mode, token,
                              challenge)
    if answer is None:
        raise BadSignature(N_("The webhook's verify token does not match."))
    return PlainTextResponse(answer)


@router.post("/hooks/whatsapp")
def whatsapp_events(request: Request, body: RawBody, db: DB) -> dict[str, int]:
    secret = CloudConfig.from_settings(get_settings()).app_secret
    if not signature_valid(secret, body, request.headers.get("x-hub-signature-256")):
        raise BadSignature()
    try:
        payload = json.loads(body)
    except ValueError:
        payload = None
    statuses, replies = parse_webhook(payload)
    done = webhook.apply(db, statuses, replies)
    return {"statuses": done.statuses, "stops": done.stops}
