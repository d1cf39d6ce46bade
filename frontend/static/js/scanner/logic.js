// The door's rules on the device, the same as the server's (service/services/checkins.py),
// for when there is no network: verify, training, revoked, batch, day, out of date, repeat.

import { base64ToBytes, ticketHash, verifyTicket } from "./verify.js";

// In per-session mode a session's check-in opens this long before it starts (as the server).
const SESSION_OPENS_BEFORE_MIN = 15;

/** Look-up tables over a batch manifest (GET /api/batches/{id}/manifest). */
export function indexManifest(m) {
  return {
    m,
    key: base64ToBytes(m.training.public_key),
    byHash: new Map(m.tickets.map((t) => [t.h, t])),
    byReg: new Map(m.tickets.map((t) => [t.r, t])),
    revoked: new Set(m.revoked),
    checkins: new Map(m.checkins.map((c) => [slotKey(c.r, c.d, c.s), c])),
  };
}

export function slotKey(registrationId, day, slot) {
  return `${registrationId}|${day}|${slot}`;
}

const partsCache = new Map();
function formatter(tz) {
  if (!partsCache.has(tz)) {
    partsCache.set(tz, new Intl.DateTimeFormat("en-CA", {
      timeZone: tz, year: "numeric", month: "2-digit", day: "2-digit",
      hour: "2-digit", minute: "2-digit", hourCycle: "h23",
    }));
  }
  return partsCache.get(tz);
}

/** {day: "YYYY-MM-DD", time: "HH:MM"} of a moment on the wall clock of time zone `tz`. */
export function wallClock(moment, tz) {
  const p = Object.fromEntries(formatter(tz).formatToParts(moment).map((x) => [x.type, x.value]));
  return { day: `${p.year}-${p.month}-${p.day}`, time: `${p.hour}:${p.minute}` };
}

/** ISO 8601 with the device's own offset, e.g. 2026-11-29T08:12:03.120+07:00. */
export function isoWithOffset(moment) {
  const pad = (n, w = 2) => String(Math.abs(n)).padStart(w, "0");
  const off = -moment.getTimezoneOffset();
  const sign = off >= 0 ? "+" : "-";
  return `${moment.getFullYear()}-${pad(moment.getMonth() + 1)}-${pad(moment.getDate())}T` +
    `${pad(moment.getHours())}:${pad(moment.getMinutes())}:${pad(moment.getSeconds())}.` +
    `${pad(moment.getMilliseconds(), 3)}${sign}${pad(Math.trunc(off / 60))}:${pad(off % 60)}`;
}

function minutes(hhmm) {
  const [h, m] = hhmm.split(":").map(Number);
  return h * 60 + m;
}

/** The session taking attendance now ({id, title}), the chosen one, or null. */
export function pickSession(m, day, time, choice) {
  const today = m.sessions.filter((s) => s.date === day);
  if (choice && choice !== "now") {
    return today.find((s) => String(s.id) === String(choice)) || null;
  }
  const now = minutes(time);
  const open = today.filter((s) => minutes(s.start_time) - SESSION_OPENS_BEFORE_MIN <= now &&
    now <= minutes(s.end_time));
  open.sort((a, b) => minutes(a.start_time) - minutes(b.start_time));
  return open.length ? open[open.length - 1] : null;
}

function reject(code, extra = {}) {
  return { status: "rejected", code, ...extra };
}

/**
 * Decide a scan without the server. `scan` is {code} or {registration_id};
 * `own` maps slotKey -> {at, by} for what this device recorded itself.
 * Returns {status: "checked_in" | "already_checked_in" | "rejected", ...}.
 */
export async function decide(index, scan, { batchId, sessionChoice, now, own }) {
  const m = index.m;
  let ticket;
  if (scan.code !== undefined) {
    const claims = await verifyTicket(scan.code, index.key);
    if (!claims) return reject("invalid_ticket");
    if (claims.training_id !== m.training.id) return reject("wrong_training");
    if (index.revoked.has(claims.registration_id)) return reject("cancelled");
    if (claims.batch_id !== batchId) {
      const batch = m.batches[String(claims.batch_id)] || null;
      const known = index.byReg.get(claims.registration_id);
      return reject("wrong_batch", { batch, name: known ? known.n : null });
    }
    const { day } = wallClock(now, m.training.timezone);
    if (day < claims.first_day || day > claims.last_day) {
      const known = index.byReg.get(claims.registration_id);
      return reject("wrong_day", { days: [claims.first_day, claims.last_day], day,
        name: known ? known.n : null });
    }
    ticket = index.byHash.get(await ticketHash(scan.code));
    if (!ticket) return reject("out_of_date");
  } else {
    if (index.revoked.has(scan.registration_id)) return reject("cancelled");
    ticket = index.byReg.get(scan.registration_id);
    if (!ticket) return reject("not_found");
  }
  const clock = wallClock(now, m.training.timezone);
  const days = m.batch.days;
  if (!days.includes(clock.day)) {
    // Between two meetings of a batch that meets on listed dates: name the next one.
    const next = days.find((d) => d > clock.day);
    if (next && clock.day > days[0]) {
      return reject("not_meeting_day", { day: clock.day, next, name: ticket.n });
    }
    return reject("wrong_day", { days: [days[0], days[days.length - 1]], day: clock.day,
      name: ticket.n });
  }
  let slot = 0, session = null;
  if (m.training.checkin_mode === "session") {
    session = pickSession(m, clock.day, clock.time, sessionChoice);
    if (!session) return reject("no_session_open", { time: clock.time, name: ticket.n });
    slot = session.id;
  }
  const person = {
    registration_id: ticket.r, name: ticket.n, category: ticket.c, batch: m.batch.name,
    batch_id: m.batch.id, day: clock.day, session_id: session ? session.id : null,
    session: session ? session.title : null, slot,
  };
  const key = slotKey(ticket.r, clock.day, slot);
  const before = own.get(key) || index.checkins.get(key);
  if (before) {
    return { status: "already_checked_in", ...person, first_at: before.at, first_by: before.by };
  }
  return { status: "checked_in", ...person };
}

/**
 * The manifest's people matching a name part or the last 4+ digits of phone or NIK:
 * {items: the first `limit`, total: how many match}. Each item says which number the
 * digits matched (`match`: {field, digits}); the manifest holds only the last 4.
 */
export function searchManifest(index, query, limit = 20) {
  const q = fold(query.trim());
  if (!q) return { items: [], total: 0 };
  const digits = query.replace(/\D/g, "");
  const onlyDigits = digits.length >= 4 && digits.length === query.replace(/[\s+]/g, "").length;
  const tail = digits.slice(-4);
  const items = [];
  let total = 0;
  for (const t of index.m.tickets) {
    const byNumber = onlyDigits && (t.p === tail || t.i === tail);
    if (fold(t.n).includes(q) || byNumber) {
      total += 1;
      if (items.length < limit) {
        items.push(byNumber ? { ...t, match: { field: t.p === tail ? "phone" : "nik", digits: tail } } : t);
      }
    }
  }
  return { items, total };
}

function fold(text) {
  return (text || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
}
