"""People across trainings: search, a person's record (trainings, attendance, JPL,
certificates), likely duplicates and merging them, and the record as PDF."""

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from service.db import DB
from service.models.base import pk
from service.rendering.person_record_pdf import render_person_record_pdf
from service.routers import files
from service.routers.deps import ApiPlanner
from service.schemas.people import (
    DistinctIn,
    DistinctList,
    DistinctRead,
    DuplicateList,
    MergeIn,
    MergeResult,
    PersonList,
    PersonRead,
    distinct_pair,
    duplicate_pair,
    list_item,
    person_read,
)
from service.services.people import distinct, duplicates, merge, record, search
from service.services.people.search import MAX_PAGE

router = APIRouter(prefix="/api", tags=["people"])

@router.get("/people")
def list_people(user: ApiPlanner, db: DB,
                q: Annotated[str, Query(max_length=100)] = "",
                page: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 1) -> PersonList:
    """The organization's people by name (titles aside), or by the last 4 to 6 digits of a
    NIK or phone, or a whole NIP (422 search_digits for other numbers); 50 a page."""
    found = search.search(db, user.organization_id, q, page)
    admin = user.role == "admin"
    return PersonList(items=[list_item(f, admin) for f in found.items], total=found.total,
                      page=found.page, pages=found.pages)


@router.get("/people/duplicates")
def list_duplicates(user: ApiPlanner, db: DB) -> DuplicateList:
    """Pairs that look like one person: same name and date of birth, or similar names
    with the same phone; pairs marked as two people (/people/distinct) left out."""
    pairs = duplicates.likely_duplicates(db, user.organization_id)
    admin = user.role == "admin"
    return DuplicateList(items=[duplicate_pair(p, admin) for p in pairs], total=len(pairs))


@router.get("/people/distinct")
def list_distinct(user: ApiPlanner, db: DB) -> DistinctList:
    """Pairs the committee marked as two people (left out of the likely duplicates),
    newest first, with who marked them and when."""
    marks = distinct.marks(db, user.organization_id)
    admin = user.role == "admin"
    return DistinctList(items=[distinct_pair(m, admin) for m in marks], total=len(marks))


@router.get("/people/{person_id}")
def get_person(person_id: int, user: ApiPlanner, db: DB) -> PersonRead:
    """A person's trainings with attendance, JPL and certificate; JPL per year and in all."""
    r = record.person_record(db, user.organization_id, person_id)
    return person_read(r, user.role == "admin")


@router.post("/people/{person_id}/merge")
def merge_person(person_id: int, data: MergeIn, user: ApiPlanner, db: DB) -> MergeResult:
    """Merge `other_id` into this person: every registration moves here and the other is
    deleted, with an audit entry (409 merge_conflict, nothing changed, when both are
    registered in one training)."""
    entry = merge.merge(db, user.organization_id, person_id, data.other_id, user.id)
    return MergeResult(kept_id=entry.kept_id, merged_id=entry.merged_id,
                       registrations_moved=entry.registrations_moved)


@router.post("/people/{person_id}/distinct", status_code=201)
def mark_distinct(person_id: int, data: DistinctIn, user: ApiPlanner, db: DB
                  ) -> DistinctRead:
    """Mark this person and `other_id` as not the same person: the pair leaves the likely
    duplicates (kept with who and when; marking it again changes nothing)."""
    found = distinct.mark(db, user.organization_id, person_id, data.other_id, user.id)
    return DistinctRead(first_id=pk(found.first), second_id=pk(found.second), by=found.by,
                        at=found.at)


@router.delete("/people/{person_id}/distinct/{other_id}", status_code=204)
def unmark_distinct(person_id: int, other_id: int, user: ApiPlanner, db: DB) -> Response:
    """Take back the mark: the pair is a likely duplicate again (404 distinct_not_found
    when not marked)."""
    distinct.undo(db, user.organization_id, person_id, other_id, user.id)
    return Response(status_code=204)


@router.get("/people/{person_id}/record.pdf")
def record_pdf(person_id: int, user: ApiPlanner, db: DB) -> Response:
    """The person's record of trainings as a PDF (for a promotion file)."""
    r = record.person_record(db, user.organization_id, person_id)
    doc = record.document(db, r, user.role == "admin", date.today())
    return files.pdf(render_person_record_pdf(doc), record.filename(r), attachment=True)
