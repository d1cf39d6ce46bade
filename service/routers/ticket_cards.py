"""The printable ticket cards of a batch: one response for the API and the pages."""

from fastapi import Request
from fastapi.responses import Response
from sqlmodel import Session

from service.models import Batch, Training
from service.rendering.ticket_cards_pdf import ticket_cards_pdf
from service.routers.pdf import pdf_response
from service.routers.urls import public_base
from service.services import ticket_delivery


def ticket_cards_response(db: Session, request: Request, batch: Batch,
                          training: Training) -> Response:
    ctx = ticket_delivery.context(db, training)
    rows = ticket_delivery.confirmed_rows(db, training, batch.id)
    cards = ticket_delivery.ticket_cards(db, ctx, rows, public_base(request))
    return pdf_response(ticket_cards_pdf(cards, title=f"{training.title} – {batch.name}"),
                        f"tiket-{batch.name}.pdf")
