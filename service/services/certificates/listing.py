"""The certificates review page for a whole training (421 people in Padang): search by
name or number, filter by batch and status, 50 a page.

The counts and the bulk actions (issue all, merged PDF, ZIP, email) stay those of the
whole training or batch; only the list is cut. Drawing every row made the page 39,000
px tall and 590 KB; the review itself (eligibility for everyone) is cheap, so it is
judged whole and only the page shown gets its links built.
"""

import unicodedata
from dataclasses import dataclass, replace
from typing import Any

from sqlmodel import Session

from service.i18n import N_
from service.models import Training
from service.services.certificates import delivery as delivery
from service.services.certificates import eligibility as eligibility
from service.services.certificates.eligibility import Person, Review

PAGE_SIZE = 50
# Status filters, in the order the page offers them: (value, label).
STATUSES: tuple[tuple[str, str], ...] = (
    ("eligible", N_("Eligible")),
    ("not_eligible", N_("Not eligible")),
    ("to_issue", N_("Eligible, not issued yet")),
    ("issued", N_("Issued")),
    ("revoked", N_("Revoked")),
    ("included", N_("Included by hand")),
    ("excluded", N_("Excluded by hand")),
)
_TESTS = {
    "eligible": lambda p: p.eligible,
    "not_eligible": lambda p: not p.eligible,
    "to_issue": lambda p: p.eligible and p.certificate is None,
    "issued": lambda p: p.certificate is not None and p.certificate.revoked_at is None,
    "revoked": lambda p: p.certificate is not None and p.certificate.revoked_at is not None,
    "included": lambda p: p.decision is not None and p.decision.decision == "include",
    "excluded": lambda p: p.decision is not None and p.decision.decision == "exclude",
}
MAX_QUERY = 100


@dataclass(frozen=True)
class Filters:
    """What the committee asked for; unknown values fall back to "everything" (a stale or
    edited link shows the whole list rather than an error)."""

    q: str = ""
    status: str = ""
    page: int = 1

    @classmethod
    def of(cls, q: str | None, status: str | None, page: str | None) -> "Filters":
        text = " ".join((q or "").split())[:MAX_QUERY]
        wanted = (status or "").strip()
        raw = (page or "").strip()
        number = int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 6 else 1
        return cls(text, wanted if wanted in _TESTS else "", max(number, 1))

    def query(self, page: int | None = None) -> dict[str, Any]:
        """The filters as query parameters (empty ones left out), for links and redirects."""
        out: dict[str, Any] = {"q": self.q, "status": self.status}
        number = self.page if page is None else page
        if number > 1:
            out["page"] = number
        return {k: v for k, v in out.items() if v}


@dataclass(frozen=True)
class Listing:
    review: Review
    filters: Filters
    people: list[Person]  # this page's
    matching: int  # how many pass the filters, on every page
    page: int  # the page shown (a page past the end shows the last)
    pages: int
    status_counts: dict[str, int]  # per status, within the batch shown
    first: int  # 1-based number of the first row shown (0 when none)

    @property
    def last(self) -> int:
        return self.first + len(self.people) - 1 if self.people else 0


def _fold(text: str) -> str:
    """Lower case without accents: "sitI", "Siti" and "Sití" find each other."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _matches(person: Person, needle: str) -> bool:
    if needle in _fold(person.participant.name):
        return True
    cert = person.certificate
    return cert is not None and needle in _fold(cert.number)


def listing(db: Session, training: Training, batch_id: int | None, filters: Filters,
            base_url: str | None = None) -> Listing:
    """One page of the review of the training (or of one of its batches; another
    training's batch is the whole training), with the holders' links for that page."""
    review = eligibility.review_summary(db, training, batch_id, None,
                                        unknown_batch_is_all=True)
    everyone = review.people
    status_counts = {value: sum(1 for p in everyone if _TESTS[value](p))
                     for value, _label in STATUSES}
    found = everyone
    if filters.status:
        found = [p for p in found if _TESTS[filters.status](p)]
    if filters.q:
        needle = _fold(filters.q)
        found = [p for p in found if _matches(p, needle)]
    pages = max((len(found) + PAGE_SIZE - 1) // PAGE_SIZE, 1)
    page = min(filters.page, pages)
    start = (page - 1) * PAGE_SIZE
    shown = found[start:start + PAGE_SIZE]
    whatsapp: dict[int, str | None] = {}
    with_email: set[int] = set()
    if base_url is not None and any(p.certificate for p in shown):
        on_page = {p.registration.id for p in shown}
        for r in delivery.recipients(db, training):
            if r.registration_id in on_page:
                whatsapp[r.registration_id] = delivery.whatsapp_url(training, r, base_url)
                if r.email:
                    with_email.add(r.registration_id)
    review = replace(review, whatsapp=whatsapp, with_email=with_email)
    return Listing(review=review, filters=filters, people=shown, matching=len(found),
                   page=page, pages=pages, status_counts=status_counts,
                   first=start + 1 if shown else 0)
