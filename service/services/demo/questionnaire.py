"""The demo's own evaluation questionnaire on the Padang training ("Evaluasi
penyelenggaraan pelatihan"): four questions on a 1-5 scale and one with worded choices,
opened to every angkatan and answered anonymously by about two thirds of the cadres,
so the committee's evaluations page shows means per item, shares per choice and the
split per batch. Rows go in with two Core bulk inserts, so seeding stays fast."""

import random
import secrets
import uuid
from typing import Any

from sqlalchemy import insert
from sqlmodel import Session, col, select

from service.models import (
    Assessment,
    AssessmentBatch,
    AssessmentQuestion,
    Batch,
    EvaluationReceipt,
    EvaluationResponse,
    Registration,
    Training,
)
from service.models.base import pk
from service.services.assessments.questionnaire import FORM_KEY, scope

SCALE = ["1", "2", "3", "4", "5"]
QUESTIONS: list[tuple[str, list[str], list[int]]] = [
    # (question, choices, weights per choice)
    ("Materi pelatihan sesuai dengan tugas saya sebagai kader", SCALE, [1, 2, 8, 30, 25]),
    ("Pembagian waktu antara teori dan praktik", SCALE, [2, 6, 18, 26, 14]),
    ("Kenyamanan ruang pelatihan", SCALE, [1, 4, 12, 28, 20]),
    ("Saya siap menerapkan materi di Kampung KB", SCALE, [0, 1, 6, 26, 32]),
    ("Lama pelatihan", ["Terlalu singkat", "Cukup", "Terlalu lama"], [22, 40, 4]),
]
COMMENTS = ["Mohon materi dibagikan dalam bentuk cetak.", "Praktik pencatatan perlu ditambah.",
            "Ruangan agak dingin.", "Semoga ada pelatihan lanjutan tahun depan."]


def seed_questionnaire(db: Session, training: Training, batches: list[Batch],
                       seed: int) -> Assessment:
    rnd = random.Random(seed + 15)
    a = Assessment(training_id=pk(training), kind="evaluation",
                   title="Evaluasi penyelenggaraan pelatihan",
                   public_code=secrets.token_urlsafe(12))
    db.add(a)
    db.flush()
    for n, (text, choices, _w) in enumerate(QUESTIONS, start=1):
        db.add(AssessmentQuestion(assessment_id=pk(a), position=n, text=text,
                                  choices=choices, answer=None))
    for b in batches:
        db.add(AssessmentBatch(assessment_id=pk(a), batch_id=pk(b)))
    db.flush()
    regs = db.exec(select(Registration.id, Registration.batch_id)
                   .where(Registration.training_id == pk(training),
                          Registration.status == "confirmed",
                          col(Registration.batch_id).is_not(None))).all()
    receipts: list[dict[str, Any]] = []
    responses: list[dict[str, Any]] = []
    for rid, bid in regs:
        if rnd.random() > 0.68:
            continue
        receipts.append({"registration_id": rid, "scope": scope(pk(a)),
                         "training_id": pk(training), "session_id": None})
        answers = {str(n): rnd.choices(range(len(c)), weights=w)[0]
                   for n, (_t, c, w) in enumerate(QUESTIONS, start=1)}
        responses.append({"id": uuid.uuid4().hex, "training_id": pk(training),
                          "form_key": FORM_KEY, "session_id": None, "scale": 0,
                          "answers": answers, "assessment_id": pk(a), "batch_id": bid,
                          "comment": rnd.choice(COMMENTS) if rnd.random() < 0.1 else None})
    if receipts:
        db.execute(insert(EvaluationReceipt), receipts)
        db.execute(insert(EvaluationResponse), responses)
    db.flush()
    return a
