"""Page: the office's settings in one place (admins), so that the top bar keeps to the
work of every day: accounts, evaluation forms, sharing with the province, the export,
erasure and retention; for the server's operator, offices and backups."""

from fastapi import APIRouter, Request
from fastapi.responses import Response

from service.routers.deps import PageAdmin
from service.routers.pages.rendering import render

router = APIRouter(include_in_schema=False)


@router.get("/settings")
def settings_page(request: Request, user: PageAdmin) -> Response:
    return render(request, "office_settings/index.html", {"operator": user.is_superuser})
