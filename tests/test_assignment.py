"""The figures of the assignment preview the page shows (services.assignment): seats
already taken and still free, and the category and kecamatan mix per batch."""

from sqlmodel import Session

from service.models import Organization
from service.services import assignment
from tests import factories


def _preview(db: Session, org: Organization) -> assignment.AssignmentPreview:
    """Three cadres waiting (registered before any batch existed), one confirmed in
    Angkatan I (2 seats); Angkatan II has 3 seats."""
    training = factories.training(db, org)
    factories.register_many(db, training, None, 3)
    first = factories.batch(db, training, "Angkatan I", capacity=2)
    factories.batch(db, training, "Angkatan II", capacity=3)
    factories.register(db, training, first, **factories.kader(3))
    return assignment.preview(db, training, "balanced")


def test_seats_taken_and_free_before_assigning(db: Session, org: Organization) -> None:
    result = _preview(db, org)
    assert (result.candidates, result.confirmed, result.room) == (3, 1, 4)


def test_the_mix_totals_everyone_after_assigning(db: Session, org: Organization) -> None:
    result = _preview(db, org)
    assert {key: total for key, _per_batch, total in result.mix_by_category()} == {
        "Kader BKB": 2, "PKB": 2}
    assert {key: total for key, _per_batch, total in result.mix_by_district()} == {
        "Kuranji": 2, "Padang Utara": 2}
    for _key, per_batch, total in result.mix_by_category():
        assert len(per_batch) == 2 and sum(per_batch) == total
