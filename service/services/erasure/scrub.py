"""The erasure itself: a person's personal fields and every copy of them, in one flush.

What goes: the name (replaced by a stable pseudonym label), NIK, NIP, phone, email,
birth date, institution, position, rank, village and the Kampung KB as typed; the
registrations' contact keys (phone|name); the name printed on their certificates; the
recipient, name and text of every message to them (queued ones are stopped); a unit's
nomination of them (name, NIP, jabatan, phone, email); the
reasons of the committee's marks and certificate decisions about them, and mentions of
them in others'; the merge audit's copy of their name; spreadsheets kept for an import
preview that hold their row (deleted); opt-outs of their addresses no one else uses.

What stays: the person row and its id, gender, kecamatan, kabupaten/kota, province and
the register's Kampung KB link (the report's breakdowns by gender and region count
them, and none names anyone on its own); registrations, check-ins, marks' statuses,
certificate numbers and verification codes, assessment scores. The organization's
totals do not change."""

import re
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import delete, or_, update
from sqlmodel import Session, col, select

from service.i18n.names import without_front_titles
from service.imports.reader import read_table
from service.models import (
    AttendanceMark,
    Certificate,
    CertificateDecision,
    ImportUpload,
    Message,
    MessageOptOut,
    Nominee,
    Participant,
    PersonMerge,
    Registration,
    Training,
)
from service.models.base import pk, utcnow
from service.models.erasure import ErasureRequest, RetentionListing
from service.services.erasure import unit_papers

# What the erased person is called everywhere a list shows them (stored data, so one
# language: the office's).
ERASED_LABEL = "Data dihapus (UU PDP)"
# What replaces an erased text (a message's body, a mark's reason).
REMOVED = "[dihapus]"
# Personal fields cleared to None, in the order the request lists them.
CLEARED = ("nik", "nip", "phone", "email", "birth_date", "institution", "position", "rank",
           "village", "kampung_kb")
_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I
# Titles and words that name no one ("Ibu", "Bapak", "Hajjah"...).
_TITLES = {"bapak", "ibu", "saudara", "saudari", "hajjah", "hajji", "haji", "dokter",
           "drs.", "sendiri", "yang", "bersangkutan"}
_MAX_UPLOAD_BYTES = 20 * 1024 * 1024
_MAX_UPLOAD_ROWS = 100_000


@dataclass(frozen=True)
class Erased:
    fields: list[str]  # the names of the fields that held a value
    copies: int  # messages, certificates, marks, decisions, uploads... cleared


def new_pseudonym(db: Session) -> str:
    while True:
        candidate = "PDP-" + "".join(secrets.choice(_ALPHABET) for _ in range(6))
        if db.exec(select(ErasureRequest.id)
                   .where(ErasureRequest.pseudonym == candidate)).first() is None:
            return candidate


def label(pseudonym: str) -> str:
    return f"{ERASED_LABEL} · {pseudonym}"


def is_erased_name(name: str | None) -> bool:
    return bool(name) and str(name).startswith(ERASED_LABEL)


def _phone_forms(phone: str) -> list[str]:
    """+6281234567890 also as 081234567890 and 6281234567890 (as people write it)."""
    forms = [phone]
    if phone.startswith("+62"):
        forms += ["0" + phone[3:], phone[1:]]
    return forms


def needles(person: Participant) -> list[str]:
    """The texts that identify the person (longest first), to find mentions of them."""
    found: list[str] = []
    if person.name and not is_erased_name(person.name):
        # As written ("Hj. Yusnimar Chaniago, S.Pd.") and as others write it (titles and
        # degrees aside: "Yusnimar Chaniago").
        core = without_front_titles(person.name).split(",")[0].strip()
        found += [n for n in (person.name.strip(), core) if len(n) >= 3]
    for number in (person.nik, person.nip, person.email):
        if number:
            found.append(number)
    if person.phone:
        found += _phone_forms(person.phone)
    return sorted(set(found), key=len, reverse=True)


def scrub_text(text: str, wanted: Sequence[str]) -> str:
    """`text` with every mention of `wanted` (case and spacing aside) replaced."""
    for needle in wanted:
        pattern = r"\s+".join(re.escape(part) for part in needle.split())
        text = re.sub(pattern, REMOVED, text, flags=re.IGNORECASE)
    return text


def mentions(text: str | None, wanted: Sequence[str]) -> bool:
    return bool(text) and scrub_text(str(text), wanted) != text


def erase(db: Session, person: Participant, pseudonym: str) -> Erased:
    """Erase the person and every copy of their data (the module's note); flushes."""
    wanted = needles(person)
    old_name = "" if is_erased_name(person.name) else person.name
    addresses = [a for a in (person.phone, person.email) if a]
    fields = ["name"] + [f for f in CLEARED if getattr(person, f) is not None]
    reg_ids = [int(i) for i in db.exec(select(Registration.id).where(
        Registration.participant_id == pk(person))).all() if i is not None]
    training_ids = sorted(set(db.exec(select(Registration.training_id)
                                      .where(Registration.participant_id == pk(person)))))
    for name in CLEARED:
        setattr(person, name, None)
    person.name = label(pseudonym)
    db.add(person)
    copies = 0
    if reg_ids:
        db.execute(update(Registration).where(col(Registration.id).in_(reg_ids))
                   .values(contact_key=None).execution_options(synchronize_session=False))
        copies += _certificates(db, reg_ids, person.name)
        copies += _messages(db, person.organization_id, reg_ids, addresses)
        copies += _reasons(db, reg_ids, training_ids, wanted)
        copies += _nominations(db, reg_ids, person.name)
    copies += _merges(db, person)
    copies += _uploads(db, person.organization_id, wanted)
    copies += _optouts(db, pk(person), addresses)
    _own_requests(db, pk(person), [*wanted, *name_words(old_name)])
    db.execute(delete(RetentionListing).where(col(RetentionListing.participant_id) == pk(person))
               .execution_options(synchronize_session=False))
    db.flush()
    # Loaded copies (a page's session) must not write the old values back.
    db.expire_all()
    return Erased(fields, copies)


def _nominations(db: Session, reg_ids: list[int], name: str) -> int:
    """The unit's nomination of them (name, NIP, jabatan, phone, email as the focal point
    typed them): the pseudonym, nothing else; and the unit's surat tugas, which names
    them and cannot be redacted: removed."""
    units = sorted({int(u) for u in db.exec(select(Nominee.training_unit_id).where(
        col(Nominee.registration_id).in_(reg_ids)))})
    result = db.execute(update(Nominee).where(col(Nominee.registration_id).in_(reg_ids))
                        .values(name=name, nip="", position="", phone="", email="")
                        .execution_options(synchronize_session=False))
    letters = unit_papers.clear_letters(db, units) if units else 0
    return int(result.rowcount or 0) + letters  # type: ignore[attr-defined]


def _certificates(db: Session, reg_ids: list[int], name: str) -> int:
    certs = db.exec(select(Certificate).where(col(Certificate.registration_id).in_(reg_ids)))
    count = 0
    for cert in certs:
        cert.name = name
        if cert.revoke_reason:
            cert.revoke_reason = REMOVED
        db.add(cert)
        count += 1
    return count


def _messages(db: Session, org_id: int, reg_ids: list[int], addresses: list[str]) -> int:
    to_them = [col(Message.registration_id).in_(reg_ids)]
    if addresses:
        to_them.append(col(Message.recipient).in_(addresses))
    count = 0
    for message in db.exec(select(Message).where(Message.organization_id == org_id,
                                                 or_(*to_them))):
        message.recipient = REMOVED
        message.name = REMOVED
        message.body = REMOVED
        message.html = None
        message.subject = REMOVED if message.subject else None
        message.params = "[]"
        if message.status in ("queued", "sending"):
            # Nothing is sent to an erased person.
            message.status = "failed"
            message.failed_at = utcnow()
            message.error = ERASED_LABEL
        db.add(message)
        count += 1
    return count


def _reasons(db: Session, reg_ids: list[int], training_ids: list[int],
             wanted: Sequence[str]) -> int:
    """Their own marks' and decisions' reasons go whole (sickness is health data); others'
    in their trainings lose the mentions of them."""
    own = set(reg_ids)
    count = 0
    for row in [*db.exec(select(AttendanceMark)
                         .join(Registration,
                               col(Registration.id) == AttendanceMark.registration_id)
                         .where(col(Registration.training_id).in_(training_ids),
                                col(AttendanceMark.reason) != "")),
                *db.exec(select(CertificateDecision)
                         .where(col(CertificateDecision.training_id).in_(training_ids),
                                col(CertificateDecision.reason) != ""))]:
        if row.registration_id in own:
            new = REMOVED
        else:
            new = scrub_text(row.reason, wanted)
        if new != row.reason:
            row.reason = new
            db.add(row)
            count += 1
    return count


def _merges(db: Session, person: Participant) -> int:
    count = 0
    for entry in db.exec(select(PersonMerge).where(PersonMerge.kept_id == pk(person))):
        entry.merged_name = person.name
        entry.merged_nik_tail = None
        db.add(entry)
        count += 1
    return count


def _upload_mentions(upload: ImportUpload, wanted: Sequence[str]) -> bool:
    """Whether a kept spreadsheet holds the person (an unreadable one counts: it cannot
    be shown to hold no one)."""
    try:
        table = read_table(upload.content, upload.filename, max_bytes=_MAX_UPLOAD_BYTES,
                           max_rows=_MAX_UPLOAD_ROWS)
    except Exception:  # noqa: BLE001 (any refusal: the file is not kept)
        return True
    cells: Iterable[str] = (c for _n, row in table.rows for c in row)
    leading = (c for _n, row in table.leading for c in row)
    return any(mentions(c, wanted) for c in (*cells, *leading, *table.headers))


def _uploads(db: Session, org_id: int, wanted: Sequence[str]) -> int:
    """Spreadsheets kept between an import's preview and its confirmation that hold the
    person are deleted (the committee uploads the file again)."""
    if not wanted:
        return 0
    count = 0
    for upload in db.exec(select(ImportUpload)
                          .join(Training, col(Training.id) == ImportUpload.training_id)
                          .where(Training.organization_id == org_id)):
        if _upload_mentions(upload, wanted):
            db.delete(upload)
            count += 1
    return count


def _optouts(db: Session, person_id: int, addresses: list[str]) -> int:
    """Their "no more messages" rows, where no one else holds the address (the person
    has no address left to send to)."""
    count = 0
    for address in addresses:
        others = db.exec(select(Participant.id).where(
            or_(col(Participant.phone) == address, col(Participant.email) == address),
            col(Participant.id) != person_id)).first()
        if others is None:
            result = db.execute(delete(MessageOptOut)
                                .where(col(MessageOptOut.address) == address)
                                .execution_options(synchronize_session=False))
            count += int(getattr(result, "rowcount", 0) or 0)
    return count


def name_words(name: str) -> list[str]:
    """The words of a name long enough to identify (titles and short words aside)."""
    words = re.findall(r"[^\W\d_]{4,}", name)
    return [w for w in words if w.casefold() not in _TITLES]


def _own_requests(db: Session, person_id: int, wanted: Sequence[str]) -> None:
    """A request's "who asked" and reason may name the person ("Ibu Yusnimar lewat
    WhatsApp"): the mentions go, first names alone too."""
    for request in db.exec(select(ErasureRequest)
                           .where(ErasureRequest.participant_id == person_id)):
        request.requested_by_text = scrub_text(request.requested_by_text, wanted)
        request.reason = scrub_text(request.reason, wanted)
        db.add(request)
