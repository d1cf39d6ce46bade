"""HTML pages for the committee (Jinja2 + HTMX)."""

from fastapi import FastAPI

from service.routers.pages import (
    account,
    actions,
    agenda,
    assessments,
    attendance,
    backups,
    batch_meetings,
    certificates,
    directory,
    erasure,
    evaluations,
    guests,
    kampung_kb,
    letters,
    materials,
    messages,
    minutes,
    nomination_link,
    nominations,
    office_settings,
    offices,
    org_export,
    participants_io,
    people,
    presenters,
    programs,
    province,
    registrations,
    reports,
    rosters,
    scan,
    scanner_logins,
    spj,
    tickets,
    trainings,
    unit_link,
    units,
    users,
    verify,
)


def register_pages(app: FastAPI) -> None:
    for module in (account, batch_meetings, trainings, agenda, directory, users, offices,
                   registrations, participants_io, tickets, scan, attendance, scanner_logins,
                   rosters, reports, certificates, messages, people, programs, kampung_kb,
                   province, evaluations, assessments, erasure, verify, org_export,
                   units, presenters, materials, backups, minutes, actions, unit_link,
                   office_settings, letters, nominations, nomination_link, guests, spj):
        app.include_router(module.router)
