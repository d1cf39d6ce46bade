"""Planning core for placing a training's waiting registrations into its batches (angkatan).

Pure: no database, no clock, no randomness, so the same input always gives the same
plan and the service layer can preview a plan before it writes anything.

The order of work is fixed by the rules the committee expects:
1. who gets a seat at all: the earliest registrations (by id) that fit the total room;
2. preferred batches, in first-come order, wherever they still have room;
3. everyone else by the chosen strategy ("balanced" or "region").
"""

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

Strategy = Literal["balanced", "region"]
# The key under which a missing category or district is counted (the UI shows "—").
MISSING = ""


@dataclass(frozen=True)
class BatchState:
    id: int
    position: int
    capacity: int
    confirmed: int
    # kecamatan -> people already confirmed in this batch
    districts: Mapping[str, int] = field(default_factory=dict)
    # category -> people already confirmed in this batch
    categories: Mapping[str, int] = field(default_factory=dict)

    @property
    def room(self) -> int:
        # A batch over capacity (e.g. capacity lowered later) simply has no room.
        return max(0, self.capacity - self.confirmed)


@dataclass(frozen=True)
class Candidate:
    id: int
    category: str | None = None
    district: str | None = None
    preferred_batch_id: int | None = None


@dataclass
class Plan:
    placements: dict[int, int] = field(default_factory=dict)  # candidate id -> batch id
    waitlisted: list[int] = field(default_factory=list)  # candidate ids, first-come order


@dataclass
class BatchSummary:
    id: int
    capacity: int
    confirmed_before: int
    added: int
    confirmed_after: int
    by_category: dict[str, int]
    by_district: dict[str, int]


def label(value: str | None) -> str:
    """The grouping key of a category or district: blank and missing are the same."""
    return (value or "").strip()


def plan_assignment(batches: Sequence[BatchState], candidates: Iterable[Candidate],
                    strategy: Strategy) -> Plan:
    """Place as many candidates as fit; the last comers beyond the total room wait."""
    if strategy not in ("balanced", "region"):
        raise ValueError(f"unknown strategy: {strategy!r}")
    ordered = _ordered_batches(batches)
    queue = sorted(candidates, key=lambda c: c.id)
    _check_unique(c.id for c in queue)
    seats = sum(b.room for b in ordered)
    placed, waitlisted = queue[:seats], queue[seats:]

    rooms = {b.id: b.room for b in ordered}
    placements = _place_preferences(placed, rooms)
    rest = [c for c in placed if c.id not in placements]
    if strategy == "balanced":
        placements.update(_balanced(rest, ordered, rooms, placements, placed))
    else:
        placements.update(_region(rest, ordered, rooms, placements, placed))
    return Plan(placements=placements, waitlisted=[c.id for c in waitlisted])


def summarize(plan: Plan, batches: Sequence[BatchState],
              candidates: Iterable[Candidate]) -> list[BatchSummary]:
    """Per batch, in position order: headcounts and the mix after the plan is applied."""
    by_id = {c.id: c for c in candidates}
    added: dict[int, list[Candidate]] = defaultdict(list)
    for cand_id, batch_id in plan.placements.items():
        added[batch_id].append(by_id[cand_id])
    out = []
    for b in _ordered_batches(batches):
        new = added.get(b.id, [])
        out.append(BatchSummary(
            id=b.id, capacity=b.capacity, confirmed_before=b.confirmed, added=len(new),
            confirmed_after=b.confirmed + len(new),
            by_category=_mix(b.categories, b.confirmed, (c.category for c in new)),
            by_district=_mix(b.districts, b.confirmed, (c.district for c in new))))
    return out


# --- shared steps -----------------------------------------------------------------


def _ordered_batches(batches: Sequence[BatchState]) -> list[BatchState]:
    _check_unique(b.id for b in batches)
    return sorted(batches, key=lambda b: (b.position, b.id))


def _check_unique(ids: Iterable[int]) -> None:
    seen: set[int] = set()
    for i in ids:
        if i in seen:
            raise ValueError(f"duplicate id {i}")
        seen.add(i)


def _place_preferences(placed: Sequence[Candidate], rooms: dict[int, int]) -> dict[int, int]:
    """Honour preferred batches in first-come order; `rooms` is decremented in place."""
    out: dict[int, int] = {}
    for c in placed:
        pref = c.preferred_batch_id
        if pref is not None and rooms.get(pref, 0) > 0:
            out[c.id] = pref
            rooms[pref] -= 1
    return out


def _mix(before: Mapping[str, int], confirmed: int, new: Iterable[str | None]) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for key, n in before.items():
        counts[label(key)] += n
    # Callers may leave people without a category out of the mapping; count them as
    # missing so that every summary adds up to the batch's headcount.
    unlisted = confirmed - sum(counts.values())
    if unlisted > 0:
        counts[MISSING] += unlisted
    for value in new:
        counts[label(value)] += 1
    return {k: counts[k] for k in sorted(counts) if counts[k]}


# --- balanced ---------------------------------------------------------------------


@dataclass(slots=True)
class _Slot:
    """A batch while dealing: its quota and the mix it holds so far."""

    id: int
    quota: int
    size: int  # headcount once the quota is filled
    taken: int = 0
    categories: dict[str, int] = field(default_factory=dict)
    districts: dict[str, int] = field(default_factory=dict)


def _balanced(rest: Sequence[Candidate], batches: Sequence[BatchState], rooms: dict[int, int],
              preferred: Mapping[int, int], placed: Sequence[Candidate]) -> dict[int, int]:
    """Deal candidates sorted by stratum (category, district) across batches.

    Each batch gets a quota proportional to its remaining room. Each person then goes
    to the batch furthest behind on three counts, each measured in persons: its pace
    through its quota, its fair share of the person's category and its fair share of
    the person's kecamatan (fair = proportional to the batch's final headcount,
    counting people already there). Summing them, rather than ranking category first,
    lets a kecamatan's rounding be evened out across categories; the pace term keeps
    batches filling in step, so no stratum is left over to be dumped into whichever
    batch still has room at the end. On Padang-like data (421 people, 4 batches) every
    category and kecamatan stays within two persons of its fair share in every batch;
    dealing by pace alone left kecamatan up to 3.3 off.
    """
    slots = _slots(batches, rooms, len(rest), preferred, placed)
    seats = sum(s.size for s in slots)
    cat_total = _totals(s.categories for s in slots)
    dist_total = _totals(s.districts for s in slots)
    live = list(slots)  # batches with quota left, in position order
    out: dict[int, int] = {}
    ordered = sorted(rest, key=lambda c: (label(c.category), label(c.district), c.id))
    for done, c in enumerate(ordered, start=1):
        category, district = label(c.category), label(c.district)
        pace = done / len(ordered)
        share = (cat_total.get(category, 0) + dist_total.get(district, 0)) / seats
        best, best_score = live[0], math.inf
        for s in live:  # a plain loop: this is the hot path (20,000 x 40)
            score = (s.taken + s.categories.get(category, 0) + s.districts.get(district, 0)
                     - s.quota * pace - s.size * share)
            if score < best_score:  # strict: ties go to the earlier position
                best, best_score = s, score
        _count(best.categories, category)
        _count(best.districts, district)
        _count(cat_total, category)
        _count(dist_total, district)
        best.taken += 1
        out[c.id] = best.id
        rooms[best.id] -= 1
        if best.taken == best.quota:
            live.remove(best)
    return out


def _slots(batches: Sequence[BatchState], rooms: Mapping[int, int], total: int,
           preferred: Mapping[int, int], placed: Sequence[Candidate]) -> list[_Slot]:
    quotas = _apportion(total, [rooms[b.id] for b in batches])
    slots: dict[int, _Slot] = {}
    for b, quota in zip(batches, quotas, strict=True):
        if quota > 0:
            slot = _Slot(id=b.id, quota=quota, size=b.capacity - rooms[b.id] + quota)
            _add_counts(slot.categories, b.categories)
            _add_counts(slot.districts, b.districts)
            slots[b.id] = slot
    for c in placed:  # people placed by preference already shape their batch's mix
        pref = slots.get(preferred.get(c.id, -1))
        if pref is not None:
            _count(pref.categories, label(c.category))
            _count(pref.districts, label(c.district))
    return list(slots.values())


def _count(into: dict[str, int], key: str, n: int = 1) -> None:
    into[key] = into.get(key, 0) + n


def _add_counts(into: dict[str, int], counts: Mapping[str, int]) -> None:
    for key, n in counts.items():
        _count(into, label(key), n)


def _totals(mixes: Iterable[Mapping[str, int]]) -> dict[str, int]:
    out: dict[str, int] = {}
    for mix in mixes:
        _add_counts(out, mix)
    return out


def _apportion(total: int, rooms: Sequence[int]) -> list[int]:
    """Split `total` seats proportionally to room (largest remainder, ties by position).

    Integer arithmetic keeps it exact; no quota exceeds its room since total <= sum(rooms).
    """
    room_sum = sum(rooms)
    if room_sum == 0:
        return [0] * len(rooms)
    quotas = [total * r // room_sum for r in rooms]
    left = total - sum(quotas)
    by_remainder = sorted(range(len(rooms)), key=lambda i: (-(total * rooms[i] % room_sum), i))
    for i in by_remainder[:left]:
        quotas[i] += 1
    return quotas


# --- region -----------------------------------------------------------------------


def _region(rest: Sequence[Candidate], batches: Sequence[BatchState], rooms: dict[int, int],
            preferred: Mapping[int, int], placed: Sequence[Candidate]) -> dict[int, int]:
    """Keep each kecamatan in one batch; split one only when no batch can take it whole."""
    order = [b.id for b in batches]
    groups: dict[str, list[Candidate]] = defaultdict(list)
    loose: list[Candidate] = []
    for c in rest:  # already in id order
        (groups[label(c.district)] if label(c.district) else loose).append(c)

    out: dict[int, int] = {}
    holders = _district_holders(batches, preferred, placed)
    pending = _place_with_holders(groups, holders, order, rooms, out)
    whole, split = _pack_groups([(d, len(groups[d])) for d in pending], order, rooms)
    for district, bid in whole.items():
        _put(groups[district], bid, rooms, out)
    for district in split:
        _spread(groups[district], order, rooms, out)
    # People without a kecamatan have no one to stay with: any free seat will do.
    _fill_in_order(loose, order, rooms, out)
    return out


def _district_holders(batches: Sequence[BatchState], preferred: Mapping[int, int],
                      placed: Sequence[Candidate]) -> dict[str, dict[int, int]]:
    """kecamatan -> batch id -> people of it already there (confirmed or by preference)."""
    holders: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for b in batches:
        for district, n in b.districts.items():
            if label(district) and n > 0:
                holders[label(district)][b.id] += n
    for c in placed:
        if c.id in preferred and label(c.district):
            holders[label(c.district)][preferred[c.id]] += 1
    return holders


def _place_with_holders(groups: Mapping[str, list[Candidate]],
                        holders: Mapping[str, Mapping[int, int]], order: Sequence[int],
                        rooms: dict[int, int], out: dict[int, int]) -> list[str]:
    """Join groups to the batch already holding most of their kecamatan, when it fits whole.

    Returns the districts still to place, largest group first (ties by name).
    """
    position = {bid: i for i, bid in enumerate(order)}
    pending = []
    for district in sorted(groups, key=lambda d: (-len(groups[d]), d)):
        size = len(groups[district])
        held = holders.get(district, {})
        fits = [bid for bid in held if rooms[bid] >= size]
        if fits:
            best = min(fits, key=lambda bid: (-held[bid], position[bid]))
            _put(groups[district], best, rooms, out)
        else:
            pending.append(district)
    return pending


def _pack_groups(groups: Sequence[tuple[str, int]], order: Sequence[int],
                 rooms: Mapping[int, int]) -> tuple[dict[str, int], list[str]]:
    """Choose a batch for as many whole groups as possible.

    First-fit-decreasing is the rule the committee recognises (biggest kecamatan into
    the first batch). It can split a group needlessly, e.g. 10,9,8,8,8,7 into 25+25,
    so when it leaves groups over we also try filling each batch with the subset of
    groups that fits it best, and keep whichever leaves fewer groups to split.
    """
    ffd = _first_fit_decreasing(groups, order, rooms)
    if not ffd[1]:
        return ffd
    best_fit = _subset_fill(groups, order, rooms)
    return best_fit if len(best_fit[1]) < len(ffd[1]) else ffd


def _first_fit_decreasing(groups: Sequence[tuple[str, int]], order: Sequence[int],
                          rooms: Mapping[int, int]) -> tuple[dict[str, int], list[str]]:
    left = dict(rooms)
    whole: dict[str, int] = {}
    split: list[str] = []
    for district, size in groups:  # already largest first
        bid = next((b for b in order if left[b] >= size), None)
        if bid is None:
            split.append(district)
        else:
            whole[district] = bid
            left[bid] -= size
    return whole, split


def _subset_fill(groups: Sequence[tuple[str, int]], order: Sequence[int],
                 rooms: Mapping[int, int]) -> tuple[dict[str, int], list[str]]:
    """Fill batches in position order, each with the groups that leave it least empty."""
    remaining = list(groups)
    whole: dict[str, int] = {}
    for bid in order:
        if not remaining:
            break
        chosen = _best_subset([size for _, size in remaining], rooms[bid])
        for i in chosen:
            whole[remaining[i][0]] = bid
        remaining = [g for i, g in enumerate(remaining) if i not in chosen]
    return whole, [d for d, _ in remaining]


def _best_subset(sizes: Sequence[int], room: int) -> set[int]:
    """Indexes of sizes whose sum is the largest one <= room (subset sum on an int bitset).

    Reconstruction prefers earlier (larger) items, so big kecamatan stay in early batches.
    """
    if room <= 0:
        return set()
    mask = (1 << (room + 1)) - 1
    reach = [1]  # reach[i]: bit s set when sum s is reachable with the first i items
    for size in sizes:
        prev = reach[-1]
        reach.append((prev | (prev << size)) & mask if size <= room else prev)
    total = reach[-1].bit_length() - 1
    chosen: set[int] = set()
    for i in range(len(sizes), 0, -1):
        if not (reach[i - 1] >> total) & 1:
            chosen.add(i - 1)
            total -= sizes[i - 1]
    return chosen


def _put(people: Sequence[Candidate], bid: int, rooms: dict[int, int],
         out: dict[int, int]) -> None:
    for c in people:
        out[c.id] = bid
    rooms[bid] -= len(people)


def _spread(people: Sequence[Candidate], order: Sequence[int], rooms: dict[int, int],
            out: dict[int, int]) -> None:
    """Split a group over as few batches as possible: largest remaining room first."""
    by_room = sorted(order, key=lambda bid: -rooms[bid])  # stable: ties keep position
    _fill_in_order(people, by_room, rooms, out)


def _fill_in_order(people: Sequence[Candidate], order: Sequence[int], rooms: dict[int, int],
                   out: dict[int, int]) -> None:
    it = iter(order)
    bid = next(it, None)
    for c in people:
        while bid is not None and rooms[bid] <= 0:
            bid = next(it, None)
        if bid is None:  # cannot happen: the placed set was sized to the total room
            raise RuntimeError("no room left for a placed candidate")
        out[c.id] = bid
        rooms[bid] -= 1
