"""A realistic office for the export tests: a training with two batches, sessions and a
narasumber, registrations, check-ins and marks, certificates with a template and a
signature image, messages, a pre-test, evaluations, a report text and photo, a programme,
a Kampung KB and a unit."""

import secrets
from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from sqlmodel import Session

from service.models import (
    Certificate,
    EvaluationReceipt,
    EvaluationResponse,
    Message,
    Organization,
    Registration,
    Training,
    User,
)
from service.models.base import pk
from service.schemas.assessments import AssessmentCreate, QuestionIn
from service.schemas.kampung_kb import KampungKBCreate
from service.schemas.programs import ProgramCreate
from service.services import kampung_kb, programs, report_photos
from service.services.assessments import answering, windows
from service.services.assessments import bank as assessment_bank
from service.services.evaluations import answers
from tests import factories
from tests.report_photos_util import phone_jpeg


@dataclass
class Office:
    org: Organization
    admin: User
    training: Training
    regs: list[Registration]
    certificates: list[Certificate]


def build(db: Session, name: str = "DP3AP2KB Kota Padang", nik_base: int = 0) -> Office:
    org = factories.organization(db, name)
    admin = factories.user(db, org, role="admin", name="Admin Padang")
    program = programs.create_program(db, pk(org), ProgramCreate(
        title="Program Kampung KB 2018", start_date=date(2018, 1, 1),
        end_date=date(2018, 12, 31)))
    t = factories.training(db, org, days=4, program_id=pk(program))
    b1 = factories.batch(db, t, "Angkatan I", days=2)
    b2 = factories.batch(db, t, "Angkatan II", days=2)
    sp = factories.speaker(db, org, name="Dr. Siti Rahma", institution="BKKBN Sumbar")
    s1 = factories.session(db, t, b1, teachers=[sp])
    factories.session(db, t, b1, title="Pengasuhan Balita", day=b1.end_date, teachers=[sp])
    factories.session(db, t, b2, title="Ketahanan Keluarga", teachers=[sp],
                      start=time(10), end=time(11))
    kampung_kb.create_kampung_kb(db, pk(org), KampungKBCreate(
        name="Kampung KB Melati", village="Air Tawar Barat", district="Padang Utara"))
    regs = []
    for n in range(6):
        person = factories.kader(n + nik_base)
        regs.append(factories.register(db, t, b1 if n < 4 else b2, **person))
    for reg in regs[:4]:
        for day in (b1.start_date, b1.end_date):
            factories.check_in(db, reg, day, admin)
    factories.check_in(db, regs[4], b2.start_date, admin)
    factories.mark(db, regs[4], b2.end_date, admin, "present", reason="daftar hadir")
    factories.mark(db, regs[5], b2.start_date, admin, "excused", reason="sakit",
                   excuse="sick")
    factories.certificate_template_for(db, t, admin)
    certificates = factories.issue_certificates(db, t, admin)
    pretest = assessment_bank.create_assessment(db, t, AssessmentCreate(
        kind="pretest", title="Pre-test", questions=[QuestionIn(
            text="Kepanjangan BKB?", choices=["Bina Keluarga Balita", "Balai"], answer=0)]))
    windows.set_open(db, pretest, pk(b1), True)
    answering.submit(db, regs[0], pk(pretest), [0])
    report_photos.add_photo(db, t, phone_jpeg(64, 48), "Pembukaan", pk(s1), admin)
    code = answers.session_code(db, s1)
    assert code
    db.add(EvaluationResponse(id=secrets.token_hex(16), training_id=pk(t),
                              form_key="narasumber", session_id=pk(s1), scale=5,
                              answers={"mastery": 5, "delivery": 4}, comment="Bagus"))
    db.add(EvaluationReceipt(registration_id=pk(regs[0]), scope=f"session:{pk(s1)}",
                             training_id=pk(t), session_id=pk(s1)))
    now = datetime(2018, 9, 11, 9, tzinfo=UTC)
    for reg in regs[:3]:
        db.add(Message(organization_id=pk(org), training_id=pk(t), registration_id=pk(reg),
                       channel="whatsapp", kind="ticket", recipient="+6281266340000",
                       name="Kader", body="Tiket Anda", base_url="http://testserver",
                       idempotency_key=f"rule-{pk(b1)}-2018-09-11:reminder:{pk(reg)}:whatsapp",
                       status="delivered", next_attempt_at=now, created_by=pk(admin),
                       sent_at=now))
    db.flush()
    factories.committed(db)
    return Office(org, admin, t, regs, certificates)

