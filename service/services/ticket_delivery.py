"""Getting tickets to participants: printed cards and wa.me links (WhatsApp and email
through the outbox: messaging/outbox.py)."""

from dataclasses import dataclass, field
from datetime import date

from sqlmodel import Session, select

from service.i18n import use_locale
from service.models import Batch, Organization, Registration, Training, Venue
from service.models.base import pk
from service.rendering.ticket_cards_pdf import TicketCard
from service.services import meeting_days, places, regions, tickets
from service.services.registrations import RegistrationFilter, RegistrationRow, all_registrations
from service.services.whatsapp import ticket_message, whatsapp_link


@dataclass
class DeliveryContext:
    """What every ticket of a training says besides the person: loaded once."""

    training: Training
    organization: str
    venues: dict[int, Venue]
    # batch id -> day -> the day's own place (places.day_places)
    day_places: dict[int, dict[date, Venue]] = field(default_factory=dict)
    _dates: dict[int, str] = field(default_factory=dict, repr=False)

    def venue_for(self, batch: Batch | None) -> Venue | None:
        venue_id = (batch.venue_id if batch and batch.venue_id else None) or \
            self.training.venue_id
        return self.venues.get(venue_id) if venue_id else None

    def dates_for(self, batch: Batch | None) -> str:
        """The batch's dates in words, worked out once per batch (a bulk send asks once
        per person)."""
        key = pk(batch) if batch is not None else 0
        if key not in self._dates:
            with use_locale("id"):
                self._dates[key] = meeting_days.label(batch) if batch else ""
        return self._dates[key]

    def places_for(self, batch: Batch) -> tuple[tuple[str, str], ...]:
        """The batch's days held away from its venue, as the cards label them (Indonesian,
        the language the cards are printed in): ("HARI KE-3 · 14/9", place)."""
        venue = self.venue_for(batch)
        own = self.day_places.get(pk(batch), {})
        return tuple(
            (f"TEMPAT HARI KE-{(day - batch.start_date).days + 1} \u00b7 {day.day}/{day.month}",
             place.name)
            for day, place in sorted(own.items())
            if venue is None or place.id != venue.id)


def context(db: Session, training: Training) -> DeliveryContext:
    org = db.get(Organization, training.organization_id)
    venues = {pk(v): v for v in db.exec(
        select(Venue).where(
            Venue.organization_id == training.organization_id)).all()}
    batch_ids = list(db.exec(select(Batch.id).where(Batch.training_id == training.id)).all())
    return DeliveryContext(training, org.name if org else "", venues,
                           places.day_places(db, [i for i in batch_ids if i is not None]))


def confirmed_rows(db: Session, training: Training, batch_id: int | None = None
                   ) -> list[RegistrationRow]:
    return all_registrations(db, training, RegistrationFilter(batch_id=batch_id,
                                                              status="confirmed"))


def ticket_url(base_url: str, registration: Registration) -> str:
    return f"{base_url}/t/{registration.ticket_token}"


def certificate_url(base_url: str, ticket_token: str) -> str:
    # Behind the ticket's secret: only its holder (and the committee) can download it.
    return f"{base_url}/t/{ticket_token}/certificate.pdf"


def whatsapp_url(ctx: DeliveryContext, row: RegistrationRow, base_url: str) -> str | None:
    """A wa.me link with the ticket message, for a registration with a phone number."""
    if not row.participant.phone or row.registration.status == "cancelled":
        return None
    venue = ctx.venue_for(row.batch)
    text = ticket_message(row.participant.name, ctx.training.title,
                          row.batch.name if row.batch else "", ctx.dates_for(row.batch),
                          venue.name if venue else None, ticket_url(base_url,
                                                                    row.registration))
    return whatsapp_link(row.participant.phone, text)


def ticket_cards(db: Session, ctx: DeliveryContext, rows: list[RegistrationRow],
                 base_url: str) -> list[TicketCard]:
    short_base = base_url.split("://", 1)[-1]
    cards = []
    for row in rows:
        code = tickets.ticket_code(db, ctx.training, row.registration, row.batch)
        if code is None or row.batch is None:
            continue
        venue = ctx.venue_for(row.batch)
        cards.append(TicketCard(
            name=row.participant.name, training_title=ctx.training.title,
            organization=ctx.organization, batch_name=row.batch.name,
            dates=ctx.dates_for(row.batch), venue=venue.name if venue else None, code=code,
            ticket_url=f"{short_base}/t/{row.registration.ticket_token}",
            category=row.category.name if row.category else None,
            # The region first: a long jabatan is what gets shortened on the card.
            subtitle=" \u00b7 ".join(v for v in (regions.value(ctx.training, row.participant),
                                                 row.participant.position) if v) or None,
            day_places=ctx.places_for(row.batch)))
    return cards
