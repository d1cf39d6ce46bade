"""What an organization owns, read from the SQLModel metadata: the foreign-key graph from
`organization` downwards. A table added later is exported and imported without a line
here, unless it is named in NOT_EXPORTED (with the reason) or holds ids in a column that
is no foreign key (HIDDEN_REFERENCES). tests/test_org_export_coverage.py fails for a table
that is neither reachable nor listed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

from sqlalchemy import Column, ColumnElement, Integer, Table, false, or_, select
from sqlmodel import SQLModel

import service.models  # noqa: F401  (every table in the metadata)

ROOT = "organization"

# Tables that stay with the installation, each with why. Everything else reachable from
# `organization` travels with the office.
NOT_EXPORTED: dict[str, str] = {
    # Login sessions, API bearer tokens and one-time links: hashes of secrets that only
    # open this installation; the new one issues its own (users get a reset link).
    "authtoken": "auth tokens and one-time links",
    # A narasumber's private roster links: hashed tokens; the committee re-issues them.
    "roster_link": "roster links (hashed secret tokens)",
    # A unit focal point's private link (/u/{token}): a hashed token, like roster links;
    # the office issues new ones on the new installation.
    "unit_link": "units' private links (hashed secret tokens)",
    # A spreadsheet waiting between its preview and the committee's confirmation.
    "importupload": "pending import uploads (transient)",
    # Consent towards another organization of this installation (a province office),
    # which does not exist on the other one.
    "province_share": "sharing with another organization of this installation",
    # Installation-level bookkeeping, owned by no organization.
    "ratelimit": "rate limit counters",
    "appsecret": "installation secrets",
    "used_form_stamp": "self-registration form stamps",
    "channel_pace": "sending pace of this installation's channels",
    # Keyed by address, shared by every office of the installation: not a table of the
    # office's. The opt-outs of the addresses its own messages and people use travel
    # apart (archive.OPT_OUTS, export.opt_outs), so a STOP still holds after a move.
    "message_opt_out": "installation-wide opt-outs (by address)",
    "backup_run": "this installation's backups",
}

# Columns never written into an export: secrets and password hashes. The import gives
# users an unusable password (they need a reset link) and trainings new ticket keys
# (made on the first ticket).
SECRET_COLUMNS: dict[str, frozenset[str]] = {
    "user": frozenset({"password_hash"}),
    "training": frozenset({"ticket_private_key", "ticket_public_key"}),
}


@dataclass(frozen=True)
class HiddenReference:
    """A column holding ids (or text made of ids) without a foreign key: `remap` takes
    the value and a lookup (table, old id) -> new id, and gives the new value."""

    tables: tuple[str, ...]  # the tables whose ids it holds, looked up by the remap
    remap: Callable[[object, Callable[[str, int], int]], object]


def _slot(value: object, new_id: Callable[[str, int], int]) -> object:
    # 0: the whole day; otherwise the session's id (per-session attendance).
    return new_id("agenda_session", int(value)) if value else value  # type: ignore[call-overload]


def _scope(value: object, new_id: Callable[[str, int], int]) -> object:
    text = str(value)
    if text.startswith("session:"):
        return f"session:{new_id('agenda_session', int(text.split(':', 1)[1]))}"
    return text


def _message_key(value: object, new_id: Callable[[str, int], int]) -> object:
    """"{action}:{kind}:{registration}:{channel}", the action being "rule-{batch}-{day}",
    "registered-{registration}" or a random word (messaging/outbox, reminders)."""
    parts = str(value).split(":")
    action = parts[0]
    if action.startswith("rule-"):
        _, batch, day = action.split("-", 2)
        if batch.isdigit():
            action = f"rule-{new_id('batch', int(batch))}-{day}"
    elif action.startswith("registered-") and action[11:].isdigit():
        action = f"registered-{new_id('registration', int(action[11:]))}"
    parts[0] = action
    if len(parts) == 4 and parts[2].isdigit():
        parts[2] = str(new_id("registration", int(parts[2])))
    return ":".join(parts)


HIDDEN_REFERENCES: dict[tuple[str, str], HiddenReference] = {
    ("checkin", "slot"): HiddenReference(("agenda_session",), _slot),
    ("attendance_mark", "slot"): HiddenReference(("agenda_session",), _slot),
    ("evaluation_receipt", "scope"): HiddenReference(("agenda_session",), _scope),
    ("message", "idempotency_key"): HiddenReference(("batch", "registration"), _message_key),
}
# Integer columns named like a reference that hold no live reference (kept as they are).
NOT_REFERENCES: dict[tuple[str, str], str] = {
    ("person_merge", "merged_id"): "the id of a deleted row, kept for the audit only",
}


def tables() -> dict[str, Table]:
    return dict(SQLModel.metadata.tables)


@dataclass
class Plan:
    """The exported tables, each with its depth (steps from `organization`) and the
    foreign keys that make one of its rows the organization's."""

    depth: dict[str, int] = field(default_factory=dict)
    owners: dict[str, list[tuple[Column[object], Column[object]]]] = field(default_factory=dict)
    unreachable: list[str] = field(default_factory=list)

    @property
    def exported(self) -> list[str]:
        return sorted(self.depth, key=lambda t: (self.depth[t], t))


def fk_pairs(table: Table) -> list[tuple[Column[object], Column[object]]]:
    """(column, referred column) for each single-column foreign key of the table."""
    return sorted(((fk.parent, fk.column) for fk in table.foreign_keys),
                  key=lambda p: p[0].name)


@lru_cache
def plan() -> Plan:
    """Which tables belong to an organization, and through which links.

    First over required links only (a batch's training, a check-in's registration): each
    such table is owned through one required link to a table one step nearer. The tables
    left (a scan, whose every link may be empty) are owned through any of their links to
    tables already placed."""
    every = {n: t for n, t in tables().items() if n not in graph_skipped()}
    result = Plan(depth={ROOT: 0})
    links = {n: fk_pairs(t) for n, t in every.items()}
    changed = True
    while changed:
        changed = False
        for name in sorted(every):
            if name in result.depth:
                continue
            required = [(c, r) for c, r in links[name]
                        if not c.nullable and r.table.name in result.depth
                        and r.table.name != name]
            if required:
                # The nearest required link, an office's record before a user's.
                c, r = min(required, key=lambda p: (result.depth[p[1].table.name],
                                                    p[1].table.name == "user", p[0].name))
                result.depth[name] = result.depth[r.table.name] + 1
                result.owners[name] = [(c, r)]
                changed = True
    changed = True
    while changed:
        changed = False
        for name in sorted(every):
            if name in result.depth:
                continue
            # A table with a required link still unplaced waits for it.
            if any(not c.nullable and r.table.name not in result.depth
                   for c, r in links[name]):
                continue
            placed = [(c, r) for c, r in links[name]
                      if r.table.name in result.depth and r.table.name != name]
            if placed:
                result.depth[name] = 1 + max(result.depth[r.table.name] for _, r in placed)
                result.owners[name] = placed
                changed = True
    result.unreachable = sorted(n for n in every if n not in result.depth)
    return result


def graph_skipped() -> set[str]:
    return set(NOT_EXPORTED)


def owned_condition(name: str, org_id: int) -> ColumnElement[bool]:
    """SQL: the rows of `name` that belong to the organization (owners chained upwards)."""
    table = tables()[name]
    if name == ROOT:
        return table.c.id == org_id
    conditions = [col.in_(select(ref).where(owned_condition(ref.table.name, org_id)))
                  for col, ref in plan().owners[name]]
    return or_(*conditions) if conditions else false()


def int_pk(table: Table) -> Column[object] | None:
    """The table's own integer id (remapped on import), or None for keys made of other
    rows' ids or of text."""
    keys = list(table.primary_key.columns)
    if len(keys) == 1 and isinstance(keys[0].type, Integer) and not keys[0].foreign_keys:
        return keys[0]
    return None


def insert_order(names: list[str]) -> tuple[list[str], set[tuple[str, str]]]:
    """Tables parents first, and the foreign keys (table, column) filled in afterwards to
    break a self-reference or a cycle (those must be nullable)."""
    every = tables()
    wanted = set(names)
    deps: dict[str, set[tuple[str, str, bool]]] = {
        n: {(c.name, r.table.name, bool(c.nullable)) for c, r in fk_pairs(every[n])
            if r.table.name in wanted} for n in names}
    deferred: set[tuple[str, str]] = set()
    order: list[str] = []
    left = set(names)
    while left:
        ready = sorted(n for n in left
                       if all(ref not in left or (n, c) in deferred for c, ref, _ in deps[n]))
        if not ready:
            # A cycle: defer the nullable links of the table with the fewest of them.
            stuck = sorted(left, key=lambda n: (sum(1 for c, ref, _ in deps[n] if ref in left),
                                                n))
            progress = False
            for n in stuck:
                pending = [(c, nullable) for c, ref, nullable in deps[n]
                           if ref in left and (n, c) not in deferred]
                if pending and all(nullable for _, nullable in pending):
                    deferred |= {(n, c) for c, _ in pending}
                    progress = True
                    break
            if not progress:
                raise RuntimeError(f"a cycle of required foreign keys among {sorted(left)}")
            continue
        order.extend(ready)
        left -= set(ready)
    return order, deferred
