"""The Padang demo's Kampung KB register: one Kampung KB per kelurahan its cadres come
from, the poktan each runs, and the office's target of 104 (one per kelurahan), so the
coverage page shows a real gap (Padang had 86 when it set that aim)."""

import random

from sqlmodel import Session

from service.models import Participant
from service.schemas.kampung_kb import KampungKBCreate
from service.services import kampung_kb

TARGET = 104


def seed_register(db: Session, org_id: int, people: list[Participant], seed: int) -> int:
    """Register the cadres' Kampung KB and link the cadres; how many entries."""
    rng = random.Random(seed)
    sites = sorted({(p.village or "", p.district or "") for p in people if p.village})
    for village, district in sites:
        poktan = ["BKB", "BKR", "BKL", "UPPKA"] + (["PIK-R"] if rng.random() < 0.4 else [])
        kampung_kb.create_kampung_kb(db, org_id, KampungKBCreate(
            name=f"Kampung KB {village}", village=village, district=district,
            year_formed=rng.choice((2016, 2017, 2017, 2018)), poktan=poktan))
    kampung_kb.set_target(db, org_id, TARGET)
    kampung_kb.match_participants(db, org_id)
    return len(sites)
