"""Counting people by a name they typed (category, kecamatan, kabupaten/kota, gender): the
one grouping the live attendance page and the activity report share.

"Koto Tangah" and "koto  tangah " typed by two committee members are one kecamatan: keys
are the name with its spaces tidied and, unless told otherwise, case-folded; the first
spelling seen is the one shown. A row with nothing filled in (None) always comes last.
"""

from collections.abc import Iterator


def clean(name: str | None) -> str:
    return " ".join(name.split()) if name else ""


def key(name: str | None, fold: bool = True) -> str | None:
    text = clean(name)
    return (text.casefold() if fold else text) or None


class Groups:
    """Counts per name: each `add` adds its numbers to the name's row."""

    def __init__(self, fold: bool = True) -> None:
        self.fold = fold
        self.counts: dict[str | None, list[int]] = {}
        self.shown: dict[str | None, str | None] = {}
        self.order: dict[str | None, int] = {}

    def add(self, name: str | None, *counts: int, order: int = 0) -> None:
        k = key(name, self.fold)
        self.shown.setdefault(k, clean(name) or None)
        self.order.setdefault(k, order)
        row = self.counts.setdefault(k, [0] * len(counts))
        for i, n in enumerate(counts):
            row[i] += n

    def rows(self, by_count: bool = False) -> Iterator[tuple[str | None, list[int]]]:
        """(name as first typed, counts) in the given order, then alphabetically; with
        by_count the largest first counts[0] within one order; the unnamed row last."""
        def sort_key(k: str | None) -> tuple[bool, int, int, str]:
            return k is None, self.order[k], -self.counts[k][0] if by_count else 0, k or ""
        for k in sorted(self.counts, key=sort_key):
            yield self.shown[k], self.counts[k]
