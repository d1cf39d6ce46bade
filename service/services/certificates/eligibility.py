"""Who gets a certificate: the training's rule applied to each confirmed registration's
attendance (service.services.presence: the door's check-ins and the committee's marks
after the day), then the committee's own decisions (include or exclude, with a reason).

An excused day (izin or sakit) is not a day present: the rule counts it as missed, and
the review names it as excused, with its reason, so the committee can include the person
by hand where its rules allow."""

from dataclasses import dataclass, field
from datetime import date

from sqlmodel import Session, col, select

from service.errors import NotFound
from service.i18n import gettext as _
from service.i18n.formats import fmt_date, fmt_share
from service.models import (
    AgendaSession,
    Batch,
    Certificate,
    CertificateDecision,
    CertificateTemplate,
    Participant,
    Registration,
    Training,
    TrainingCategory,
    User,
)
from service.models.base import pk
from service.services import presence
from service.services import training_clock as clock
from service.services.certificates import delivery as delivery
from service.services.certificates import template as templates
from service.services.meeting_days import days_of


@dataclass
class BatchPlan:
    batch: Batch
    days: list[date]
    sessions: list[AgendaSession]

    @property
    def total_jpl(self) -> int:
        return sum(s.counted_jpl for s in self.sessions)


@dataclass
class Person:
    """One registration as the review page shows it."""

    registration: Registration
    participant: Participant
    batch: Batch
    category: str
    days_present: list[date]
    days_missed: list[date]
    jpl_attended: int
    jpl_total: int
    meets_rule: bool
    why: list[str] = field(default_factory=list)
    decision: CertificateDecision | None = None
    certificate: Certificate | None = None
    # Missed days the committee excused: day -> (excuse: leave | sick, reason).
    days_excused: dict[date, tuple[str, str]] = field(default_factory=dict)

    @property
    def eligible(self) -> bool:
        if self.decision is not None and self.decision.decision == "include":
            return True
        if self.decision is not None and self.decision.decision == "exclude":
            return False
        return self.meets_rule

    @property
    def day_count(self) -> int:
        return len(self.days_present) + len(self.days_missed)


def batch_days(batch: Batch) -> list[date]:
    return days_of(batch)


def batch_plans(db: Session, training: Training) -> dict[int, BatchPlan]:
    batches = db.exec(select(Batch).where(Batch.training_id == pk(training))
                      .order_by(col(Batch.position), col(Batch.start_date), col(Batch.id))).all()
    plans = {pk(b): BatchPlan(b, batch_days(b), []) for b in batches}
    if plans:
        for s in db.exec(select(AgendaSession)
                         .where(col(AgendaSession.batch_id).in_(list(plans)))
                         .order_by(col(AgendaSession.date), col(AgendaSession.start_time))):
            plans[s.batch_id].sessions.append(s)
    return plans


def latest_decisions(db: Session, training: Training) -> dict[int, CertificateDecision]:
    """The newest decision per registration ("auto" ones dropped: back to the rule)."""
    latest: dict[int, CertificateDecision] = {}
    for d in db.exec(select(CertificateDecision)
                     .where(CertificateDecision.training_id == pk(training))
                     .order_by(col(CertificateDecision.id))):
        latest[d.registration_id] = d
    return {rid: d for rid, d in latest.items() if d.decision != "auto"}


def _judge(person: Person, template: CertificateTemplate, plan: BatchPlan, today: date) -> None:
    """Sets meets_rule and the reasons, in the reader's language."""
    _judge_rule(person, template, plan, today)
    if template.rule != "all_days":  # the all-days rule names them among the missed days
        person.why.extend(_excused(person, plan))


def _excused(person: Person, plan: BatchPlan, only: date | None = None) -> list[str]:
    """The excused days as the review names them: "Izin hari ke-2 (13 ...): sakit"."""
    out = []
    for day, (excuse, reason) in sorted(person.days_excused.items()):
        if only is not None and day != only:
            continue
        n, when = plan.days.index(day) + 1, fmt_date(day)
        out.append(_("Sick (sakit) on day {n} ({date}): {reason}", n=n, date=when,
                     reason=reason) if excuse == "sick" else
                   _("Excused (izin) on day {n} ({date}): {reason}", n=n, date=when,
                     reason=reason))
    return out


def _judge_rule(person: Person, template: CertificateTemplate, plan: BatchPlan,
                today: date) -> None:
    total_days = len(plan.days)
    if template.rule == "jpl":
        if person.jpl_total == 0:
            person.meets_rule = False
            person.why.append(_("The batch agenda has no JPL: set JPL on its sessions, or "
                                "choose a rule by days."))
            return
        share = fmt_share(person.jpl_attended / person.jpl_total)
        person.meets_rule = person.jpl_attended * 100 >= template.min_percent * person.jpl_total
        person.why.append(_("Attended {share}% of JPL ({got} of {total})", share=share,
                            got=person.jpl_attended, total=person.jpl_total)
                          + ("" if person.meets_rule else
                             _(", needs {need}%", need=template.min_percent)))
        return
    if template.rule == "days":
        present = len(person.days_present)
        share = fmt_share(present / total_days if total_days else 0.0)
        person.meets_rule = present * 100 >= template.min_percent * total_days
        person.why.append(_("Present {present} of {total} days ({share}%)", present=present,
                            total=total_days, share=share)
                          + ("" if person.meets_rule else
                             _(", needs {need}%", need=template.min_percent)))
        return
    person.meets_rule = not person.days_missed
    if person.meets_rule:
        person.why.append(_("Present every day"))
    for day in person.days_missed:
        number = plan.days.index(day) + 1
        if day > today:  # issuing before the batch has ended: say so, not "missed"
            person.why.append(_("Day {n} ({date}) has not taken place yet", n=number,
                                date=fmt_date(day)))
        elif day in person.days_excused:  # not present, but not simply missed either
            person.why.extend(_excused(person, plan, day))
        else:
            person.why.append(_("Missed day {n} ({date})", n=number, date=fmt_date(day)))


def check_batch(plans: dict[int, "BatchPlan"], batch_id: int | None) -> None:
    """A batch asked for by id must be one of the training's own."""
    if batch_id is not None and batch_id not in plans:
        raise NotFound("Batch not found.")


def review(db: Session, training: Training, template: CertificateTemplate,
           batch_id: int | None = None, plans: dict[int, BatchPlan] | None = None
           ) -> list[Person]:
    """Every confirmed registration with a batch, judged, by batch then name (of one
    batch of this training: NotFound for another). `plans`: the training's batch plans,
    when the caller has them already."""
    plans = batch_plans(db, training) if plans is None else plans
    check_batch(plans, batch_id)
    query = (select(Registration, Participant, TrainingCategory)
             .join(Participant, col(Participant.id) == Registration.participant_id)
             .outerjoin(TrainingCategory,
                        col(TrainingCategory.id) == Registration.category_id)
             .where(Registration.training_id == pk(training),
                    Registration.status == "confirmed",
                    col(Registration.batch_id).is_not(None)))
    if batch_id is not None:
        query = query.where(Registration.batch_id == batch_id)
    rows = db.exec(query).all()
    reg_ids = [pk(r) for r, _p, _c in rows]

    certificates: dict[int, Certificate] = {}
    found = presence.Presence.empty(training)
    if reg_ids:
        found = presence.load(db, training,
                              None if batch_id is None else [plans[batch_id].batch])
        certificates = {c.registration_id: c for c in db.exec(
            select(Certificate).where(Certificate.training_id == pk(training)))}
    decisions = latest_decisions(db, training)
    per_session = training.checkin_mode == "session"
    today = clock.today(training)

    people = []
    for reg, participant, category in rows:
        plan = plans.get(reg.batch_id or 0)
        if plan is None:
            continue
        rid = pk(reg)
        states = {d: found.state(rid, d) for d in plan.days}
        days = {d for d, state in states.items() if state.present}
        if per_session:
            # A day counts when they were at any of its sessions; JPL by the sessions.
            attended = [s for s in plan.sessions if found.present(rid, s.date, pk(s))]
        else:
            attended = [s for s in plan.sessions if s.date in days]
        person = Person(
            registration=reg, participant=participant, batch=plan.batch,
            category=category.name if category else "",
            days_present=[d for d in plan.days if d in days],
            days_missed=[d for d in plan.days if d not in days],
            jpl_attended=sum(s.counted_jpl for s in attended), jpl_total=plan.total_jpl,
            meets_rule=False, decision=decisions.get(rid), certificate=certificates.get(rid),
            days_excused={d: (state.excuse or "leave", state.reason)
                          for d, state in states.items() if state.excused})
        _judge(person, template, plan, today)
        people.append(person)
    order = {bid: n for n, bid in enumerate(plans)}
    # Front titles left out ("dr. Rina" under R): issuing numbers in this order too.
    people.sort(key=lambda p: (order.get(pk(p.batch), 0), p.participant.sort_name,
                               pk(p.registration)))
    return people


@dataclass(frozen=True)
class Counts:
    eligible: int
    not_eligible: int
    issued: int  # valid certificates (revoked ones apart)
    revoked: int
    to_issue: int  # eligible without a certificate yet


@dataclass(frozen=True)
class Review:
    """Everything the review page (and the API's eligibility list) shows."""

    template: CertificateTemplate  # its rule; an unsaved one with the defaults until saved
    saved: bool  # a template has been saved (else the built-in design prints)
    batches: list[Batch]
    batch_id: int | None  # the batch shown, None for all
    people: list[Person]
    deciders: dict[int, str]  # user id -> name, for every decision shown
    counts: Counts
    # The holders' links, when asked for with a base URL: registration id -> wa.me link
    # to the certificate, and the ids of valid holders with an email address.
    whatsapp: dict[int, str | None]
    with_email: set[int]


def counts(people: list[Person]) -> Counts:
    return Counts(
        eligible=sum(1 for p in people if p.eligible),
        not_eligible=sum(1 for p in people if not p.eligible),
        issued=sum(1 for p in people if p.certificate and p.certificate.revoked_at is None),
        revoked=sum(1 for p in people if p.certificate and p.certificate.revoked_at is not None),
        to_issue=sum(1 for p in people if p.eligible and p.certificate is None))


def _deciders(db: Session, people: list[Person]) -> dict[int, str]:
    ids = {p.decision.user_id for p in people if p.decision and p.decision.user_id}
    if not ids:
        return {}
    return {pk(u): u.name for u in db.exec(select(User).where(col(User.id).in_(ids)))}


def review_summary(db: Session, training: Training, batch_id: int | None = None,
                   base_url: str | None = None, *, unknown_batch_is_all: bool = False
                   ) -> Review:
    """The review of the training (or of one batch) with its counts, the names of who
    decided, and the holders' links: a fixed number of queries, however many people.

    A batch not of this training is NotFound, or with unknown_batch_is_all (a stale
    link on the page) the whole training."""
    plans = batch_plans(db, training)
    if unknown_batch_is_all and batch_id not in plans:
        batch_id = None
    stored = templates.stored(db, training)
    template = stored or CertificateTemplate(training_id=pk(training))
    people = review(db, training, template, batch_id, plans)
    whatsapp: dict[int, str | None] = {}
    with_email: set[int] = set()
    if base_url is not None:
        for r in delivery.recipients(db, training):
            whatsapp[r.registration_id] = delivery.whatsapp_url(training, r, base_url)
            if r.email:
                with_email.add(r.registration_id)
    return Review(template=template, saved=stored is not None,
                  batches=[p.batch for p in plans.values()], batch_id=batch_id,
                  people=people, deciders=_deciders(db, people), counts=counts(people),
                  whatsapp=whatsapp, with_email=with_email)
