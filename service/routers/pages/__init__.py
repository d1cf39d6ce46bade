"""HTML pages for the committee (Jinja2 + HTMX)."""

from fastapi import FastAPI

from service.routers.pages import (
    account,
    agenda,
    attendance,
    certificates,
    directory,
    kampung_kb,
    messages,
    offices,
    participants_io,
    people,
    programs,
    registrations,
    reports,
    rosters,
    scan,
    scanner_logins,
    tickets,
    trainings,
    users,
    verify,
)


def register_pages(app: FastAPI) -> None:
    for module in (account, trainings, agenda, directory, users, offices, registrations,
                   participants_io, tickets, scan, attendance, scanner_logins, rosters,
                   reports, certificates, messages, people, programs, kampung_kb, verify):
        app.include_router(module.router)
