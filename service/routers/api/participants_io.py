"""Bulk work on a training's participants: spreadsheet import, batch assignment, tickets."""

import base64
import json
from typing import Annotated

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.responses import Response

from service.db import DB
from service.errors import FieldError
from service.rendering.import_template import import_template_xlsx
from service.routers import files
from service.routers.deps import ApiBatch, ApiPlanner, ApiTraining
from service.routers.urls import public_base
from service.schemas.participants import AssignRequest, TicketVerifyRequest
from service.services import assignment, imports, tickets
from service.services.messaging import outbox
from service.services.registrations import categories_of

router = APIRouter(prefix="/api", tags=["participants"])


def _mapping(raw: str | None, name: str = "mapping") -> dict[str, str]:
    if not raw:
        return {}
    try:
        value = json.loads(raw)
    except ValueError:
        value = None
    if not isinstance(value, dict) or not all(isinstance(k, str) and isinstance(v, str)
                                              for k, v in value.items()):
        if name == "categories":
            raise FieldError(name, 'Send the categories as a JSON object: the spelling in the '
                             'file to a category of the training, or "+" for a new one.')
        raise FieldError("mapping", "Send the mapping as a JSON object: header to field.")
    return value


@router.post("/trainings/{training_id}/registrations/import")
def import_registrations(training: ApiTraining, db: DB,
                         file: Annotated[UploadFile, File()],
                         mapping: Annotated[str | None, Form()] = None,
                         categories: Annotated[str | None, Form()] = None,
                         header_row: Annotated[int | None, Form(ge=1, le=1_048_576)] = None
                         ) -> dict[str, object]:
    """Import a .xlsx or .csv: every row or none (422 import_invalid lists each bad cell).

    The header row is found under a title block (or named by `header_row`); a training
    without categories takes the file's (`new_categories`); `categories` maps a spelling
    the training lacks to one of its categories, or "+" to add it. Each person's Kampung
    KB text is linked to the register where it names one entry; `kampung_kb_unmatched`
    counts those to map on /api/kampung-kb/map."""
    content = file.file.read()
    check = imports.check_file(db, training, content, file.filename or "", _mapping(mapping),
                               header_row=header_row,
                               category_choices=_mapping(categories, "categories"))
    done = imports.import_rows(db, training, check)
    return {"imported": done.imported, "errors": [],
            "header_row": check.table.header_row,
            "new_categories": check.result.new_categories,
            "kampung_kb_linked": done.kampung_kb_linked,
            "kampung_kb_unmatched": done.kampung_kb_unmatched}


@router.get("/trainings/{training_id}/registrations/template.xlsx")
def import_template(training: ApiTraining, db: DB) -> Response:
    """An empty participant list with the expected columns and an example row."""
    data = import_template_xlsx([c.name for c in categories_of(db, training.id or 0)])
    return files.xlsx(data, "template-peserta.xlsx")


@router.post("/trainings/{training_id}/assign")
def assign(training: ApiTraining, data: AssignRequest, db: DB) -> dict[str, object]:
    """Place every waiting registration into a batch (balanced or by kecamatan)."""
    result = (assignment.preview(db, training, data.strategy) if data.dry_run
              else assignment.apply(db, training, data.strategy))
    return {"strategy": result.strategy, "dry_run": data.dry_run,
            "placed": result.placed, "waitlisted": result.waitlisted,
            "batches": [{"id": s.id, "name": result.batch(s.id).name,
                         "confirmed": s.confirmed_after, "capacity": s.capacity,
                         "added": s.added, "by_category": s.by_category,
                         "by_district": s.by_district} for s in result.summaries]}


@router.get("/batches/{batch_id}/tickets.pdf")
def ticket_cards(found: ApiBatch, db: DB, request: Request) -> Response:
    """Printable ticket cards of a batch's confirmed participants, 8 per A4 page."""
    return files.ticket_cards(db, request, *found)


@router.post("/trainings/{training_id}/tickets/email", status_code=202)
def email_tickets(training: ApiTraining, db: DB, request: Request, user: ApiPlanner,
                  batch_id: int | None = Query(None, ge=1, le=2**62)) -> dict[str, object]:
    """Queue every confirmed participant's (of one batch, or all) ticket email; the
    worker sends them (POST /api/trainings/{id}/messages does the same, and more)."""
    report = outbox.queue(db, training, outbox.SendRequest("ticket", "email", batch_id),
                          public_base(request), user.id)
    return {"queued": report.queued, "without_email": report.without_address["email"],
            "opted_out": report.opted_out}


@router.get("/trainings/{training_id}/ticket-key")
def ticket_key(training: ApiTraining, db: DB) -> dict[str, object]:
    """The public key that verifies this training's ticket codes (for offline scanners)."""
    public = tickets.ensure_keys(db, training)
    return {"training_id": training.id, "algorithm": "Ed25519",
            "public_key": base64.b64encode(public).decode()}


@router.post("/tickets/verify")
def verify_ticket(data: TicketVerifyRequest, db: DB, user: ApiPlanner) -> dict[str, object]:
    """Is this QR text a genuine, current ticket? Without checking anyone in."""
    found = tickets.check_code(db, user.organization_id, data.code.strip())
    return {"valid": True, "registration_id": found.registration.id,
            "name": found.participant.name, "batch_id": found.batch.id,
            "batch": found.batch.name, "training_id": found.training.id,
            "days": [found.claims.first_day.isoformat(), found.claims.last_day.isoformat()]}
