"""Which person of the organization a registration is: the same NIK; else the same NIP;
else the same phone and the same name (case and spacing aside). One rule for every path
that finds or creates a person: a registration by the API, the committee's form or
/daftar (`find_person`), and a spreadsheet import (`find_people`, the same rule for many
rows at once).

Conflicting numbers:

- A NIK match wins whatever else differs: the NIK is the national identity number, a NIP
  or phone beside it may be mistyped or shared.
- A NIK or NIP on both sides that differs means two people, whatever else matches: a
  person found by NIP or by phone is only taken when neither number contradicts it. So
  someone first registered by phone and name, then with their NIK, stays one person (and
  gains the NIK), while two relatives sharing one phone under one name but with their own
  NIKs stay two, and two officials with one NIP (one of them mistyped) but their own NIKs
  stay two.
- Several people fitting (two with one NIP, neither contradicting): the oldest row.
- A person found by NIK or phone gains a missing NIP only when no one else of the
  organization holds it (`Found.nip_elsewhere`): a NIP names one person, and the one
  holding it is found by it."""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from sqlmodel import Session, col, select

from service.models import Participant
from service.services.participant_fields import ParticipantFields, name_key

NIK, NIP, PHONE = "nik", "nip", "phone"
_CHUNK = 500  # values per IN (...): well under every database's parameter limit


@dataclass(frozen=True)
class Found:
    person: Participant
    by: str  # NIK | NIP | PHONE: what matched
    # The wanted NIP is held by another person of the organization (not to be copied).
    nip_elsewhere: bool = False


def compatible(person: Participant, fields: ParticipantFields) -> bool:
    """No number on both sides that tells them apart."""
    return all(not (mine and theirs) or mine == theirs
               for mine, theirs in ((person.nik, fields.nik), (person.nip, fields.nip)))


def _load(db: Session, org_id: int, column: object, values: set[str]) -> list[Participant]:
    """The organization's people whose `column` is one of `values`, oldest first."""
    out: list[Participant] = []
    ordered = sorted(values)
    for start in range(0, len(ordered), _CHUNK):
        out += db.exec(select(Participant).where(
            Participant.organization_id == org_id,
            col(column).in_(ordered[start:start + _CHUNK]))).all()
    return sorted(out, key=lambda p: p.id or 0)


def find_people(db: Session, org_id: int, wanted: Sequence[ParticipantFields]
                ) -> list[Found | None]:
    """For each of `wanted`, the person the organization already knows under those
    details (the module's rule), or None: one query per kind of number asked for (per
    500 numbers), whatever the number of rows."""
    out: list[Found | None] = [None] * len(wanted)
    niks = {f.nik for f in wanted if f.nik}
    by_nik = {p.nik: p for p in _load(db, org_id, Participant.nik, niks)} if niks else {}
    for i, fields in enumerate(wanted):
        if fields.nik and fields.nik in by_nik:
            out[i] = Found(by_nik[fields.nik], NIK)
    nips = {f.nip for f in wanted if f.nip}
    by_nip: dict[str, list[Participant]] = defaultdict(list)
    for known in _load(db, org_id, Participant.nip, nips) if nips else []:
        by_nip[known.nip or ""].append(known)
    for i, fields in enumerate(wanted):
        if out[i] is None and fields.nip:
            hit = next((k for k in by_nip[fields.nip] if compatible(k, fields)), None)
            if hit is not None:
                out[i] = Found(hit, NIP)
    phones = {f.phone for i, f in enumerate(wanted) if out[i] is None and f.phone}
    by_phone: dict[str, list[Participant]] = defaultdict(list)
    for known in _load(db, org_id, Participant.phone, phones) if phones else []:
        by_phone[known.phone or ""].append(known)
    for i, fields in enumerate(wanted):
        if out[i] is None and fields.phone:
            key = name_key(fields.name)
            hit = next((k for k in by_phone[fields.phone]
                        if name_key(k.name) == key and compatible(k, fields)), None)
            if hit is not None:
                out[i] = Found(hit, PHONE)
    for i, fields in enumerate(wanted):
        found = out[i]
        if found is not None and found.by != NIP and fields.nip and any(
                k is not found.person for k in by_nip[fields.nip]):
            out[i] = Found(found.person, found.by, nip_elsewhere=True)
    return out


def find_person(db: Session, org_id: int, fields: ParticipantFields) -> Found | None:
    """The person the organization already knows under these details (what matched, and
    whether the NIP is another's), or None."""
    return find_people(db, org_id, [fields])[0]
