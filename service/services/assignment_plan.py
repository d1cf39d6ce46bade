"""Planning core for placing a training's waiting registrations into its batches (angkatan).

Pure: no database, no clock, no randomness, so the same input always gives the same
plan and the service layer can preview a plan before it writes anything.

The order of work is fixed by the rules the committee expects:
1. who gets a seat at all: the earliest registrations (by id) that fit the total room;
2. preferred batches, in first-come order, wherever they still have room;
3. everyone else by the chosen strategy ("balanced" or "region").
"""

import heapq
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


@dataclass
class _Slot:
    """A batch while dealing: its quota and the mix it holds so far."""

    position: int
    id: int
    quota: int
    size: int  # headcount once the quota is filled; the mix is measured against it
    taken: int = 0
    categories: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    districts: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def due(self) -> float:
        """Share of the quota this batch would have filled after one more person."""
        return (self.taken + 1) / self.quota


def _balanced(rest: Sequence[Candidate], batches: Sequence[BatchState], rooms: dict[int, int],
              preferred: Mapping[int, int], placed: Sequence[Candidate]) -> dict[int, int]:
    """Deal candidates sorted by stratum (category, district) across batches.

    Each batch gets a quota proportional to its remaining room, and the sorted list
    is dealt in rounds, each batch's intake kept in step with its quota (within one
    person). A stratum is a contiguous run of that list, so every batch receives it
    in proportion, like systematic sampling. Within a round the person goes to the
    batch that holds the smallest share of their category, then of their kecamatan,
    which evens out rounding left over from earlier strata and people already there.
    """
    slots = _slots(batches, rooms, len(rest), preferred, placed)
    heap = [(s.due(), s.position) for s in slots]
    heapq.heapify(heap)
    # Batches count as being in the same round when their due shares are less than
    # one person of the largest quota apart; for equal quotas, exactly the tied ones.
    width = 1 / max((s.quota for s in slots), default=1)
    window: list[_Slot] = []
    out: dict[int, int] = {}
    for c in sorted(rest, key=lambda c: (label(c.category), label(c.district), c.id)):
        if not window:
            window = _next_round(heap, slots, width)
        category, district = label(c.category), label(c.district)
        slot = min(window, key=lambda s: (s.categories[category] / s.size,
                                          s.districts[district] / s.size, s.position))
        window.remove(slot)
        slot.categories[category] += 1
        slot.districts[district] += 1
        slot.taken += 1
        out[c.id] = slot.id
        rooms[slot.id] -= 1
        if slot.taken < slot.quota:
            heapq.heappush(heap, (slot.due(), slot.position))
    return out


def _slots(batches: Sequence[BatchState], rooms: Mapping[int, int], total: int,
           preferred: Mapping[int, int], placed: Sequence[Candidate]) -> list[_Slot]:
    quotas = _apportion(total, [(b.id, rooms[b.id]) for b in batches])
    slots = {}
    for pos, (b, (_bid, quota)) in enumerate(zip(batches, quotas, strict=True)):
        if quota <= 0:
            continue
        slot = _Slot(position=pos, id=b.id, quota=quota,
                     size=b.capacity - rooms[b.id] + quota)
        for key, n in b.categories.items():
            slot.categories[label(key)] += n
        for key, n in b.districts.items():
            slot.districts[label(key)] += n
        slots[b.id] = slot
    for c in placed:  # people placed by preference already shape their batch's mix
        slot = slots.get(preferred.get(c.id, -1))
        if slot is not None:
            slot.categories[label(c.category)] += 1
            slot.districts[label(c.district)] += 1
    return [slots[b.id] for b in batches if b.id in slots]


def _next_round(heap: list[tuple[float, int]], slots: Sequence[_Slot],
                width: float) -> list[_Slot]:
    by_position = {s.position: s for s in slots}
    _due, first = heapq.heappop(heap)
    window = [by_position[first]]
    while heap and heap[0][0] < _due + width:
        window.append(by_position[heapq.heappop(heap)[1]])
    return window


def _apportion(total: int, rooms: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Split `total` seats proportionally to room (largest remainder, ties by position).

    Integer arithmetic keeps it exact; no quota exceeds its room since total <= sum(rooms).
    """
    room_sum = sum(r for _, r in rooms)
    if room_sum == 0:
        return [(bid, 0) for bid, _ in rooms]
    base = [(bid, total * r // room_sum, total * r % room_sum) for bid, r in rooms]
    left = total - sum(q for _, q, _ in base)
    by_remainder = sorted(range(len(base)), key=lambda i: (-base[i][2], i))
    extra = set(by_remainder[:left])
    return [(bid, q + (i in extra)) for i, (bid, q, _) in enumerate(base)]


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
