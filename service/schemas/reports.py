"""Shape of a training's activity report as the API returns it (from the report the
service builds and the PDF renderer reads)."""

from datetime import date, time
from datetime import date as _date
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, StringConstraints

from service.rendering import activity_report_pdf as ar
from service.rendering import report_sections as rs
from service.schemas.common import OptName, OptShort, SingleLine, _blank_to_none


class ReportTraining(BaseModel):
    id: int
    title: str
    kind: str
    start_date: date
    end_date: date
    timezone: str
    checkin_mode: str
    venues: list[str]


class ReportOrganization(BaseModel):
    name: str
    city: str | None
    has_logo: bool


class Registered(BaseModel):
    confirmed: int
    waitlisted: int
    cancelled: int


class AttendanceTotals(BaseModel):
    attended: int  # present on at least one day of their batch
    complete: int  # present on every day of their batch
    present_days: int
    expected_days: int  # confirmed x days of their batch
    rate: float  # present_days / expected_days


class DayRead(BaseModel):
    day: date
    expected: int
    present: int
    rate: float
    excused: int = 0  # away with izin or sakit (not present)


class BatchRead(BaseModel):
    id: int
    name: str
    start_date: date
    end_date: date
    venue: str | None
    capacity: int
    registered: int
    attended: int
    complete: int
    present_days: int
    expected_days: int
    rate: float
    days: list[DayRead]


class BreakdownRead(BaseModel):
    name: str | None  # null: not filled in; gender is "L" or "P"
    registered: int
    present: int  # present on at least one day
    rate: float


class SessionLine(BaseModel):
    date: date
    start_time: time
    end_time: time
    title: str
    kind: str
    jpl: int
    speakers: list[str]


class AgendaRead(BaseModel):
    batch: str
    total_jpl: int
    sessions: list[SessionLine]


class SpeakerRead(BaseModel):
    name: str
    institution: str | None
    sessions: int
    jpl: int
    batches: list[str]


class Certificates(BaseModel):
    issued: int
    revoked: int
    valid: int


class SignatureRead(BaseModel):
    """The signature block: what the committee set, defaults filled in (`saved`: set)."""

    place: str
    date: _date
    signer_name: str
    signer_position: str  # blank: "Kepala" and the organization is printed
    signer_nip: str
    saved: bool


class SignatureUpdate(BaseModel):
    """The committee's signature block for a training's report; a blank field takes its
    default again (place: the venue's city; date: the training's last day; signer: the
    certificate template's first signatory)."""

    model_config = ConfigDict(extra="ignore")

    place: OptShort = None
    date: Annotated[_date | None, BeforeValidator(_blank_to_none)] = None
    signer_name: OptName = None
    signer_position: OptName = None
    # Checked as a NIP (18 digits with a birth date and TMT) by the service.
    signer_nip: Annotated[
        Annotated[str, StringConstraints(strip_whitespace=True, max_length=40), SingleLine]
        | None, BeforeValidator(_blank_to_none)] = None


class ReportRead(BaseModel):
    training: ReportTraining
    organization: ReportOrganization
    registered: Registered
    unassigned: int  # confirmed without a batch
    attendance: AttendanceTotals
    batches: list[BatchRead]
    days: list[DayRead]
    by_category: list[BreakdownRead]
    by_gender: list[BreakdownRead]
    by_district: list[BreakdownRead]
    by_regency: list[BreakdownRead]
    agenda: list[AgendaRead]
    total_jpl: int  # the most JPL any batch offers
    speakers: list[SpeakerRead]
    certificates: Certificates
    place: str
    report_date: date
    signature: SignatureRead
    # What the committee wrote and the evaluation summary (issue 15); photos: their own list.
    texts: rs.ReportTexts | None = None
    evaluation: rs.EvaluationFigures | None = None


def _day(d: ar.DayCount) -> DayRead:
    return DayRead(day=d.day, expected=d.expected, present=d.present, rate=round(d.rate, 4),
                   excused=d.excused)


def _rows(rows: list[ar.Breakdown]) -> list[BreakdownRead]:
    return [BreakdownRead(name=r.name, registered=r.registered, present=r.present,
                          rate=round(r.rate, 4)) for r in rows]


def report_read(r: ar.ActivityReport) -> ReportRead:
    return ReportRead(
        training=ReportTraining(id=r.training_id, title=r.title, kind=r.kind,
                                start_date=r.start_date, end_date=r.end_date,
                                timezone=r.timezone, checkin_mode=r.checkin_mode,
                                venues=r.venues),
        organization=ReportOrganization(name=r.organization, city=r.organization_city,
                                        has_logo=r.logo_png is not None),
        registered=Registered(confirmed=r.confirmed, waitlisted=r.waitlisted,
                              cancelled=r.cancelled),
        unassigned=r.unassigned,
        attendance=AttendanceTotals(attended=r.attended, complete=r.complete,
                                    present_days=r.present_days,
                                    expected_days=r.expected_days, rate=round(r.rate, 4)),
        batches=[BatchRead(id=b.id, name=b.name, start_date=b.start_date, end_date=b.end_date,
                           venue=b.venue, capacity=b.capacity, registered=b.registered,
                           attended=b.attended, complete=b.complete,
                           present_days=b.present_days, expected_days=b.expected_days,
                           rate=round(b.rate, 4), days=[_day(d) for d in b.days])
                 for b in r.batches],
        days=[_day(d) for d in r.days],
        by_category=_rows(r.by_category), by_gender=_rows(r.by_gender),
        by_district=_rows(r.by_district), by_regency=_rows(r.by_regency),
        agenda=[AgendaRead(batch=a.batch, total_jpl=a.total_jpl, sessions=[
            SessionLine(date=s.date, start_time=s.start_time, end_time=s.end_time,
                        title=s.title, kind=s.kind, jpl=s.jpl, speakers=s.speakers)
            for s in a.lines]) for a in r.agenda],
        total_jpl=r.total_jpl,
        speakers=[SpeakerRead(name=s.name, institution=s.institution, sessions=s.sessions,
                              jpl=s.jpl, batches=s.batches) for s in r.speakers],
        certificates=Certificates(issued=r.certificates_issued,
                                  revoked=r.certificates_revoked, valid=r.certificates_valid),
        place=r.place, report_date=r.report_date, signature=signature_read(r.signer, r),
        texts=r.texts, evaluation=r.evaluation)


def signature_read(s: ar.Signer, r: ar.ActivityReport) -> SignatureRead:
    return SignatureRead(place=s.place or r.place, date=s.signed_on or r.report_date,
                         signer_name=s.name, signer_position=s.position, signer_nip=s.nip,
                         saved=s.saved)
