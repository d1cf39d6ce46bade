"""Letters (surat dinas): an office's letter settings (admins), and a training's
invitations to its units, requests to its narasumber and the committee's surat tugas,
issued with numbers from the office's own counters, as DOCX, PDF or a ZIP of them."""

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from service.db import DB
from service.models import IssuedLetter
from service.routers import files
from service.routers.deps import ApiAdmin, ApiPlanner, ApiTraining
from service.routers.urls import public_base
from service.schemas.letters import (
    IssuedLetterRead,
    IssuedLetters,
    LetterFormat,
    LetterIssue,
    LetterKind,
    LetterSettingsIn,
    LetterSettingsRead,
)
from service.services.letters import issuing, settings

router = APIRouter(prefix="/api", tags=["letters"])


def letter_read(letter: IssuedLetter, existing: bool = False) -> IssuedLetterRead:
    return IssuedLetterRead(
        id=letter.id or 0, kind=letter.kind, number=letter.number,
        recipient=letter.recipient, letter_date=letter.letter_date,
        issued_at=letter.issued_at, unit_id=letter.unit_id, speaker_id=letter.speaker_id,
        replaced=letter.replaced_at is not None, existing=existing)


@router.get("/letter-settings")
def get_settings(db: DB, user: ApiAdmin) -> LetterSettingsRead:
    """The kop surat, place, signatory and each kind's numbering, with the next number of
    each kind today (`configured: false` until saved)."""
    return settings.read(db, user.organization_id, settings.today())


@router.put("/letter-settings")
def put_settings(data: LetterSettingsIn, db: DB, user: ApiAdmin) -> LetterSettingsRead:
    """Save the settings; a pattern needs {seq} exactly once (422 `invalid_pattern`), a
    NIP 18 digits (422 `invalid_nip`)."""
    settings.save(db, user.organization_id, data, user)
    return settings.read(db, user.organization_id, settings.today())


@router.post("/trainings/{training_id}/letters", status_code=201)
def issue_letters(request: Request, training: ApiTraining, data: LetterIssue, db: DB,
                  user: ApiPlanner) -> IssuedLetters:
    """Issue letters of one kind to the units or narasumber named (all when none): 409
    `letters_not_set_up` before the settings are saved, 422 `no_recipients` /
    `not_a_recipient`. A recipient who holds one already keeps it (`existing: true`)
    unless `new_number` is true."""
    done = issuing.issue(db, training, user, data, public_base(request))
    return IssuedLetters(items=[letter_read(letter, existing) for letter, existing in done])


@router.get("/trainings/{training_id}/letters")
def list_letters(training: ApiTraining, db: DB) -> IssuedLetters:
    """Every letter of the training (replaced ones too), by kind and number."""
    return IssuedLetters(items=[letter_read(x) for x in issuing.list_letters(db, training)])


@router.get("/letters/{letter_id}.docx")
def letter_docx(letter_id: int, db: DB, user: ApiPlanner) -> Response:
    """The letter as DOCX, made again from the training's data with its number and date."""
    letter = issuing.get_letter(db, user.organization_id, letter_id)
    return files.letter_file(db, letter, "docx", attachment=True)


@router.get("/letters/{letter_id}.pdf")
def letter_pdf(letter_id: int, db: DB, user: ApiPlanner) -> Response:
    """The letter as PDF."""
    letter = issuing.get_letter(db, user.organization_id, letter_id)
    return files.letter_file(db, letter, "pdf", attachment=False)


@router.get("/trainings/{training_id}/letters.zip")
def letters_zip(training: ApiTraining, db: DB, kind: LetterKind | None = None,
                format: Annotated[LetterFormat, Query()] = "pdf") -> Response:  # noqa: A002
    """The training's current letters (of `kind`, or all), one file per recipient."""
    return files.letters_zip(db, training, kind, format)


@router.get("/trainings/{training_id}/letters.pdf")
def letters_pdf(training: ApiTraining, db: DB, kind: LetterKind | None = None) -> Response:
    """The training's current letters (of `kind`, or all) in one PDF, to print at once."""
    return files.letters_pdf(db, training, kind, attachment=False)
