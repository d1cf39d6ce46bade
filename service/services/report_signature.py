"""The signature block at the foot of a training's activity report: place and date ("Padang,
20 September 2018"), and who signs (name, position, NIP).

The committee sets them once per training (stored in report_signature); whatever it
leaves blank takes a default: the place is the city of the training's venue (else the
one city of its batches' venues, else the organization's city), the date the training's
last day, and the signer the first signatory of its certificate template (the head of
office usually signs both).
"""

from collections.abc import Iterable
from dataclasses import replace
from datetime import timedelta

from sqlmodel import Session, col, select

from service.errors import FieldError
from service.i18n import N_
from service.models import Batch, Organization, ReportSignature, Training, User, Venue
from service.models.base import pk, utcnow
from service.rendering.activity_report_pdf import Signer
from service.schemas.reports import SignatureUpdate
from service.services.certificates import template as certificate_template
from service.services.participant_fields import FieldProblem, parse_nip

# A report is signed after the training; two years on is a typo, not a late report.
LATEST_AFTER_END = timedelta(days=2 * 366)


def stored(db: Session, training: Training) -> ReportSignature | None:
    return db.get(ReportSignature, pk(training))


def _city(venues: Iterable[Venue | None]) -> str:
    cities = {" ".join(v.city.split()) for v in venues if v is not None and v.city
              and v.city.strip()}
    return cities.pop() if len(cities) == 1 else ""


def default_place(db: Session, training: Training, org: Organization | None = None,
                  batch_venues: Iterable[Venue | None] | None = None) -> str:
    """The training venue's city; else the city all its batches' venues share; else the
    organization's city; else nothing (the committee types it)."""
    venue = db.get(Venue, training.venue_id) if training.venue_id else None
    if venue is not None and venue.city and venue.city.strip():
        return " ".join(venue.city.split())
    if batch_venues is None:
        batch_venues = db.exec(select(Venue).join(Batch, col(Batch.venue_id) == Venue.id)
                               .where(Batch.training_id == training.id)).all()
    org = org or db.get(Organization, training.organization_id)
    return _city(batch_venues) or ((org.city or "").strip() if org else "")


def current(db: Session, training: Training, org: Organization | None = None,
            batch_venues: Iterable[Venue | None] | None = None) -> Signer:
    """The signature block as the report prints it: what the committee set, and the
    defaults for what it left blank. `org` and `batch_venues` save queries when the
    caller has them."""
    row = stored(db, training)
    signatories = certificate_template.current(db, training).signatories
    first = signatories[0] if signatories else None
    place = row.place if row and row.place else default_place(db, training, org, batch_venues)
    return Signer(
        name=row.signer_name if row and row.signer_name else getattr(first, "name", "") or "",
        position=(row.signer_position if row and row.signer_position
                  else getattr(first, "title", "") or ""),
        nip=row.signer_nip if row and row.signer_nip else getattr(first, "nip", "") or "",
        place=place, signed_on=row.signed_on if row and row.signed_on else training.end_date,
        saved=row is not None)


def save(db: Session, training: Training, data: SignatureUpdate, by: User | None) -> Signer:
    """Store the committee's signature block (blank fields: the defaults again)."""
    nip = (data.signer_nip or "").strip()
    if nip:
        try:
            parse_nip(nip)
        except FieldProblem as problem:
            raise FieldError("signer_nip", problem.message, code="invalid_nip",
                             **problem.params) from None
    when = data.date
    if when is not None and not training.start_date <= when <= training.end_date \
            + LATEST_AFTER_END:
        raise FieldError("date", N_("The report is signed on a day from the training's first "
                                    "day on (it started on {start})."), code="invalid_date",
                         start=training.start_date.isoformat())
    row = stored(db, training) or ReportSignature(training_id=pk(training))
    row.place = data.place or ""
    row.signed_on = when
    row.signer_name = data.signer_name or ""
    row.signer_position = data.signer_position or ""
    row.signer_nip = nip
    row.updated_by = by.id if by else None
    row.updated_at = utcnow()
    db.add(row)
    db.flush()
    return current(db, training)


def overridden(signer: Signer, given: Signer) -> Signer:
    """`signer` with what an API client's query named instead (signer_name=, ...)."""
    return replace(signer, name=given.name or signer.name, nip=given.nip or signer.nip,
                   position=given.position or signer.position)
