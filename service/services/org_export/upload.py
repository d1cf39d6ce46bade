"""A superuser's import of an office's archive over the web (/offices, POST
/api/offices/import): the uploaded file checked, imported in the caller's transaction
(all or nothing), and the new office's first admin given a setup link, as for an office
set up here, since no password travels."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import IO

from sqlmodel import Session, col, select

from service.errors import FieldError
from service.i18n import N_
from service.models import User
from service.services import scanner_logins
from service.services.org_export import importer
from service.services.password_reset import SETUP_HASH_PREFIX, WELCOME, PasswordLink, issue_link
from service.settings import get_settings

ZIP_MAGIC = b"PK\x03\x04"

# The rows the result shows (table, label), in this order; the rest are summed.
SUMMARY: tuple[tuple[str, str], ...] = (
    ("user", N_("Accounts")),
    ("training", N_("Trainings")),
    ("batch", N_("Batches")),
    ("participant", N_("People")),
    ("registration", N_("Registrations")),
    ("checkin", N_("Check-ins")),
    ("certificate", N_("Certificates")),
    ("message", N_("Messages")),
)


@dataclass
class OfficeImport:
    imported: importer.Imported
    link: PasswordLink | None  # the first admin's setup link, None without an admin

    @property
    def rows(self) -> int:
        return sum(self.imported.counts.values())


def import_upload(db: Session, file: IO[bytes] | None, size: int | None,
                  name: str | None) -> OfficeImport:
    """Import the uploaded archive as a new office named `name` (default: its name in the
    archive). Raises a DomainError (the caller rolls back; nothing is written) for a
    missing, oversized, damaged, foreign or newer archive, a name taken, or certificate
    codes this installation already holds."""
    if file is None:
        raise FieldError("archive", N_("Choose the export archive (a ZIP file) to import."),
                         code="archive_missing")
    limit = get_settings().max_import_archive_bytes
    if size is not None and size > limit:
        raise FieldError("archive", N_("The archive is too large: at most {mb} MB."),
                         code="archive_too_large", mb=str(limit // 1048576))
    file.seek(0)
    head = file.read(4)
    file.seek(0)
    if head != ZIP_MAGIC:
        raise importer.ArchiveRefused(N_(
            "This file is not a ZIP archive, or it is damaged (truncated?)."))
    done = importer.import_archive(db, file, (name or "").strip() or None)
    return OfficeImport(imported=done, link=setup_link(db, done.organization_id))


def setup_link(db: Session, org_id: int) -> PasswordLink | None:
    """The first active admin of the imported office waits for a setup link (shown
    once, and renewable from /offices like any new office's); the others get reset
    links from that admin."""
    admin = db.exec(select(User).where(
        col(User.organization_id) == org_id, col(User.role) == "admin",
        col(User.is_active), col(User.email).not_like(f"%.{scanner_logins.EMAIL_DOMAIN}"))
        .order_by(col(User.id))).first()
    if admin is None:
        return None
    admin.password_hash = SETUP_HASH_PREFIX + secrets.token_hex(16)
    db.add(admin)
    db.flush()
    return issue_link(db, admin, WELCOME)
