"""Issuing certificates in bulk: idempotent (someone who has one is skipped, never
renumbered) and safe when two issuings run at once (the organization's counter row is
taken first, so the second waits, then sees the first one's certificates)."""

import secrets
from dataclasses import dataclass
from datetime import date

from sqlalchemy import insert
from sqlmodel import Session, col, select

from service.errors import FieldError
from service.i18n import N_
from service.models import Certificate, CertificateDecision, Registration, Training
from service.models.base import pk, utcnow
from service.services.certificates import eligibility as eligibility
from service.services.certificates import numbering as numbering
from service.services.certificates import template as templates
from service.services.messaging import reminders

CHUNK = 100  # per request from the page, so it can show progress


@dataclass(frozen=True)
class IssueResult:
    issued: int
    skipped: int  # eligible, already holding a certificate
    not_eligible: int
    remaining: int  # eligible, still without one (when a limit stopped early)


def new_code() -> str:
    # 144 random bits: the public verification page's only key.
    return secrets.token_urlsafe(18)


def issue(db: Session, training: Training, user_id: int | None, batch_id: int | None = None,
          limit: int | None = None, base_url: str = "") -> IssueResult:
    """Give every eligible registration without a certificate a numbered one (at most
    `limit` of them this time); and, when the training's rule says so, queue each new
    holder the link to theirs (links to `base_url`)."""
    org_id = training.organization_id
    # First the lock, then the reading: a concurrent issuing has committed by now.
    numbering.lock(db, org_id)
    rule = templates.rule_row(db, training)
    people = eligibility.review(db, training, rule, batch_id)
    wanted = [p for p in people if p.eligible and p.certificate is None]
    skipped = sum(1 for p in people if p.eligible and p.certificate is not None)
    not_eligible = sum(1 for p in people if not p.eligible)
    chosen = wanted[:limit] if limit is not None else wanted
    if chosen:
        pattern = rule.numbering_pattern
        # The date printed on the certificate (by default the training's last day).
        on = rule.issue_date or training.end_date
        numbers = _numbers(db, org_id, pattern, on, len(chosen))
        now = utcnow()
        db.execute(insert(Certificate), [
            {"organization_id": org_id, "training_id": pk(training),
             "registration_id": pk(p.registration), "name": p.participant.name,
             "number": number, "verification_code": new_code(), "issued_at": now,
             "issued_by": user_id}
            for p, number in zip(chosen, numbers, strict=True)])
        reminders.certificates_issued(db, training, [pk(p.registration) for p in chosen],
                                      base_url)
    return IssueResult(issued=len(chosen), skipped=skipped, not_eligible=not_eligible,
                       remaining=len(wanted) - len(chosen))


def _numbers(db: Session, org_id: int, pattern: str, on: date, count: int) -> list[str]:
    """`count` numbers no certificate of the organization carries yet. A changed pattern
    could print a number an older pattern already made: those are passed over."""
    out: list[str] = []
    while len(out) < count:
        need = count - len(out)
        fresh = [numbering.format_number(pattern, s, on)
                 for s in numbering.reserve(db, org_id, need)]
        taken = set(db.exec(select(col(Certificate.number))
                            .where(Certificate.organization_id == org_id,
                                   col(Certificate.number).in_(fresh))).all())
        out += [n for n in fresh if n not in taken and n not in out]
    return out


def decide(db: Session, training: Training, registration: Registration, user_id: int | None,
           decision: str, reason: str) -> CertificateDecision:
    """Record the committee's include / exclude (or back to the rule), with its reason."""
    if registration.training_id != pk(training):
        raise FieldError("registration_id", N_("This person is not in this training."))
    row = CertificateDecision(training_id=pk(training), registration_id=pk(registration),
                              decision=decision, reason=reason.strip(), user_id=user_id)
    db.add(row)
    db.flush()
    return row
