"""Reminders of overdue follow-up actions to each unit's focal point, through the outbox
(kind "action_reminder"), with a fresh private link of the unit.

One message per overdue action, channel and day: its idempotency key says so, and the
unit's link is made only when some message is new, so pressing "remind" twice (or the
worker looking again) queues nothing more that day. Queued by the committee from the
board, or daily by the worker for an office that turns it on (queue_daily: the worker's
one hook).
"""

from collections import defaultdict
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from service.models import ActionSettings, FollowUpAction, Organization, OrgUnit, User
from service.models.actions import OPEN_STATUSES
from service.models.base import pk, utcnow
from service.services.actions import core, links
from service.services.messaging import compose, unit_reminders
from service.services.messaging.outbox import ChannelNotConfigured
from service.settings import get_settings

KIND = "action_reminder"
CHANNEL_CHOICES = unit_reminders.CHANNEL_CHOICES


def key(action_id: int, day: date, channel: str) -> str:
    return f"action-reminder:{action_id}:{day.isoformat()}:{channel}"


def overdue_by_unit(db: Session, org_id: int, today: date,
                    program_id: int | None = None) -> dict[int, list[FollowUpAction]]:
    query = (select(FollowUpAction).where(FollowUpAction.organization_id == org_id,
                                          col(FollowUpAction.status).in_(OPEN_STATUSES),
                                          FollowUpAction.due_date < today,
                                          col(FollowUpAction.unit_id).is_not(None))
             .order_by(col(FollowUpAction.due_date), col(FollowUpAction.id)))
    if program_id is not None:
        from service.models import Training  # noqa: PLC0415

        query = query.join(Training, col(Training.id) == FollowUpAction.training_id) \
            .where(Training.program_id == program_id)
    out: dict[int, list[FollowUpAction]] = defaultdict(list)
    for action in db.exec(query).all():
        out[action.unit_id or 0].append(action)
    return out


def queue_overdue(db: Session, org_id: int, base_url: str, *, today: date | None = None,
                  user: User | None = None, channel: str = "both",
                  channels: tuple[str, ...] | None = None, program_id: int | None = None
                  ) -> int:
    """Queue today's reminders of the office's overdue actions; how many messages."""
    usable = unit_reminders.usable_channels(channel, channels)
    today = today or core.office_today()
    org = db.get(Organization, org_id)
    rows: list[dict[str, object]] = []
    now = utcnow()
    for unit_id, actions in overdue_by_unit(db, org_id, today, program_id).items():
        unit = db.get(OrgUnit, unit_id)
        if unit is None:
            continue
        targets = unit_reminders.reachable(db, unit, usable)
        done = unit_reminders.queued_keys(db, (key(pk(a), today, c) for a in actions
                                               for c, _ in targets))
        fresh = [(a, c, addr) for a in actions for c, addr in targets
                 if key(pk(a), today, c) not in done]
        if not fresh:
            continue
        raw, _link = links.issue(db, unit, user, revoke_others=False)
        link = links.url(base_url, raw)
        for action, c, addr in fresh:
            content = compose.action_reminder(unit.focal_name, unit.name, [action.title],
                                              action.due_date, link)
            rows.append(unit_reminders.row(
                unit, c, addr, content, _facts(unit, org), kind=KIND, organization_id=org_id,
                training_id=action.training_id, base_url=base_url,
                key=key(pk(action), today, c), user=user, at=now))
    return unit_reminders.insert(db, rows)


def _facts(unit: OrgUnit, org: Organization | None) -> compose.Facts:
    return compose.Facts(name=unit.focal_name or unit.name, training="",
                         organization=org.name if org else "", batch="", dates="", place="",
                         ticket_url="")


# --- the office's setting, and the worker's daily hook -------------------------------------

def setting(db: Session, org_id: int) -> ActionSettings:
    return db.get(ActionSettings, org_id) or ActionSettings(organization_id=org_id)


def save_setting(db: Session, org_id: int, enabled: bool, hour: int, channel: str,
                 base_url: str) -> ActionSettings:
    row = db.get(ActionSettings, org_id) or ActionSettings(organization_id=org_id)
    row.daily_reminders = enabled
    row.hour = min(23, max(0, hour))
    row.channel = channel if channel in CHANNEL_CHOICES else "both"
    row.base_url = base_url[:200]
    row.updated_at = utcnow()
    db.add(row)
    db.flush()
    return row


def queue_daily(db: Session, now: datetime | None = None) -> int:
    """For every office that turned daily reminders on, once a day from its hour (WIB):
    queue the overdue actions' reminders; how many messages."""
    now = now or utcnow()
    local = now.astimezone(ZoneInfo(core.OFFICE_ZONE))
    queued = 0
    for row in db.exec(select(ActionSettings).where(col(ActionSettings.daily_reminders))).all():
        if local.hour < row.hour or row.last_run_on == local.date():
            continue
        base = get_settings().public_base_url.rstrip("/") or row.base_url
        try:
            queued += queue_overdue(db, row.organization_id, base, today=local.date(),
                                    channel=row.channel)
        except ChannelNotConfigured:
            pass  # nothing to send with: the board says so beside the setting
        row.last_run_on = local.date()
        db.add(row)
    db.flush()
    return queued
