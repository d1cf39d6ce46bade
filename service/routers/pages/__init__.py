"""HTML pages for the committee (Jinja2 + HTMX)."""

from fastapi import FastAPI

from service.routers.pages import (
    account,
    agenda,
    attendance,
    directory,
    participants_io,
    registrations,
    scan,
    scanner_logins,
    tickets,
    trainings,
    users,
)


def register_pages(app: FastAPI) -> None:
    for module in (account, trainings, agenda, directory, users, registrations,
                   participants_io, tickets, scan, attendance, scanner_logins):
        app.include_router(module.router)
