"""The export's workbook: the lists an office opens in Excel (people, registrations,
attendance per day, certificates, messages), built from the organization's rows."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence

from sqlmodel import Session, col, select

from service.models import (
    Batch,
    Certificate,
    Message,
    Organization,
    Participant,
    Registration,
    Training,
    TrainingCategory,
)
from service.models.base import pk
from service.rendering.org_export_sheets import ListSheet, SheetCell
from service.services import meeting_days, presence

STATUS_ID = {"present": "hadir", "absent": "tidak hadir", "excused": "izin/sakit"}


def _people(db: Session, org_id: int) -> ListSheet:
    rows: list[list[SheetCell]] = [
        [p.id, p.name, p.nik, p.nip, p.gender, p.birth_date, p.phone, p.email, p.institution,
         p.position, p.rank, p.village, p.district, p.regency, p.kampung_kb]
        for p in db.exec(select(Participant).where(Participant.organization_id == org_id)
                         .order_by(col(Participant.sort_name), col(Participant.id)))]
    return ListSheet("Peserta", ("ID", "Nama", "NIK", "NIP", "L/P", "Tanggal lahir", "No. HP",
                                 "Email", "Instansi", "Jabatan", "Pangkat/golongan",
                                 "Kelurahan/desa", "Kecamatan", "Kabupaten/kota", "Kampung KB"),
                     rows)


def _registrations(db: Session, trainings: list[Training]) -> ListSheet:
    by_id = {pk(t): t for t in trainings}
    batches = {pk(b): b.name for b in db.exec(select(Batch).where(
        col(Batch.training_id).in_(list(by_id))))} if by_id else {}
    categories = {pk(c): c.name for c in db.exec(select(TrainingCategory).where(
        col(TrainingCategory.training_id).in_(list(by_id))))} if by_id else {}
    rows: list[list[SheetCell]] = []
    if by_id:
        query = (select(Registration, Participant)
                 .join(Participant, col(Participant.id) == Registration.participant_id)
                 .where(col(Registration.training_id).in_(list(by_id)))
                 .order_by(col(Registration.training_id), col(Participant.sort_name)))
        for reg, person in db.exec(query):
            rows.append([by_id[reg.training_id].title,
                         batches.get(reg.batch_id) if reg.batch_id else None, person.name,
                         person.nik, person.institution, person.regency,
                         categories.get(reg.category_id) if reg.category_id else None,
                         reg.status, reg.source, reg.created_at])
    return ListSheet("Pendaftaran", ("Pelatihan", "Angkatan", "Nama", "NIK", "Instansi",
                                     "Kabupaten/kota", "Kategori", "Status", "Sumber",
                                     "Terdaftar (UTC)"), rows)


def _attendance(db: Session, trainings: list[Training]) -> ListSheet:
    rows: list[list[SheetCell]] = []
    for training in trainings:
        batches = list(db.exec(select(Batch).where(Batch.training_id == pk(training))
                               .order_by(col(Batch.position), col(Batch.id))))
        if not batches:
            continue
        state = presence.load(db, training, batches)
        people = db.exec(select(Registration, Participant)
                         .join(Participant, col(Participant.id) == Registration.participant_id)
                         .where(Registration.training_id == pk(training),
                                Registration.status == "confirmed")
                         .order_by(col(Participant.sort_name))).all()
        in_batch: dict[int, list[tuple[Registration, Participant]]] = defaultdict(list)
        for reg, person in people:
            if reg.batch_id is not None:
                in_batch[reg.batch_id].append((reg, person))
        for batch in batches:
            for day in meeting_days.days_of(batch):
                for reg, person in in_batch.get(pk(batch), []):
                    now = state.state(pk(reg), day)
                    rows.append([training.title, batch.name, day, person.name, person.nik,
                                 STATUS_ID.get(now.status, now.status), now.reason or None])
    return ListSheet("Kehadiran per hari", ("Pelatihan", "Angkatan", "Tanggal", "Nama", "NIK",
                                            "Status", "Keterangan"), rows)


def _certificates(db: Session, org_id: int, trainings: list[Training]) -> ListSheet:
    titles = {pk(t): t.title for t in trainings}
    rows: list[list[SheetCell]] = [
        [c.number, c.name, titles.get(c.training_id), c.issued_at, c.revoked_at,
         c.revoke_reason, c.verification_code]
        for c in db.exec(select(Certificate).where(Certificate.organization_id == org_id)
                         .order_by(col(Certificate.id)))]
    return ListSheet("Sertifikat", ("Nomor", "Nama", "Pelatihan", "Terbit (UTC)",
                                    "Dicabut (UTC)", "Alasan dicabut", "Kode verifikasi"), rows)


def _messages(db: Session, org_id: int, trainings: list[Training]) -> ListSheet:
    titles = {pk(t): t.title for t in trainings}
    rows: list[list[SheetCell]] = [
        [titles.get(m.training_id), m.name, m.channel, m.kind, m.recipient, m.status,
         m.attempts, m.created_at, m.sent_at, m.delivered_at, m.error]
        for m in db.exec(select(Message).where(Message.organization_id == org_id)
                         .order_by(col(Message.id)))]
    return ListSheet("Pesan", ("Pelatihan", "Nama", "Saluran", "Jenis", "Tujuan", "Status",
                               "Percobaan", "Dibuat (UTC)", "Terkirim (UTC)", "Diterima (UTC)",
                               "Kesalahan"), rows)


# The renderer (rendering/org_export_sheets.lists_xlsx), handed in by the caller: a
# service builds the lists, a renderer turns them into bytes.
Render = Callable[[str, Sequence[ListSheet]], bytes]


def workbook(db: Session, org: Organization, render: Render) -> bytes:
    org_id = pk(org)
    trainings = list(db.exec(select(Training).where(Training.organization_id == org_id)
                             .order_by(col(Training.start_date), col(Training.id))))
    return render(org.name, [_people(db, org_id), _registrations(db, trainings),
                                 _attendance(db, trainings),
                                 _certificates(db, org_id, trainings),
                                 _messages(db, org_id, trainings)])
