"""The demo's letters (issue 16): the letter settings of the Padang office (DP3AP2KB Kota
Padang) and of the Sumsel provincial office (Perwakilan BKKBN Sumatera Selatan), and the
letters each issued for its training: Padang's requests to its narasumber and the
committee's surat tugas (when the training has committee members), Sumsel's invitations
to the 17 kabupaten/kota (one per invited unit, each with its own nomination link).

Built through the services the committee uses. The names of the signatories are
invented; the offices and their places are real."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, select

from service.models import EventPerson, Training, TrainingUnit, User
from service.models.base import pk
from service.schemas.letters import LetterIssue, LetterKindSetting, LetterSettingsIn
from service.services.letters import issuing, settings
from service.services.messaging.demo import BASE

PADANG = LetterSettingsIn(
    header_lines=["PEMERINTAH KOTA PADANG",
                  "DINAS PENGENDALIAN PENDUDUK, KELUARGA BERENCANA, PEMBERDAYAAN "
                  "PEREMPUAN DAN PERLINDUNGAN ANAK",
                  "Jl. Bagindo Aziz Chan No. 1, Aie Pacah, Padang 25176",
                  "Telp. (0751) 4640800 · Email dp3ap2kb@padang.go.id"],
    place="Padang", signatory_name="Drs. H. Editiawarman Syafri, M.Si.",
    signatory_nip="196805141994031007", signatory_position="Kepala Dinas",
    contact="Rina Marlina, S.Sos. (0812 6634 0001)",
    kinds={"invitation": LetterKindSetting(
               pattern="{seq:03}/{code}/DP3AP2KB/{roman_month}/{year}", code="005"),
           "speaker_request": LetterKindSetting(
               pattern="{seq:03}/{code}/DP3AP2KB/{roman_month}/{year}", code="005"),
           "committee_assignment": LetterKindSetting(
               pattern="{seq:03}/{code}/DP3AP2KB/{roman_month}/{year}", code="094")})
SUMSEL = LetterSettingsIn(
    header_lines=["BADAN KEPENDUDUKAN DAN KELUARGA BERENCANA NASIONAL",
                  "PERWAKILAN PROVINSI SUMATERA SELATAN",
                  "Jl. Jenderal Sudirman Km. 3,5, Palembang 30129",
                  "Telp. (0711) 350515 · Email sumsel@bkkbn.go.id"],
    place="Palembang", signatory_name="Dra. Hj. Nurhayati Fitriani, M.Kes.",
    signatory_nip="196703121993022001", signatory_position="Kepala Perwakilan",
    contact="Andika Saputra, S.E. (0811 7120 4455)",
    kinds={"invitation": LetterKindSetting(
               pattern="{seq:03}/{code}/KS.03/J4/{roman_month}/{year}", code="005"),
           "speaker_request": LetterKindSetting(
               pattern="{seq:03}/{code}/KS.03/J4/{roman_month}/{year}", code="005"),
           "committee_assignment": LetterKindSetting(
               pattern="{seq:03}/{code}/KP.01/J4/{roman_month}/{year}", code="800")})

PADANG_DATE = date(2018, 9, 3)
SUMSEL_DATE = date(2022, 8, 1)


@dataclass(frozen=True)
class LettersDemo:
    speaker_requests: int
    assignments: int
    invitations: int


def _admin(db: Session, org_id: int) -> User | None:
    return db.exec(select(User).where(User.organization_id == org_id, User.role == "admin")
                   .order_by(col(User.id))).first()


def _issue(db: Session, training: Training, kind: str, on: date) -> int:
    data = LetterIssue.model_validate({"kind": kind, "letter_date": on})
    return len(issuing.issue(db, training, _admin(db, training.organization_id), data, BASE))


def seed_letters(db: Session, padang: Training, sumsel: Training,
                 training_units: Sequence[TrainingUnit] | None = None) -> LettersDemo:
    """Letter settings for both offices and their letters; flushes only. Sumsel's
    invitations go to `training_units` (default: the units invited to its workshop, made
    by the nominations demo); none are issued while it has none, and Padang's surat tugas
    waits for its committee (guests demo) the same way."""
    settings.save(db, padang.organization_id, PADANG, _admin(db, padang.organization_id))
    settings.save(db, sumsel.organization_id, SUMSEL, _admin(db, sumsel.organization_id))
    requests = _issue(db, padang, "speaker_request", PADANG_DATE) \
        if issuing.candidates(db, padang, "speaker_request") else 0
    has_committee = db.exec(select(EventPerson.id).where(
        EventPerson.training_id == pk(padang), EventPerson.kind == "committee")).first()
    assignments = _issue(db, padang, "committee_assignment", PADANG_DATE) \
        if has_committee is not None else 0
    units = list(training_units) if training_units is not None else list(db.exec(
        select(TrainingUnit).where(TrainingUnit.training_id == pk(sumsel))).all())
    invitations = 0
    if units:
        invitations = len(issuing.issue(
            db, sumsel, _admin(db, sumsel.organization_id),
            LetterIssue(kind="invitation", letter_date=SUMSEL_DATE,
                        unit_ids=[u.unit_id for u in units]), BASE))
    return LettersDemo(speaker_requests=requests, assignments=assignments,
                       invitations=invitations)
