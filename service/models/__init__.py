"""Every table, imported in one place so Alembic and the app see the same metadata."""

import service.models.base  # noqa: F401  (naming convention first)
from service.models.accounts import ROLES, AuthToken, Organization, User
from service.models.agenda import SESSION_KINDS, AgendaSession, SessionSpeaker, Speaker
from service.models.attendance import AttendanceMark, CheckIn, Scan
from service.models.certificates import (
    Certificate,
    CertificateDecision,
    CertificateSignatory,
    CertificateTemplate,
    Counter,
)
from service.models.housekeeping import AppSecret, ImportUpload, RateLimit, UsedFormStamp
from service.models.imports import ImportLayout
from service.models.kampung_kb import POKTAN, KampungKB
from service.models.messages import ChannelPace, Message, MessageOptOut, MessageRule
from service.models.participants import (
    GENDER_LABELS,
    REGISTRATION_STATUSES,
    Participant,
    Registration,
)
from service.models.places import BatchDay
from service.models.programs import PersonMerge, Program
from service.models.reports import ReportSignature
from service.models.roster_links import RosterLink
from service.models.trainings import KINDS, TIMEZONES, Batch, Training, TrainingCategory
from service.models.venues import Room, Venue

__all__ = [
    "GENDER_LABELS", "KINDS", "REGISTRATION_STATUSES", "ROLES", "SESSION_KINDS", "TIMEZONES",
    "AgendaSession", "AppSecret", "AttendanceMark", "AuthToken", "Batch", "BatchDay", "Certificate",
    "CertificateDecision", "CertificateSignatory", "CertificateTemplate", "CheckIn", "Counter",
    "POKTAN", "ChannelPace", "ImportLayout", "KampungKB", "ImportUpload", "Message",
    "MessageOptOut", "MessageRule",
    "Organization", "PersonMerge", "Program", "Participant", "RateLimit", "Registration",
    "Room",
    "ReportSignature", "RosterLink", "Scan",
    "SessionSpeaker",
    "Speaker", "Training", "TrainingCategory", "UsedFormStamp", "User", "Venue",
]
