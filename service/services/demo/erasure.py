"""The demo's erasure requests (UU PDP) for Padang: one cadre of Angkatan I asked to be
forgotten and was erased (her certificate still verifies, saying her data was erased),
and one request waits for the admin on /erasure."""

from sqlmodel import Session, col, select

from service.models import Batch, Certificate, Registration, User
from service.models.base import pk
from service.services.erasure import requests


def seed_erasure(db: Session, first: Batch, admin: User) -> None:
    holders = db.exec(select(Registration.participant_id)
                      .join(Certificate, col(Certificate.registration_id) == Registration.id)
                      .where(Registration.batch_id == pk(first))
                      .order_by(col(Registration.id))).all()
    others = db.exec(select(Registration.participant_id)
                     .where(Registration.batch_id != pk(first),
                            Registration.training_id == first.training_id)
                     .order_by(col(Registration.id).desc())).all()
    if not holders or not others:
        return
    erased = requests.record(
        db, admin.organization_id, holders[-1],
        "Yang bersangkutan, melalui WhatsApp ke sekretariat, 2 Desember 2026",
        "Pindah domisili dan tidak lagi menjadi kader; meminta datanya dihapus.", pk(admin))
    # Padang has one admin: they may approve their own record (the request says so).
    requests.approve(db, admin.organization_id, pk(erased), admin)
    requests.record(
        db, admin.organization_id, others[0],
        "Suami yang bersangkutan, datang ke kantor 3 Desember 2026",
        "Meminta nomor HP dan NIK istrinya dihapus dari daftar kader.", pk(admin))
