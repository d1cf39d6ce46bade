// The scanner's offline rules (frontend/static/js/scanner/logic.js), on codes signed by
// ticket_codes.py (SCAN_VECTORS, written by tests/test_scan_verify_js.py): the same
// answers the server gives, decided on the phone.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

import { decide, indexManifest, pickSession, searchManifest, slotKey, wallClock } from
  "../../frontend/static/js/scanner/logic.js";
import { ticketHash } from "../../frontend/static/js/scanner/verify.js";

const v = JSON.parse(readFileSync(process.env.SCAN_VECTORS, "utf8"));
// genuine[n]: training 7, registration 1001 + n, batch 31 + n % 2, 2026-11-29..30.
const BATCH = 31;
// 08:12 WIB on the first day.
const NOW = new Date("2026-11-29T01:12:00Z");

async function manifest(overrides = {}) {
  const tickets = [];
  for (const [n, g] of v.genuine.slice(0, 20).entries()) {
    if (g.claims.batch_id !== BATCH) continue;
    tickets.push({ h: await ticketHash(g.code), r: g.claims.registration_id,
      n: `Kader ${n}`, c: "PKB", k: "Kuranji", p: String(1000 + n), i: String(5000 + n) });
  }
  return indexManifest({
    version: 1, training: { id: 7, timezone: "Asia/Jakarta", checkin_mode: "day",
      public_key: v.public_key },
    batch: { id: BATCH, name: "Angkatan I", days: ["2026-11-29", "2026-11-30"] },
    batches: { 31: "Angkatan I", 32: "Angkatan II" }, sessions: [], tickets,
    revoked: [], checkins: [], ...overrides,
  });
}

const ctx = (extra = {}) => ({ batchId: BATCH, sessionChoice: null, now: NOW, own: new Map(), ...extra });
const code = (n) => v.genuine[n].code;

test("a genuine ticket of this batch is checked in, with the person's name", async () => {
  const r = await decide(await manifest(), { code: code(0) }, ctx());
  assert.equal(r.status, "checked_in");
  assert.equal(r.name, "Kader 0");
  assert.equal(r.day, "2026-11-29");
  assert.equal(r.registration_id, 1001);
});

test("forged and altered codes are refused", async () => {
  const m = await manifest();
  for (const text of v.refused.slice(0, 40)) {
    const r = await decide(m, { code: text }, ctx());
    assert.equal(r.code, "invalid_ticket", text);
  }
});

test("revoked, another batch, another day, out of date", async () => {
  let r = await decide(await manifest({ revoked: [1001] }), { code: code(0) }, ctx());
  assert.equal(r.code, "cancelled");
  r = await decide(await manifest(), { code: code(1) }, ctx()); // batch 32
  assert.deepEqual([r.code, r.batch], ["wrong_batch", "Angkatan II"]);
  r = await decide(await manifest(), { code: code(0) }, ctx({ now: new Date("2026-12-01T01:00:00Z") }));
  assert.equal(r.code, "wrong_day");
  // 2026-11-30 23:30 UTC is already 1 December in Jakarta.
  r = await decide(await manifest(), { code: code(0) }, ctx({ now: new Date("2026-11-30T17:30:00Z") }));
  assert.equal(r.code, "wrong_day");
  r = await decide(await manifest({ tickets: [] }), { code: code(0) }, ctx());
  assert.equal(r.code, "out_of_date");
});

test("between two meetings of a batch meeting on listed dates, the next one is named", async () => {
  const m = await manifest({ batch: { id: BATCH, name: "Kec. Pontianak Barat",
    days: ["2026-11-28", "2026-11-30"] } });
  const r = await decide(m, { registration_id: 1001 }, ctx());
  assert.deepEqual([r.code, r.day, r.next], ["not_meeting_day", "2026-11-29", "2026-11-30"]);
  const after = await decide(m, { registration_id: 1001 },
    ctx({ now: new Date("2026-12-01T01:00:00Z") }));
  assert.equal(after.code, "wrong_day");
});

test("a repeat is amber: from the manifest or from this phone's own record", async () => {
  const m = await manifest({ checkins: [{ r: 1001, d: "2026-11-29", s: 0, at: "2026-11-29T00:58:00+00:00", by: "Gerbang 1" }] });
  let r = await decide(m, { code: code(0) }, ctx());
  assert.deepEqual([r.status, r.first_by], ["already_checked_in", "Gerbang 1"]);
  const own = new Map([[slotKey(1003, "2026-11-29", 0), { at: "x", by: "Gerbang 2" }]]);
  r = await decide(m, { code: code(2) }, ctx({ own }));
  assert.deepEqual([r.status, r.first_by], ["already_checked_in", "Gerbang 2"]);
  r = await decide(m, { code: code(2) }, ctx({ now: new Date("2026-11-30T01:00:00Z"), own }));
  assert.equal(r.status, "checked_in"); // the next day is a new check-in
});

test("manual check-in by registration id follows the same rules", async () => {
  let r = await decide(await manifest(), { registration_id: 1003 }, ctx());
  assert.deepEqual([r.status, r.name], ["checked_in", "Kader 2"]);
  r = await decide(await manifest({ revoked: [1003] }), { registration_id: 1003 }, ctx());
  assert.equal(r.code, "cancelled");
  r = await decide(await manifest(), { registration_id: 99 }, ctx());
  assert.equal(r.code, "not_found");
});

test("per-session mode: the session open now (from 15 minutes before its start)", async () => {
  const sessions = [
    { id: 5, date: "2026-11-29", start_time: "08:30", end_time: "10:00", title: "Pembukaan" },
    { id: 6, date: "2026-11-29", start_time: "10:15", end_time: "12:00", title: "Materi 1" },
  ];
  const m = await manifest({ sessions, training: { id: 7, timezone: "Asia/Jakarta",
    checkin_mode: "session", public_key: v.public_key } });
  let r = await decide(m, { code: code(0) }, ctx({ sessionChoice: "now" })); // 08:12
  assert.equal(r.code, "no_session_open"); // opens 08:15
  r = await decide(m, { code: code(0) }, ctx({ sessionChoice: "now", now: new Date("2026-11-29T01:20:00Z") }));
  assert.deepEqual([r.status, r.session_id, r.session], ["checked_in", 5, "Pembukaan"]);
  r = await decide(m, { code: code(0) }, ctx({ sessionChoice: "now", now: new Date("2026-11-29T06:00:00Z") }));
  assert.equal(r.code, "no_session_open"); // 13:00
  assert.equal(pickSession(m.m, "2026-11-29", "10:05", "now").id, 6);
  assert.equal(pickSession(m.m, "2026-11-29", "07:00", "6").id, 6);
});

test("search by name part, or the last 4 digits of phone or NIK", async () => {
  const m = await manifest();
  const ids = (q) => searchManifest(m, q).items.map((t) => t.r);
  assert.deepEqual(ids("kader 2"), [1003]);
  assert.deepEqual(ids("0812 1002"), [1003]);
  assert.deepEqual(ids("5004"), [1005]);
  assert.deepEqual(searchManifest(m, "  "), { items: [], total: 0 });
});

test("a search says which number the digits matched, with those digits only", async () => {
  const m = await manifest();
  assert.deepEqual(searchManifest(m, "0812 1002").items[0].match, { field: "phone", digits: "1002" });
  assert.deepEqual(searchManifest(m, "5004").items[0].match, { field: "nik", digits: "5004" });
  assert.equal(searchManifest(m, "kader 2").items[0].match, undefined);
});

test("a search gives the first ones and how many match in all", async () => {
  const m = await manifest();
  const found = searchManifest(m, "kader", 3);
  assert.equal(found.items.length, 3);
  assert.equal(found.total, m.m.tickets.length);
  assert.ok(found.total > 3);
});

test("wall clock in the training's time zone", () => {
  assert.deepEqual(wallClock(new Date("2026-11-29T01:12:00Z"), "Asia/Jakarta"), { day: "2026-11-29", time: "08:12" });
  assert.deepEqual(wallClock(new Date("2026-11-29T16:30:00Z"), "Asia/Jayapura"), { day: "2026-11-30", time: "01:30" });
});
