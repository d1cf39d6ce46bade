"""An organization's export job, as the API answers it."""

from datetime import datetime

from pydantic import BaseModel


class ExportStarted(BaseModel):
    id: str
    status: str


class ExportRead(BaseModel):
    id: str
    status: str  # running | done | failed
    step: str = ""
    created_at: datetime
    finished_at: datetime | None = None
    size: int = 0
    counts: dict[str, int] | None = None
    download_url: str | None = None


class OfficeImported(BaseModel):
    """POST /api/offices/import: the new office and its rows per table."""

    organization_id: int
    name: str
    counts: dict[str, int]
    opt_outs: int = 0
    # The new office's first admin has no password: a one-time setup link (shown once).
    admin_email: str | None = None
    admin_setup_url: str | None = None
