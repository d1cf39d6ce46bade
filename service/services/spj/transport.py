"""Participants' transport: for each confirmed registration in a batch, the days present
in the attendance record (services/presence.py) times the rate per day of their origin."""

from dataclasses import dataclass

from sqlmodel import Session, col, select

from service.i18n.names import sort_key
from service.models import Batch, Organization, OrgUnit, Participant, Registration, Training
from service.schemas.spj import RateTableIn
from service.services import meeting_days, presence
from service.services.spj import money, rates


@dataclass(frozen=True)
class TransportLine:
    registration_id: int
    name: str
    nip: str
    batch_id: int
    batch: str
    origin: str | None
    origin_kind: str
    days_present: int
    rate: int
    gross: int
    tax: int

    @property
    def net(self) -> int:
        return self.gross - self.tax


def origin_of(unit: OrgUnit | None, participant: Participant) -> str | None:
    """Where a participant travels from: the kabupaten/kota that sent them, else the
    regency they gave."""
    if unit is not None and unit.kind == "kabupaten_kota":
        return unit.name
    return (participant.regency or "").strip() or None


def lines(db: Session, training: Training, org: Organization, data: RateTableIn
          ) -> list[TransportLine]:
    batches = list(db.exec(select(Batch).where(Batch.training_id == training.id)
                           .order_by(col(Batch.start_date), col(Batch.id))).all())
    if not batches:
        return []
    record = presence.load(db, training, batches)
    order = {b.id: i for i, b in enumerate(batches)}
    by_id = {b.id: b for b in batches}
    rows = db.exec(select(Registration, Participant, OrgUnit)
                   .join(Participant, col(Participant.id) == Registration.participant_id)
                   .outerjoin(OrgUnit, col(OrgUnit.id) == Registration.unit_id)
                   .where(Registration.training_id == training.id,
                          Registration.status == "confirmed",
                          col(Registration.batch_id).is_not(None))).all()
    percent = data.tax.transport
    out: list[TransportLine] = []
    for reg, person, unit in rows:
        batch = by_id.get(reg.batch_id)
        if batch is None:
            continue
        origin = origin_of(unit, person)
        found = rates.transport_rate(data, org, origin)
        days = len(record.days_present(reg.id or 0, meeting_days.days_of(batch)))
        gross = days * found.rate
        out.append(TransportLine(
            registration_id=reg.id or 0, name=person.name, nip=person.nip or "",
            batch_id=batch.id or 0, batch=batch.name, origin=origin,
            origin_kind=found.origin_kind, days_present=days, rate=found.rate, gross=gross,
            tax=money.tax(gross, percent)))
    out.sort(key=lambda x: (order.get(x.batch_id, 0), sort_key(x.name), x.registration_id))
    return out
