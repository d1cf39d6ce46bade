"""Shape of a training's activity report as the API returns it (from the report the
service builds and the PDF renderer reads)."""

from datetime import date, time

from pydantic import BaseModel

from service.rendering import activity_report_pdf as ar


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


def _day(d: ar.DayCount) -> DayRead:
    return DayRead(day=d.day, expected=d.expected, present=d.present, rate=round(d.rate, 4))


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
        place=r.place, report_date=r.report_date)
