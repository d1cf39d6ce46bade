"""Reminders to the units that lag (fewer names than their quota, deadline not passed),
to each focal point's WhatsApp and/or email through the outbox (kind
"nomination_reminder"), with a fresh private link of the unit (the old ones keep working).

One message per unit, channel and day: its idempotency key says so, and the unit's link
is made only when some message is new, so pressing "remind" twice queues nothing more
that day. An address that asked to stop is skipped.
"""

from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session

from service.i18n import N_, use_locale
from service.models import Organization, OrgUnit, Training, User
from service.models.base import pk, utcnow
from service.services import training_clock
from service.services.messaging import compose, unit_reminders
from service.services.nominations import links, status, units

KIND = "nomination_reminder"
CHANNEL_CHOICES = unit_reminders.CHANNEL_CHOICES
# Why nothing was queued, as the committee's page says it.
NONE_LAGGING = N_("No unit needs a reminder: every open unit has named its full quota.")
NO_ADDRESS = N_("No reminder was queued: the lagging units have no focal point's "
                "WhatsApp or email in the units register, or were already reminded today.")


@dataclass(frozen=True)
class Queued:
    queued: int
    lagging: int  # open units with fewer names than their quota
    reason: str = ""  # an N_ msgid when nothing was queued


def key(training_unit_id: int, day: date, channel: str) -> str:
    return f"nomination-reminder:{training_unit_id}:{day.isoformat()}:{channel}"


def queue(db: Session, training: Training, base_url: str, *, channel: str = "both",
          user: User | None = None, channels: tuple[str, ...] | None = None,
          now: datetime | None = None) -> Queued:
    """Queue today's reminders to the training's lagging open units; how many messages."""
    usable = unit_reminders.usable_channels(channel, channels)
    moment = now or utcnow()
    today = training_clock.today(training, moment)
    rows_fill, _totals = status.fill(db, training, moment)
    lagging = [r for r in rows_fill if r.lagging and r.open]
    if not lagging:
        return Queued(0, 0, NONE_LAGGING)
    org = db.get(Organization, training.organization_id)
    rows: list[dict[str, object]] = []
    for fill in lagging:
        tu, unit = fill.training_unit, fill.unit
        targets = unit_reminders.reachable(db, unit, usable)
        done = unit_reminders.queued_keys(db, (key(pk(tu), today, c) for c, _a in targets))
        fresh = [(c, a) for c, a in targets if key(pk(tu), today, c) not in done]
        if not fresh:
            continue
        raw, _link = links.issue(db, tu, user, revoke_others=False, now=moment)
        with use_locale("id"):
            deadline = units.deadline_text(training, tu.deadline)
        content = compose.nomination_reminder(unit.focal_name, unit.name, training.title,
                                              fill.named, tu.quota, deadline or "-",
                                              links.url(base_url, raw))
        for c, addr in fresh:
            rows.append(unit_reminders.row(
                unit, c, addr, content, _facts(unit, training, org), kind=KIND,
                organization_id=training.organization_id, training_id=pk(training),
                base_url=base_url, key=key(pk(tu), today, c), user=user, at=utcnow()))
    if not rows:
        return Queued(0, len(lagging), NO_ADDRESS)
    count = unit_reminders.insert(db, rows)
    return Queued(count, len(lagging), "" if count else NO_ADDRESS)


def _facts(unit: OrgUnit, training: Training, org: Organization | None) -> compose.Facts:
    return compose.Facts(name=unit.focal_name or unit.name, training=training.title,
                         organization=org.name if org else "", batch="", dates="", place="",
                         ticket_url="")
