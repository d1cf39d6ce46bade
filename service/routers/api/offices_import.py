"""Import an office's export archive from another installation (superusers only)."""

from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile

from service.db import DB
from service.errors import Forbidden
from service.models import User
from service.routers.deps import api_user
from service.routers.urls import public_base
from service.schemas.org_export import OfficeImported
from service.services.org_export import upload

router = APIRouter(prefix="/api/offices", tags=["offices"])


def api_superuser(user: Annotated[User, Depends(api_user)]) -> User:
    if not user.is_superuser:
        raise Forbidden()
    return user


@router.post("/import", status_code=201)
def import_office(request: Request, db: DB, _superuser: Annotated[User, Depends(api_superuser)],
                  archive: Annotated[UploadFile | None, File()] = None,
                  name: Annotated[str, Form(max_length=200)] = "") -> OfficeImported:
    """Multipart `archive` (the ZIP from an office's Export page, up to
    max_import_archive_bytes) and an optional new `name`: 201 with the new office and
    its rows per table, all or nothing; 422 `archive_refused` (damaged, foreign, newer,
    name taken, certificate codes already here) and nothing changes."""
    done = upload.import_upload(db, archive.file if archive else None,
                                archive.size if archive else None, name)
    link = done.link
    return OfficeImported(
        organization_id=done.imported.organization_id, name=done.imported.name,
        counts=done.imported.counts, opt_outs=done.imported.opt_outs,
        admin_email=link.user.email if link else None,
        admin_setup_url=public_base(request) + link.path if link else None)
