"""An organization's export (admins only): start it, ask how it goes, download it."""

from fastapi import APIRouter
from fastapi.responses import Response

from service.rendering.org_export_sheets import lists_xlsx
from service.routers.deps import ApiAdmin
from service.routers.files import archive_file
from service.schemas.org_export import ExportRead, ExportStarted
from service.services.org_export import jobs

router = APIRouter(prefix="/api/export", tags=["export"])


def _read(job: jobs.Job) -> ExportRead:
    return ExportRead(id=job.id, status=job.status, step=job.step, created_at=job.created_at,
                      finished_at=job.finished_at, size=job.size, counts=job.counts,
                      download_url=f"/api/export/{job.id}/download" if job.ready else None)


@router.post("", status_code=202)
def start_export(admin: ApiAdmin) -> ExportStarted:
    """Start preparing everything the organization owns as one ZIP; poll its status."""
    job = jobs.start(admin.organization_id, lists_xlsx)
    return ExportStarted(id=job.id, status=job.status)


@router.get("/{export_id}")
def export_status(export_id: str, admin: ApiAdmin) -> ExportRead:
    """running, done (with its download URL and row counts) or failed."""
    return _read(jobs.get_job(admin.organization_id, export_id))


@router.get("/{export_id}/download")
def download_export(export_id: str, admin: ApiAdmin) -> Response:
    """The finished archive; the download is logged (who, when)."""
    path = jobs.archive_path(admin.organization_id, export_id)
    jobs.log_download(admin.organization_id, admin.id or 0, export_id)
    return archive_file(path, f"bimtek-ekspor-{export_id[:8]}.zip")
