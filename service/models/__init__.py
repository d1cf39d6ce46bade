"""Every table, imported in one place so Alembic and the app see the same metadata."""

import service.models.base  # noqa: F401  (naming convention first)
from service.models.accounts import ROLES, AuthToken, Organization, User
from service.models.actions import (
    ActionEvidence,
    ActionSettings,
    ActionUpdate,
    FollowUpAction,
    UnitLink,
)
from service.models.agenda import SESSION_KINDS, AgendaSession, SessionSpeaker, Speaker
from service.models.assessments import (
    Assessment,
    AssessmentBatch,
    AssessmentQuestion,
    AssessmentResponse,
)
from service.models.attendance import AttendanceMark, CheckIn, Scan
from service.models.backups import BackupRun
from service.models.certificates import (
    Certificate,
    CertificateDecision,
    CertificateSignatory,
    CertificateTemplate,
    Counter,
)
from service.models.erasure import ErasureRequest, RetentionListing
from service.models.evaluations import (
    EvaluationCode,
    EvaluationForm,
    EvaluationReceipt,
    EvaluationResponse,
)
from service.models.guests import EVENT_PERSON_KINDS, EventPerson, EventPersonAttendance
from service.models.housekeeping import AppSecret, ImportUpload, RateLimit, UsedFormStamp
from service.models.imports import ImportLayout
from service.models.kampung_kb import POKTAN, KampungKB
from service.models.letters import LETTER_KINDS, IssuedLetter, LetterSettings
from service.models.materials import SessionMaterial
from service.models.meetings import MeetingPresenter
from service.models.messages import ChannelPace, Message, MessageOptOut, MessageRule
from service.models.minutes import Minutes, MinutesDecision, MinutesRevision
from service.models.nominations import NominationLink, Nominee, TrainingUnit
from service.models.participants import (
    GENDER_LABELS,
    REGISTRATION_STATUSES,
    Participant,
    Registration,
)
from service.models.places import BatchDay
from service.models.programs import DistinctPeople, PersonMerge, Program
from service.models.province import ProvinceShare
from service.models.report_sections import ReportPhoto, ReportText
from service.models.reports import ReportSignature
from service.models.roster_links import RosterLink
from service.models.speaker_attendance import SpeakerAttendance
from service.models.spj import RateTable, SpjSigners
from service.models.trainings import KINDS, TIMEZONES, Batch, Training, TrainingCategory
from service.models.units import UNIT_KINDS, OrgUnit
from service.models.venues import Room, Venue

__all__ = [
    "BackupRun",
    "GENDER_LABELS", "KINDS", "REGISTRATION_STATUSES", "ROLES", "SESSION_KINDS", "TIMEZONES",
    "UNIT_KINDS", "OrgUnit",
    "EVENT_PERSON_KINDS", "EventPerson", "EventPersonAttendance",
    "LETTER_KINDS", "IssuedLetter", "LetterSettings",
    "NominationLink", "Nominee", "TrainingUnit",
    "Minutes", "MinutesDecision", "MinutesRevision", "ActionEvidence", "ActionSettings",
    "ActionUpdate", "FollowUpAction", "UnitLink", "MeetingPresenter", "SessionMaterial",
    "AgendaSession", "AppSecret", "Assessment", "AssessmentBatch", "AssessmentQuestion",
    "AssessmentResponse", "AttendanceMark", "AuthToken", "Batch", "BatchDay", "Certificate",
    "CertificateDecision", "CertificateSignatory", "CertificateTemplate", "CheckIn", "Counter",
    "DistinctPeople", "EvaluationCode", "EvaluationForm", "EvaluationReceipt",
    "ErasureRequest", "RetentionListing",
    "EvaluationResponse",
    "POKTAN", "ChannelPace", "ImportLayout", "KampungKB", "ImportUpload", "Message",
    "MessageOptOut", "MessageRule",
    "Organization", "PersonMerge", "Program", "Participant", "ProvinceShare", "RateLimit",
    "Registration",
    "Room",
    "ReportPhoto", "ReportSignature", "ReportText", "RosterLink", "Scan",
    "SessionSpeaker", "SpeakerAttendance", "RateTable", "SpjSigners",
    "Speaker", "Training", "TrainingCategory", "UsedFormStamp", "User", "Venue",
]
