"""Looking a person up within the asking organization, and their numbers as each viewer
may see them (design.md, personal data: whole only for admins)."""

from sqlmodel import Session

from service.errors import NotFound
from service.i18n import N_
from service.models import Participant
from service.services.registrations import mask_nik, mask_nip


class PersonNotFound(NotFound):
    code, message = "person_not_found", N_("Person not found.")


def get_person(db: Session, org_id: int, person_id: int) -> Participant:
    """The organization's person; another organization's is not found (never forbidden:
    that would say it exists)."""
    person = db.get(Participant, person_id) if 0 < person_id < 2**31 else None
    if person is None or person.organization_id != org_id:
        raise PersonNotFound()
    return person


def mask_phone(phone: str | None) -> str | None:
    """A phone as everyone but an admin sees it: its last 4 digits."""
    return f"{'•' * 8}{phone[-4:]}" if phone else None


def shown_nik(person: Participant, admin: bool) -> str | None:
    return person.nik if admin else mask_nik(person.nik)


def shown_nip(person: Participant, admin: bool) -> str | None:
    return person.nip if admin else mask_nip(person.nip)


def shown_phone(person: Participant, admin: bool) -> str | None:
    return person.phone if admin else mask_phone(person.phone)
