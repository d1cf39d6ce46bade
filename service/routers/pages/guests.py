"""Pages: a training's guests and committee (the two lists, a quick paste, the attendance
grid per day, their daftar hadir and QR cards), its narasumber attendance per session, and
the narasumber's own "Saya hadir" behind their private link."""

from datetime import date, datetime
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from service.db import DB
from service.errors import DomainError, FieldError
from service.i18n import N_
from service.i18n.formats import fmt_date
from service.models import Training, User
from service.models.base import pk
from service.rendering.guest_sheet_pdf import render_guest_sheets_pdf
from service.rendering.ticket_cards_pdf import ticket_cards_pdf
from service.routers import files
from service.routers.deps import PagePlanner, PageTraining
from service.routers.pages.forms import SubmittedForm, errors_by_field, parse, submit
from service.routers.pages.rendering import redirect, render
from service.routers.urls import public_base
from service.schemas.guests import PersonCreate, PersonPatch
from service.services import roster_links
from service.services import training_clock as clock
from service.services.guests import attendance, documents, people, speaker_attendance
from service.services.guests.people import COMMITTEE_ROLES
from service.services.people.identity import mask_phone
from service.services.registrations import mask_nip

router = APIRouter(include_in_schema=False)
PERSON_FIELDS = ("kind", "name", "position", "institution", "nip", "committee_role", "phone",
                 "email")


def _kind(raw: str | None) -> str:
    return "committee" if raw == "committee" else "guest"


def _day(raw: str) -> date:
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise FieldError("day", N_("Not a date."), code="invalid_day") from None


def _local_hm(training: Training, moment: datetime | None) -> str:
    """"5 Desember 2026 07.42" where the training is held."""
    if moment is None:
        return ""
    at = clock.local(training, moment)
    return f"{fmt_date(at.date())} {at.strftime('%H.%M')}"


def _page(request: Request, db: DB, training: Training, user: User, *,
          exc: DomainError | None = None, values: dict[str, Any] | None = None,
          form: str = "", added: int = 0) -> Response:
    grid = attendance.grid(db, training)
    admin = user.role == "admin"
    return render(request, "guests/page.html", {
        "training": training, "crumb_training": training, "grid": grid,
        "guests": [p for p in grid.people if p.kind == "guest"],
        "committee": [p for p in grid.people if p.kind == "committee"],
        "shown_nip": (lambda p: p.nip) if admin else (lambda p: mask_nip(p.nip)),
        "shown_phone": (lambda p: p.phone) if admin else (lambda p: mask_phone(p.phone)),
        "today": clock.today(training), "roles": COMMITTEE_ROLES,
        "errors": errors_by_field(exc) if exc else {}, "form": form,
        "values": values or {"kind": "guest"}, "added": added,
        "local_hm": lambda m: _local_hm(training, m),
    }, exc.status if exc else 200, block="guests")


@router.get("/trainings/{training_id}/guests")
def guests_page(request: Request, training: PageTraining, db: DB,
                user: PagePlanner) -> Response:
    """Tamu & panitia: the invited guests and the committee, their attendance per day."""
    return _page(request, db, training, user)


@router.post("/trainings/{training_id}/guests")
def add_person(request: Request, training: PageTraining, form: SubmittedForm, db: DB,
               user: PagePlanner) -> Response:
    """Add one guest or committee member."""
    values = {k: form.get(k) for k in PERSON_FIELDS}
    values["kind"] = _kind(values["kind"])
    return submit(db, lambda: people.add_person(db, training, parse(PersonCreate, values)),
                  lambda _p: _page(request, db, training, user, added=1),
                  lambda exc: _page(request, db, training, user, exc=exc, values=values,
                                    form="one"))


@router.post("/trainings/{training_id}/guests/paste")
def paste_people(request: Request, training: PageTraining, form: SubmittedForm, db: DB,
                 user: PagePlanner) -> Response:
    """Add several people at once, one a line: name, position, institution."""
    kind, text = _kind(form.get("kind")), form.get("paste")
    return submit(db, lambda: people.add_pasted(db, training, people.parse_paste(text, kind)),
                  lambda added: _page(request, db, training, user, added=len(added)),
                  lambda exc: _page(request, db, training, user, exc=exc, form="paste",
                                    values={"kind": kind, "paste": text}))


def _person_of(db: DB, training: Training, guest_id: int) -> Any:
    person, owner = people.get_person(db, training.organization_id, guest_id)
    if owner.id != training.id:
        raise people.PersonNotFound()
    return person


@router.post("/trainings/{training_id}/guests/{guest_id}/edit")
def edit_person(request: Request, training: PageTraining, guest_id: int, form: SubmittedForm,
                db: DB, user: PagePlanner) -> Response:
    """Change a person's details."""
    values = {k: form.get(k) for k in PERSON_FIELDS if k != "kind"}
    if user.role != "admin":
        # Others see NIP and phone masked: left as shown, they are kept as they are.
        values = {k: v for k, v in values.items() if k not in ("nip", "phone") or "•" not in v}
    return submit(db, lambda: people.update_person(db, _person_of(db, training, guest_id),
                                                   parse(PersonPatch, values)),
                  lambda _p: _page(request, db, training, user),
                  lambda exc: _page(request, db, training, user, exc=exc))


@router.post("/trainings/{training_id}/guests/{guest_id}/move")
def move_person(request: Request, training: PageTraining, guest_id: int, form: SubmittedForm,
                db: DB, user: PagePlanner) -> Response:
    """Move a person one place up or down in their list."""
    step = -1 if form.get("dir") == "up" else 1
    return submit(db, lambda: people.move(db, _person_of(db, training, guest_id), step),
                  lambda _n: _page(request, db, training, user),
                  lambda exc: _page(request, db, training, user, exc=exc))


@router.post("/trainings/{training_id}/guests/{guest_id}/delete")
def delete_person(request: Request, training: PageTraining, guest_id: int, db: DB,
                  user: PagePlanner) -> Response:
    """Remove a person with their attendance."""
    return submit(db, lambda: people.delete_person(db, _person_of(db, training, guest_id)),
                  lambda _n: _page(request, db, training, user),
                  lambda exc: _page(request, db, training, user, exc=exc))


@router.post("/trainings/{training_id}/guests/{guest_id}/attendance/{day}")
def tick(request: Request, training: PageTraining, guest_id: int, day: str,
         form: SubmittedForm, db: DB, user: PagePlanner) -> Response:
    """One cell of the grid: present or not on that day (HTMX swaps the cell)."""
    present = form.get("present") == "1"

    def work() -> Any:
        person = _person_of(db, training, guest_id)
        attendance.set_attendance(db, training, person, _day(day), present, user)
        return person

    def done(person: Any) -> Response:
        if not request.headers.get("hx-request"):
            return redirect(request, f"/trainings/{training.id}/guests#grid")
        grid = attendance.grid(db, training)
        return render(request, "guests/_cell.html", {
            "training": training, "p": person, "d": _day(day), "grid": grid, "oob": True,
            "local_hm": lambda m: _local_hm(training, m)})

    return submit(db, work, done, lambda exc: _page(request, db, training, user, exc=exc))


@router.get("/trainings/{training_id}/guests/daftar-hadir.pdf")
def sheet_pdf(training: PageTraining, db: DB, kind: str = "guest") -> Response:
    kind = _kind(kind)
    sheets = documents.sheets(db, training, kind)
    return files.pdf(render_guest_sheets_pdf(sheets, title=training.title),
                     documents.filename(kind, training, "pdf"))


@router.get("/trainings/{training_id}/guests/cards.pdf")
def cards_pdf(request: Request, training: PageTraining, db: DB) -> Response:
    cards = documents.cards(db, training, public_base(request))
    return files.pdf(ticket_cards_pdf(cards, title=training.title),
                     f"kartu-tamu-panitia-{pk(training)}.pdf")


# --- narasumber attendance (the committee) ------------------------------------------------

def _speaker_page(request: Request, db: DB, training: Training,
                  exc: DomainError | None = None) -> Response:
    slots = speaker_attendance.slots(db, training)
    days: dict[date, list[Any]] = {}
    for s in slots:
        days.setdefault(s.session.date, []).append(s)
    return render(request, "guests/speakers.html", {
        "training": training, "crumb_training": training, "days": days,
        "recorded": sum(1 for s in slots if s.present is not None), "total": len(slots),
        "local_hm": lambda m: _local_hm(training, m),
        "errors": errors_by_field(exc) if exc else {},
    }, exc.status if exc else 200)


@router.get("/trainings/{training_id}/speaker-attendance")
def speakers_page(request: Request, training: PageTraining, db: DB,
                  user: PagePlanner) -> Response:
    """Narasumber attendance: each session's narasumber, present or not."""
    return _speaker_page(request, db, training)


@router.post("/trainings/{training_id}/speaker-attendance/{session_id}/{speaker_id}")
def tick_speaker(request: Request, training: PageTraining, session_id: int, speaker_id: int,
                 form: SubmittedForm, db: DB, user: PagePlanner) -> Response:
    """One narasumber of one session: present or absent (HTMX swaps the cell)."""
    present = form.get("present") == "1"

    def work() -> Any:
        session, owner = speaker_attendance.get_session(db, training.organization_id,
                                                        session_id)
        if owner.id != training.id:
            raise speaker_attendance.SessionNotFound()
        speaker_attendance.record(db, session, speaker_id, present, user)
        return next(s for s in speaker_attendance.slots(db, training)
                    if s.session.id == session_id and s.speaker.id == speaker_id)

    def done(slot: Any) -> Response:
        if not request.headers.get("hx-request"):
            return redirect(request, f"/trainings/{training.id}/speaker-attendance")
        return render(request, "guests/_speaker_cell.html", {
            "training": training, "s": slot, "local_hm": lambda m: _local_hm(training, m)})

    return submit(db, work, done, lambda exc: _speaker_page(request, db, training, exc))


# --- the narasumber's own link ----------------------------------------------------------

@router.post("/n/{token}/hadir/{session_id}")
def speaker_present(request: Request, token: str, session_id: int, db: DB) -> Response:
    """ "Saya hadir": the narasumber marks themself present for one of their sessions."""
    def work() -> None:
        link, _speaker, training = roster_links.resolve(db, token)
        speaker_attendance.mark_by_link(db, link, training, session_id)

    def refused(exc: DomainError) -> Response:
        page = "rosters/link_not_found.html" if isinstance(exc, roster_links.LinkNotFound) \
            else "guests/link_refused.html"
        response = render(request, page, {"message": exc.text(), "token": token},
                          status_code=exc.status)
        response.headers.update(files.PRIVATE)
        return response

    return submit(db, work, lambda _n: redirect(request, f"/n/{token}#hadir-{session_id}"),
                  refused)


# --- the card's own URL (what a phone's camera opens) ------------------------------------

@router.get("/g/{token}")
def card_page(request: Request, token: str, db: DB) -> Response:
    """The page a guest's or committee member's card opens in a phone's camera app: who
    it belongs to, and to show it at the door (the door scanner records them)."""
    found = attendance.card_holder(db, token)
    if found is None:
        response = render(request, "rosters/link_not_found.html",
                          {"message": attendance.InvalidCard().text()}, status_code=404)
    else:
        person, training, organization = found
        label = documents.kind_label(person.kind)
        if person.kind == "committee" and person.committee_role:
            label = f"{label} · {person.committee_role}"
        response = render(request, "guests/card.html", {
            "person": person, "training": training, "organization": organization,
            "label": label})
    response.headers.update(files.PRIVATE)
    return response
