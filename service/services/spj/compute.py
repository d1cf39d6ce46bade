"""A training's SPJ: transport per registration, honorarium per narasumber, totals per
batch and overall (in figures and in words), and what the treasurer should fix first."""

from dataclasses import dataclass, field

from sqlmodel import Session, col, select

from service.errors import NotFound
from service.i18n import N_
from service.i18n import gettext as _
from service.i18n.formats import fmt_date
from service.models import Organization, Training
from service.models.base import utcnow
from service.models.spj import SpjSigners
from service.schemas.spj import RateTableIn, SignersIn
from service.services.spj import honorarium, rates, terbilang, transport
from service.services.spj.honorarium import HonorariumLine
from service.services.spj.transport import TransportLine


@dataclass(frozen=True)
class Warning:
    code: str
    message: str
    speaker_id: int | None = None
    registration_id: int | None = None
    session_id: int | None = None


@dataclass(frozen=True)
class BatchSum:
    batch_id: int
    batch: str
    people: int
    gross: int
    tax: int

    @property
    def net(self) -> int:
        return self.gross - self.tax


@dataclass
class Spj:
    training: Training
    organization: Organization
    year: int
    rates: RateTableIn
    transport: list[TransportLine]
    honorarium: list[HonorariumLine]
    warnings: list[Warning] = field(default_factory=list)

    @property
    def transport_gross(self) -> int:
        return sum(x.gross for x in self.transport)

    @property
    def transport_tax(self) -> int:
        return sum(x.tax for x in self.transport)

    @property
    def transport_net(self) -> int:
        return self.transport_gross - self.transport_tax

    @property
    def honorarium_gross(self) -> int:
        return sum(x.gross for x in self.honorarium)

    @property
    def honorarium_tax(self) -> int:
        return sum(x.tax for x in self.honorarium)

    @property
    def honorarium_net(self) -> int:
        return self.honorarium_gross - self.honorarium_tax

    @property
    def gross(self) -> int:
        return self.transport_gross + self.honorarium_gross

    @property
    def tax(self) -> int:
        return self.transport_tax + self.honorarium_tax

    @property
    def net(self) -> int:
        return self.gross - self.tax

    def by_batch(self) -> list[BatchSum]:
        out: dict[int, BatchSum] = {}
        for x in self.transport:
            s = out.get(x.batch_id) or BatchSum(x.batch_id, x.batch, 0, 0, 0)
            out[x.batch_id] = BatchSum(x.batch_id, x.batch, s.people + 1, s.gross + x.gross,
                                       s.tax + x.tax)
        return list(out.values())

    def batch_lines(self, batch_id: int) -> list[TransportLine]:
        return [x for x in self.transport if x.batch_id == batch_id]


def words(amount: int) -> str:
    return terbilang.rupiah(amount)


def build(db: Session, training: Training) -> Spj:
    """The SPJ of the training under the rate table of the year it starts in (a 409 when
    that year has none)."""
    org = db.get(Organization, training.organization_id)
    if org is None:
        raise NotFound()
    year, data = rates.for_training_year(db, training.organization_id, training.start_date)
    spj = Spj(training, org, year, data, transport.lines(db, training, org, data),
              honorarium.lines(db, training, data))
    spj.warnings = _warnings(spj)
    return spj


_NO_CLASS = N_("{name} has no honorarium class (or one the {year} table does not list): "
               "not paid until it is set.")
_NO_GOLONGAN = N_("{name} has a NIP but no golongan: taxed as non-ASN.")
_NO_NPWP = N_("{name} has no NPWP: taxed at the rate without NPWP.")
_UNRECORDED = N_("{name}: the presence at \"{session}\" ({day}) is not recorded: its JP is "
                 "not paid.")
_NO_ORIGIN = N_("{name} has no origin (kabupaten/kota): paid the default transport rate.")


def _warnings(spj: Spj) -> list[Warning]:
    out: list[Warning] = []
    for line in spj.honorarium:
        s = line.speaker
        if rates.class_rate(spj.rates, s.honorarium_class) is None:
            out.append(Warning("no_class", _(_NO_CLASS, name=s.name, year=spj.year),
                               speaker_id=s.id))
        if s.nip and not s.golongan:
            out.append(Warning("no_golongan", _(_NO_GOLONGAN, name=s.name), speaker_id=s.id))
        if not s.npwp:
            out.append(Warning("no_npwp", _(_NO_NPWP, name=s.name), speaker_id=s.id))
        for t in honorarium.unrecorded(line):
            out.append(Warning("attendance_not_recorded",
                               _(_UNRECORDED, name=s.name, session=t.title, day=fmt_date(t.day)),
                               speaker_id=s.id, session_id=t.session_id))
    for x in spj.transport:
        if x.origin_kind == "unknown":
            out.append(Warning("no_origin", _(_NO_ORIGIN, name=x.name),
                               registration_id=x.registration_id))
    return out


def signers(db: Session, training: Training) -> SpjSigners:
    """The training's signers (a blank row, not stored, until someone saves them)."""
    return db.get(SpjSigners, training.id) or SpjSigners(training_id=training.id or 0)


def save_signers(db: Session, training: Training, data: SignersIn) -> SpjSigners:
    row = db.get(SpjSigners, training.id) or SpjSigners(training_id=training.id or 0)
    for key, value in data.model_dump().items():
        setattr(row, key, value)
    row.updated_at = utcnow()
    db.add(row)
    db.flush()
    return row


@dataclass(frozen=True)
class Summary:
    training: Training
    year: int
    gross: int | None  # None: no rate table for its year
    transport_net: int | None
    honorarium_net: int | None
    warnings: int


def summaries(db: Session, org_id: int) -> list[Summary]:
    """Every training of the organization with its SPJ totals (newest first)."""
    trainings = db.exec(select(Training).where(Training.organization_id == org_id)
                        .order_by(col(Training.start_date).desc(), col(Training.id).desc())
                        ).all()
    out: list[Summary] = []
    for t in trainings:
        try:
            spj = build(db, t)
        except rates.NoRateTable:
            out.append(Summary(t, t.start_date.year, None, None, None, 0))
            continue
        out.append(Summary(t, spj.year, spj.gross, spj.transport_net, spj.honorarium_net,
                           len(spj.warnings)))
    return out
