"""The certificates review page for many people: search, filter by batch and status,
50 a page; the counts stay those of the whole training or batch."""

from datetime import date

import pytest
from sqlmodel import Session

from service.models import Batch, Registration, Training, User
from service.models.base import pk
from service.services.certificates import issuing as certificate_issuing
from service.services.certificates import listing as listing
from service.services.certificates.listing import Filters
from tests import factories

DAY1, DAY2 = date(2018, 9, 12), date(2018, 9, 13)


class World:
    def __init__(self, db: Session) -> None:
        org = factories.organization(db)
        self.user: User = factories.user(db, org)
        self.training: Training = factories.training(db, org, days=11)
        self.batch1: Batch = factories.batch(db, self.training, "Angkatan I", capacity=80)
        self.batch2: Batch = factories.batch(db, self.training, "Angkatan II",
                                             start=date(2018, 9, 17), capacity=80)
        # 62 in Angkatan I (40 there both days), 10 in Angkatan II (nobody came).
        self.regs1: list[Registration] = factories.register_many(db, self.training,
                                                                 self.batch1, 62)
        self.regs2: list[Registration] = [
            factories.register(db, self.training, self.batch2, name=name)
            for name in ("Dra. Hj. Siti Rohani", "Sití Nurbaya", "Rahmat Hidayat", "Afrizal",
                         "Yulia Fitri", "Zulkifli", "Desi Marlina", "Rini Oktavia",
                         "Yusnidar", "Nurhayati")]
        for reg in self.regs1[:40]:
            for day in (DAY1, DAY2):
                factories.check_in(db, reg, day, self.user)
        factories.certificate_template_for(db, self.training, self.user)

    def page(self, db: Session, batch: Batch | None = None, q: str = "", status: str = "",
             page: str = "") -> listing.Listing:
        return listing.listing(db, self.training, pk(batch) if batch else None,
                               Filters.of(q, status, page))


@pytest.fixture
def world(db: Session) -> World:
    return World(db)


def names(found: listing.Listing) -> list[str]:
    return [p.participant.name for p in found.people]


def test_fifty_a_page(db: Session, world: World) -> None:
    first = world.page(db)
    assert (len(first.people), first.matching, first.pages, first.first, first.last) == \
        (50, 72, 2, 1, 50)
    second = world.page(db, page="2")
    assert (len(second.people), second.first, second.last) == (22, 51, 72)
    assert not set(names(first)) & set(names(second))


def test_a_page_past_the_end_shows_the_last(db: Session, world: World) -> None:
    assert world.page(db, page="9").page == 2


@pytest.mark.parametrize("raw", ["", "0", "-1", "abc", "²", "9" * 40])
def test_a_page_that_is_no_number_is_the_first(db: Session, world: World, raw: str) -> None:
    assert world.page(db, page=raw).page == 1


def test_search_by_name_ignores_case_and_accents(db: Session, world: World) -> None:
    # Sorted as Indonesians sort names, front titles aside: Siti N before Siti R.
    assert names(world.page(db, q="siti")) == ["Sití Nurbaya", "Dra. Hj. Siti Rohani"]
    assert names(world.page(db, q="  KADER   07 ")) == ["Kader 07 Nur'aini"]


def test_search_by_certificate_number(db: Session, world: World) -> None:
    certificate_issuing.issue(db, world.training, pk(world.user))
    cert = world.page(db, q="Kader 05").people[0].certificate
    assert cert is not None
    assert names(world.page(db, q=cert.number)) == ["Kader 05 Nur'aini"]


def test_filter_by_batch(db: Session, world: World) -> None:
    found = world.page(db, world.batch2)
    assert found.matching == 10 and {p.batch.name for p in found.people} == {"Angkatan II"}


def test_filter_by_status(db: Session, world: World) -> None:
    assert world.page(db, status="eligible").matching == 40
    assert world.page(db, status="not_eligible").matching == 32
    certificate_issuing.issue(db, world.training, pk(world.user), limit=15)
    assert world.page(db, status="issued").matching == 15
    assert world.page(db, status="to_issue").matching == 25


def test_filter_by_the_committees_decisions(db: Session, world: World) -> None:
    certificate_issuing.decide(db, world.training, world.regs1[0], pk(world.user), "exclude",
                               "Tidak ikut sesi praktik")
    certificate_issuing.decide(db, world.training, world.regs2[0], pk(world.user), "include",
                               "Sakit, ada surat dokter")
    assert names(world.page(db, status="excluded")) == ["Kader 01 Nur'aini"]
    assert names(world.page(db, status="included")) == ["Dra. Hj. Siti Rohani"]


def test_an_unknown_status_shows_everyone(db: Session, world: World) -> None:
    found = world.page(db, status="drop table")
    assert found.filters.status == "" and found.matching == 72


def test_search_and_status_together(db: Session, world: World) -> None:
    found = world.page(db, q="Kader 4", status="not_eligible")
    assert names(found) == ["Kader 41 Nur'aini", "Kader 42 Nur'aini", "Kader 43 Nur'aini",
                            "Kader 44 Nur'aini", "Kader 45 Nur'aini", "Kader 46 Nur'aini",
                            "Kader 47 Nur'aini", "Kader 48 Nur'aini", "Kader 49 Nur'aini"]


def test_the_counts_are_the_batchs_whatever_the_filters(db: Session, world: World) -> None:
    found = world.page(db, q="Kader 07", status="eligible", page="2")
    assert (found.review.counts.eligible, found.review.counts.not_eligible) == (40, 32)
    assert found.status_counts["eligible"] == 40 and found.status_counts["not_eligible"] == 32


def test_nobody_matching_is_an_empty_page(db: Session, world: World) -> None:
    found = world.page(db, q="Tidak Ada Orangnya")
    assert (found.people, found.matching, found.page, found.pages, found.first, found.last) \
        == ([], 0, 1, 1, 0, 0)


def test_links_are_built_for_the_page_shown_only(db: Session, world: World) -> None:
    certificate_issuing.issue(db, world.training, pk(world.user))
    found = listing.listing(db, world.training, None, Filters.of("Kader 0", "", ""),
                            "https://bimtek.example")
    on_page = {pk(p.registration) for p in found.people if p.certificate}
    assert on_page and set(found.review.whatsapp) == on_page
