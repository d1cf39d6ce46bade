"""The demo's evaluations: most Padang cadres evaluated each narasumber session of their
angkatan and the event, as the forms would have come back in September 2018.

Scores lean to 4 with some 3s and 5s, a narasumber or two a little lower on the use of
time; about one in four writes a comment. Rows go in with Core bulk inserts, as the
attendance history's do, and like the app's own: the answers carry no registration (a
receipt per person and form says only that they answered).
"""

import random
import uuid
from typing import Any

from sqlalchemy import insert
from sqlmodel import Session, col, select

from service.models import Batch, EvaluationReceipt, EvaluationResponse, Registration, Training
from service.models.base import pk
from service.services.evaluations.answers import EVENT, evaluated, scope_of
from service.services.evaluations.forms import DEFAULTS
from service.services.overview import load_sessions

SESSION_SHARE, EVENT_SHARE, COMMENT_SHARE = 0.86, 0.8, 0.25
SESSION_COMMENTS = (
    "Materinya jelas dan mudah dipahami.",
    "Contoh-contohnya dekat dengan kegiatan kader di kelurahan.",
    "Waktunya terlalu singkat, banyak pertanyaan belum terjawab.",
    "Mohon bahan tayang dibagikan kepada peserta.",
    "Narasumber sangat menguasai materi.",
    "Sebaiknya lebih banyak diskusi kelompok.",
)
EVENT_COMMENTS = (
    "Ruangan nyaman, tetapi pengeras suara kadang tidak jelas.",
    "Konsumsi baik dan tepat waktu.",
    "Jadwal sering molor di hari pertama.",
    "Panitia ramah dan sigap membantu.",
    "Modul pelatihan sebaiknya dicetak berwarna.",
)


def _scores(rng: random.Random, keys: list[str], lean: int) -> dict[str, int]:
    return {k: max(1, min(5, rng.choice((3, 4, 4, 4, 5, 5)) + (lean if k == "time" else 0)))
            for k in keys}


def seed_evaluations(db: Session, training: Training, batches: list[Batch], seed: int) -> int:
    """Answers to every evaluated session of these batches and to the event; the caller
    commits. Returns how many answer sheets were written."""
    rng = random.Random(seed + 15)
    tid = pk(training)
    people: dict[int, list[int]] = {pk(b): [] for b in batches}
    for rid, bid in db.exec(select(Registration.id, Registration.batch_id)
                            .where(Registration.training_id == tid,
                                   Registration.status == "confirmed")
                            .order_by(col(Registration.id))):
        if bid in people and rid is not None:
            people[bid].append(rid)
    n_keys = [k for k, _ in DEFAULTS["narasumber"][1]]
    e_keys = [k for k, _ in DEFAULTS[EVENT][1]]
    receipts: list[dict[str, Any]] = []
    responses: list[dict[str, Any]] = []

    def answer(rid: int, session_id: int | None, keys: list[str], lean: int,
               comments: tuple[str, ...]) -> None:
        receipts.append({"registration_id": rid, "scope": scope_of(session_id),
                         "training_id": tid, "session_id": session_id})
        responses.append({"id": uuid.UUID(int=rng.getrandbits(128), version=4).hex,
                          "training_id": tid, "form_key": "narasumber" if session_id
                          else EVENT, "session_id": session_id, "scale": 5,
                          "answers": _scores(rng, keys, lean),
                          "comment": rng.choice(comments) if rng.random() < COMMENT_SHARE
                          else None})

    for item in load_sessions(db, list(people)):
        if not evaluated(item):
            continue
        lean = -1 if (item.speakers[0].id or 0) % 4 == 0 else 0
        for rid in people[item.session.batch_id]:
            if rng.random() < SESSION_SHARE:
                answer(rid, item.session.id, n_keys, lean, SESSION_COMMENTS)
    for rid in (r for rs in people.values() for r in rs):
        if rng.random() < EVENT_SHARE:
            answer(rid, None, e_keys, 0, EVENT_COMMENTS)
    # Responses in their random-id order, so not even the insert order pairs them up.
    responses.sort(key=lambda r: r["id"])
    if receipts:
        db.execute(insert(EvaluationReceipt), receipts)
        db.execute(insert(EvaluationResponse), responses)
    return len(responses)
