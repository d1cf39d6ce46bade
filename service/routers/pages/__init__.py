"""HTML pages for the committee (Jinja2 + HTMX)."""

from fastapi import FastAPI

from service.routers.pages import account, agenda, directory, trainings, users


def register_pages(app: FastAPI) -> None:
    for module in (account, trainings, agenda, directory, users):
        app.include_router(module.router)
