"""The certificate review's summary (certificate_eligibility.review_summary): what the
review page and the API's eligibility list show, computed in the service in a fixed
number of queries."""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from sqlmodel import Session

from service.errors import NotFound
from service.models import Batch, Organization, Registration, Training, User
from service.models.base import pk
from service.services.certificates import eligibility as eligibility
from service.services.certificates import issuing as certificate_issuing
from service.services.certificates import revoke as certificate_revoke
from tests import factories


@dataclass
class World:
    training: Training
    batch: Batch
    other: Batch
    people: list[Registration]
    admin: User


def _world(db: Session, org: Organization, people: int = 4) -> World:
    """Angkatan I on 12-13 September with `people` cadres: the first present both days,
    the second on day 1 only, the rest never; Angkatan II empty."""
    admin = factories.user(db, org, role="admin", name="Admin")
    training = factories.training(db, org)
    first = factories.batch(db, training, "Angkatan I")
    other = factories.batch(db, training, "Angkatan II", start=training.start_date + timedelta(5))
    regs = factories.register_many(db, training, first, people)
    for day in (0, 1):
        factories.check_in(db, regs[0], first.start_date + timedelta(day), admin)
    factories.check_in(db, regs[1], first.start_date, admin)
    return World(training, first, other, regs, admin)


def test_counts_what_the_page_shows(db: Session, org: Organization) -> None:
    w = _world(db, org)
    certificate_issuing.decide(db, w.training, w.people[1], pk(w.admin), "include",
                               "Sakit hari ke-2, surat dokter ada")
    first, _second = factories.issue_certificates(db, w.training, w.admin)
    certificate_revoke.revoke(db, first, pk(w.admin), "Data dipalsukan")
    certificate_issuing.decide(db, w.training, w.people[2], pk(w.admin), "include",
                               "Hadir, lupa dipindai")
    counts = eligibility.review_summary(db, w.training).counts
    assert counts == eligibility.Counts(eligible=3, not_eligible=1, issued=1, revoked=1,
                                        to_issue=1)


def test_names_who_decided(db: Session, org: Organization) -> None:
    w = _world(db, org)
    other = factories.user(db, org, name="Sekretaris Panitia")
    certificate_issuing.decide(db, w.training, w.people[2], pk(w.admin), "include", "Izin")
    certificate_issuing.decide(db, w.training, w.people[3], pk(other), "exclude", "Ganda")
    review = eligibility.review_summary(db, w.training)
    assert review.deciders == {pk(w.admin): "Admin", pk(other): "Sekretaris Panitia"}


def test_the_rule_is_the_default_until_a_template_is_saved(db: Session,
                                                           org: Organization) -> None:
    w = _world(db, org)
    before = eligibility.review_summary(db, w.training)
    assert (before.saved, before.template.rule) == (False, "all_days")
    factories.certificate_template_for(db, w.training, w.admin, rule="days", min_percent=50)
    after = eligibility.review_summary(db, w.training)
    assert (after.saved, after.template.rule, after.template.min_percent) == (True, "days", 50)


def test_one_batch_or_the_whole_training(db: Session, org: Organization) -> None:
    w = _world(db, org)
    factories.register(db, w.training, w.other, **factories.kader(9))
    review = eligibility.review_summary(db, w.training, pk(w.other))
    assert [p.batch.name for p in review.people] == ["Angkatan II"]
    assert [b.name for b in review.batches] == ["Angkatan I", "Angkatan II"]
    assert len(eligibility.review_summary(db, w.training).people) == 5


def test_another_trainings_batch_is_not_found(db: Session, org: Organization) -> None:
    w = _world(db, org)
    elsewhere = factories.batch(db, factories.training(db, org, title="Bimtek Lain"))
    with pytest.raises(NotFound):
        eligibility.review_summary(db, w.training, pk(elsewhere))


def test_the_page_shows_the_whole_training_for_a_stale_batch_link(db: Session,
                                                                  org: Organization) -> None:
    w = _world(db, org)
    elsewhere = factories.batch(db, factories.training(db, org, title="Bimtek Lain"))
    review = eligibility.review_summary(db, w.training, pk(elsewhere),
                                        unknown_batch_is_all=True)
    assert review.batch_id is None and len(review.people) == 4


def test_holders_links_only_when_asked_with_a_base_url(db: Session, org: Organization) -> None:
    w = _world(db, org)
    factories.issue_certificates(db, w.training, w.admin)
    assert eligibility.review_summary(db, w.training).whatsapp == {}
    links = eligibility.review_summary(db, w.training, base_url="https://bimtek.test").whatsapp
    assert list(links) == [pk(w.people[0])]
    url = links[pk(w.people[0])]
    assert url is not None and url.startswith("https://wa.me/62812663400")


def _queries(db: Session, training: Training, count_queries: list[str]) -> int:
    count_queries.clear()
    eligibility.review_summary(db, training, base_url="https://bimtek.test")
    return len(count_queries)


def test_query_count_does_not_grow_with_participants(db: Session, org: Organization,
                                                     count_queries: list[str]) -> None:
    w = _world(db, org, people=2)
    deciders = [factories.user(db, org, name=f"Panitia {n}") for n in range(3)]
    certificate_issuing.decide(db, w.training, w.people[1], pk(deciders[0]), "include", "Izin")
    factories.issue_certificates(db, w.training, w.admin)
    db.expunge_all()  # nothing remembered from building the world
    training = db.get(Training, pk(w.training))
    assert training is not None
    small = _queries(db, training, count_queries)

    more = factories.register_many(db, training, db.get(Batch, pk(w.batch)), 20, first=10)
    for n, reg in enumerate(more):
        factories.check_in(db, reg, w.batch.start_date, w.admin)
        certificate_issuing.decide(db, training, reg, pk(deciders[n % 3]), "include", "Izin")
    factories.issue_certificates(db, training, w.admin)
    db.expunge_all()
    training = db.get(Training, pk(w.training))
    assert training is not None
    assert _queries(db, training, count_queries) == small
