"""HTML pages for the committee (Jinja2 + HTMX)."""

from fastapi import FastAPI

from service.routers.pages import (
    account,
    agenda,
    assessments,
    attendance,
    batch_meetings,
    certificates,
    directory,
    evaluations,
    kampung_kb,
    messages,
    offices,
    participants_io,
    people,
    programs,
    province,
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
    for module in (account, batch_meetings, trainings, agenda, directory, users, offices,
                   registrations, participants_io, tickets, scan, attendance, scanner_logins,
                   rosters, reports, certificates, messages, people, programs, kampung_kb,
                   province, evaluations, assessments, verify):
        app.include_router(module.router)
