"""The demo's pre-test and post-test: ten questions on Kampung KB for the Padang
training, answered by most cadres of every angkatan (pre-test mean about 55, post-test
about 78), so a newcomer sees results, the gain and the hardest questions at once.
Answer sheets go in with one Core bulk insert per test, so seeding stays fast."""

import random
import secrets
from typing import Any

from sqlalchemy import insert
from sqlmodel import Session, col, select

from service.models import (
    Assessment,
    AssessmentBatch,
    AssessmentQuestion,
    AssessmentResponse,
    Batch,
    Registration,
    Training,
)
from service.models.base import pk, utcnow

# (question, choices, right index, difficulty: how much harder than the mean it is)
QUESTIONS: list[tuple[str, list[str], int, float]] = [
    ("Kampung KB pertama kali dicanangkan pada tahun ...", ["2014", "2016", "2018", "2020"],
     1, -0.10),
    ("BKB adalah singkatan dari ...", ["Bina Keluarga Balita", "Bina Kesehatan Bayi",
                                      "Balai Keluarga Berencana", "Badan Kependudukan"], 0,
     -0.20),
    ("Kelompok kegiatan bagi keluarga yang memiliki remaja adalah ...",
     ["BKB", "BKR", "BKL", "UPPKA"], 1, -0.05),
    ("PIK-R merupakan wadah kegiatan bagi ...", ["Remaja", "Lansia", "Balita",
                                                "Pasangan usia subur"], 0, -0.05),
    ("Usia ideal menikah bagi perempuan menurut BKKBN adalah ...",
     ["17 tahun", "19 tahun", "21 tahun", "25 tahun"], 2, 0.10),
    ("UPPKA bertujuan meningkatkan pendapatan keluarga akseptor.", ["Benar", "Salah"], 0,
     -0.10),
    ("Metode kontrasepsi jangka panjang (MKJP) antara lain ...",
     ["Pil", "Kondom", "IUD dan implan", "Suntik 1 bulan"], 2, 0.15),
    ("Pokja Kampung KB dibentuk di tingkat ...", ["Provinsi", "Kabupaten/kota",
                                                 "Kelurahan/desa", "RT"], 2, 0.05),
    ("Data keluarga Kampung KB bersumber dari Pendataan Keluarga (PK).", ["Benar", "Salah"],
     0, 0.05),
    ("Delapan fungsi keluarga tidak termasuk fungsi ...",
     ["Agama", "Cinta kasih", "Politik", "Ekonomi"], 2, 0.20),
]
PRE_MEAN, POST_GAIN, SPREAD = 0.55, 0.23, 0.14
ANSWERED = 0.9  # most cadres, not all: some came late or left early


def _test(db: Session, training: Training, kind: str, title: str) -> Assessment:
    a = Assessment(training_id=pk(training), kind=kind, title=title,
                   public_code=secrets.token_urlsafe(12))
    db.add(a)
    db.flush()
    db.add_all([AssessmentQuestion(assessment_id=pk(a), position=n, text=text,
                                   choices=choices, answer=key)
                for n, (text, choices, key, _d) in enumerate(QUESTIONS, start=1)])
    return a


def _answers(rng: random.Random, ability: float) -> list[int | None]:
    out: list[int | None] = []
    for _text, choices, key, difficulty in QUESTIONS:
        if rng.random() < min(max(ability - difficulty, 0.05), 0.98):
            out.append(key)
        else:
            out.append(rng.choice([i for i in range(len(choices)) if i != key]))
    return out


def seed_assessments(db: Session, training: Training, batches: list[Batch],
                     seed: int) -> None:
    rng = random.Random(seed + 15)
    pre = _test(db, training, "pretest", "Pre-test Pelatihan Kader Kampung KB")
    post = _test(db, training, "posttest", "Post-test Pelatihan Kader Kampung KB")
    now = utcnow()
    db.add_all([AssessmentBatch(assessment_id=pk(a), batch_id=pk(b), opened_at=now,
                                closed_at=now) for a in (pre, post) for b in batches])
    regs = db.exec(select(Registration.id).where(
        Registration.training_id == pk(training), Registration.status == "confirmed",
        col(Registration.batch_id).is_not(None)).order_by(col(Registration.id))).all()
    pre_rows: list[dict[str, Any]] = []
    post_rows: list[dict[str, Any]] = []
    total = len(QUESTIONS)
    for rid in regs:
        ability = rng.gauss(PRE_MEAN, SPREAD)
        for rows, level, source in ((pre_rows, ability, "phone"),
                                    (post_rows, ability + POST_GAIN, "phone")):
            if rng.random() > ANSWERED:
                continue
            answers = _answers(rng, level)
            right = sum(1 for a, q in zip(answers, QUESTIONS, strict=True) if a == q[2])
            rows.append({"registration_id": rid, "answers": answers, "correct": right,
                         "score": (200 * right + total) // (2 * total),
                         "source": source if rng.random() < 0.85 else "paper",
                         "created_at": now})
    db.flush()
    for a, rows in ((pre, pre_rows), (post, post_rows)):
        if rows:
            db.execute(insert(AssessmentResponse),
                       [{"assessment_id": pk(a), **r} for r in rows])
