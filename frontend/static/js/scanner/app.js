// The scanning view: camera -> code -> server (or the device's own rules offline) -> a
// full-screen green, amber or red answer. Offline scans wait in IndexedDB and sync by
// themselves when the network returns.

import { makeDetector, openCamera, scanLoop } from "./camera.js";
import { signal, unlockOnFirstTap } from "./feedback.js";
import { decide, indexManifest, isoWithOffset, searchManifest, slotKey, wallClock } from "./logic.js";
import * as store from "./store.js";

const cfg = JSON.parse(document.getElementById("scan-config").textContent);
const T = cfg.messages;
const $ = (id) => document.getElementById(id);

const SERVER_WAIT_MS = 1500; // after this, decide on the device and queue the scan
const REPEAT_IGNORE_MS = 3000; // the same code held up again within this is ignored
const RESULT_SHOW_MS = 2500;
const MANIFEST_EVERY_MS = 60000;
const SYNC_EVERY_MS = 10000;
const SYNC_BATCH = 200;
// After the server failed to answer, scans are decided here at once for a while (no
// 1.5 s wait per person on a network that is "connected" but goes nowhere); the
// background sync finds out when the server is back.
const UNREACHABLE_MS = 15000;
const DEFINITIVE = new Set(["checked_in", "already_checked_in", "rejected"]);
// Every request asks for the page's language: the server's refusals ("This ticket is
// for ...") follow Accept-Language on /api, and a phone's browser often sends English
// while the committee's page speaks Indonesian (its own choice, or the default).
const LANG = { "Accept-Language": cfg.locale };

// Read by the browser tests and the benchmark (tests/browser/test_scanner.py).
const probe = (window.__scanner = { results: [], ready: false, detector: null, manifest: null, syncs: 0 });

function fmt(text, params = {}) {
  return text.replace(/\{(\w+)\}/g, (m, k) => (params[k] ?? m));
}

function deviceId() {
  const KEY = "bimtek-scan-device";
  let id = localStorage.getItem(KEY);
  if (!id) {
    const bytes = crypto.getRandomValues(new Uint8Array(12));
    id = "dev-" + Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
    localStorage.setItem(KEY, id);
  }
  return id;
}

function nonce() {
  if (crypto.randomUUID) return crypto.randomUUID();
  return Array.from(crypto.getRandomValues(new Uint8Array(16)),
    (b) => b.toString(16).padStart(2, "0")).join("");
}

const DEVICE = deviceId();
const BATCH = cfg.batch_id;
const SESSION_ID = cfg.session && cfg.session !== "now" ? Number(cfg.session) : null;
let index = null; // the batch manifest's look-up tables
let own = new Map(); // slotKey -> {at, by}: what this phone recorded
let needsLogin = false;
let unreachableUntil = 0;

function reachable(ok) {
  unreachableUntil = ok ? 0 : Date.now() + UNREACHABLE_MS;
  showNet();
}

function serverLikely() {
  return navigator.onLine && Date.now() >= unreachableUntil;
}

// --- formatting ------------------------------------------------------------------------

const LOCALE = cfg.locale === "en" ? "en-GB" : "id-ID";
const dayFormat = new Intl.DateTimeFormat(LOCALE, { weekday: "long", day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });
function dayLabel(iso) {
  return iso ? dayFormat.format(new Date(`${iso}T00:00:00Z`)) : "";
}
function timeLabel(iso) {
  if (!iso) return "";
  const t = wallClock(new Date(iso), cfg.timezone).time;
  return LOCALE === "id-ID" ? t.replace(":", ".") : t;
}
// A ticket's days as the server writes them (service/i18n/formats.fmt_range): 12–13
// September 2018; 30 September – 1 Oktober 2018; a refusal reads the same offline.
const monthFormat = new Intl.DateTimeFormat(LOCALE, { month: "long", timeZone: "UTC" });
function parts(iso) {
  const d = new Date(`${iso}T00:00:00Z`);
  return { day: d.getUTCDate(), month: monthFormat.format(d), year: d.getUTCFullYear() };
}
function dateLabel(iso) {
  if (!iso) return "";
  const p = parts(iso);
  return `${p.day} ${p.month} ${p.year}`;
}
function rangeLabel(days) {
  if (!days || !days.length) return "";
  const a = parts(days[0]), b = parts(days[days.length - 1]);
  if (days[0] === days[days.length - 1]) return dateLabel(days[0]);
  if (a.year === b.year && a.month === b.month) return `${a.day}–${b.day} ${b.month} ${b.year}`;
  if (a.year === b.year) return `${a.day} ${a.month} – ${b.day} ${b.month} ${b.year}`;
  return `${dateLabel(days[0])} – ${dateLabel(days[days.length - 1])}`;
}

// --- the answer on screen ------------------------------------------------------------------

let hideTimer = null;
let last = { text: null, at: 0 };

function reasonText(r) {
  if (r.message && !r.local) return r.message; // the server's words, in the page's language
  switch (r.code) {
    case "wrong_batch":
      return r.name ? fmt(T.wrong_batch, { name: r.name, batch: r.batch || "?" })
        : fmt(T.wrong_batch_noname, { batch: r.batch || "?" });
    case "wrong_day":
      return fmt(T.wrong_day, { days: rangeLabel(r.days), day: dateLabel(r.day) });
    case "not_meeting_day":
      return fmt(T.not_meeting_day, { day: dateLabel(r.day), next: dateLabel(r.next) });
    case "no_session_open":
      return fmt(T.no_session_open, { time: r.time || "" });
    default:
      return T[r.code] || T.error;
  }
}

const paintChannel = new MessageChannel();
const afterPaintQueue = [];
paintChannel.port1.onmessage = () => afterPaintQueue.shift()();
function afterPaint(fn) {
  afterPaintQueue.push(fn);
  paintChannel.port2.postMessage(null);
}

function show(r, timing) {
  // A guest's card without a signal is not a refusal: let them in, it is sent later.
  const kind = r.status === "checked_in" ? "ok" : r.status === "already_checked_in" ? "warn"
    : r.status === "saved" || r.code === "guest_needs_signal" ? "info" : "bad";
  const box = $("result");
  box.dataset.status = kind;
  box.dataset.code = r.code || r.status;
  $("result-icon").textContent = { ok: "✓", warn: "!", bad: "✕", info: "…" }[kind];
  $("result-title").textContent = kind === "ok" ? T.checked_in : kind === "warn" ? T.already
    : kind === "info" ? T.offline : T.not_allowed;
  $("result-name").textContent = r.name || "";
  const detail = [r.category, r.batch, dayLabel(r.day), r.session].filter(Boolean).join(" · ");
  $("result-detail").textContent = kind === "bad" ? "" : detail;
  let reason = "";
  if (kind === "warn") {
    reason = r.first_by ? fmt(T.already_at, { time: timeLabel(r.first_at), by: r.first_by })
      : fmt(T.already_at_nobody, { time: timeLabel(r.first_at) });
  } else if (kind === "bad") {
    reason = reasonText(r);
  } else if (kind === "info") {
    reason = r.code === "guest_saved" ? T.guest_saved
      : r.code === "guest_needs_signal" ? T.guest_needs_signal : T.no_manifest;
  }
  $("result-reason").textContent = reason;
  $("result-note").textContent = r.queued && kind !== "info" ? T.saved_offline : "";
  box.hidden = false;
  const shownAt = performance.now();
  clearTimeout(hideTimer);
  hideTimer = setTimeout(() => { box.hidden = true; }, RESULT_SHOW_MS);
  // The answer is on screen once the frame after it is painted: the next animation
  // frame runs just before that paint, and a task queued from it runs just after.
  requestAnimationFrame(() => afterPaint(() => {
    const paintedAt = performance.now();
    signal(kind); // sound and vibration once the colour is on screen
    probe.results.push({
      status: r.status, code: r.code || null, name: r.name || null, kind,
      source: r.local ? "device" : "server", queued: !!r.queued,
      // What the door staff read: the language tests check every word of it.
      shown: ["result-title", "result-name", "result-detail", "result-reason", "result-note"]
        .map((id) => $(id).textContent).filter(Boolean),
      shownAt, paintedAt, ...(timing || {}),
      frameToPaintMs: timing && timing.frameTime ? paintedAt - timing.frameTime : null,
    });
  }));
}

// --- deciding ---------------------------------------------------------------------------

function rememberOwn(r, at, by) {
  const key = slotKey(r.registration_id, r.day, r.session_id || 0);
  if (own.has(key)) return;
  const record = { at, by };
  own.set(key, record);
  store.saveOwn(BATCH, key, record).catch(() => {});
}

// fetch, given up after `ms` (a request on a bad network may otherwise hang for minutes).
async function fetchWithin(url, options, ms) {
  const ctl = new AbortController();
  const timer = setTimeout(() => ctl.abort(), ms);
  try {
    return await fetch(url, { credentials: "same-origin", ...options, signal: ctl.signal });
  } finally {
    clearTimeout(timer);
  }
}

async function askServer(body) {
  const ctl = new AbortController();
  const timer = setTimeout(() => ctl.abort(), SERVER_WAIT_MS);
  try {
    const res = await fetch(cfg.urls.checkin, {
      method: "POST", signal: ctl.signal, credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": cfg.csrf_token, ...LANG },
      body: JSON.stringify(body),
    });
    if (res.status === 401 || res.status === 403) {
      setNeedsLogin(true);
      return null;
    }
    if (res.status >= 500) {
      reachable(false);
      return null;
    }
    reachable(true);
    const data = await res.json();
    if (res.ok) return data;
    return { status: "rejected", ...data };
  } catch {
    reachable(false);
    return null; // no network, or too slow: the device decides
  } finally {
    clearTimeout(timer);
  }
}

async function handle(scan) {
  const scannedAt = new Date();
  const body = {
    ...scan, batch_id: BATCH, device_id: DEVICE, scanned_at: isoWithOffset(scannedAt),
    nonce: nonce(), ...(SESSION_ID ? { session_id: SESSION_ID } : {}),
  };
  if (serverLikely()) {
    const answer = await askServer(body);
    if (answer) {
      if (answer.status === "checked_in") rememberOwn(answer, answer.checked_in_at, answer.by);
      if (answer.status === "already_checked_in") rememberOwn(answer, answer.first_at, answer.first_by);
      return answer;
    }
  }
  return decideHere(body, scannedAt);
}

async function decideHere(body, scannedAt) {
  const method = body.code !== undefined ? "qr" : "manual";
  if (!index) {
    await queue(body, method);
    return { status: "saved", local: true, queued: true };
  }
  const scan = body.code !== undefined ? { code: body.code } : { registration_id: body.registration_id };
  const r = await decide(index, scan, { batchId: BATCH, sessionChoice: cfg.session, now: scannedAt, own });
  r.local = true;
  if (r.status === "checked_in") {
    rememberOwn(r, body.scanned_at, cfg.user_name);
    r.queued = true;
    queue({ ...body, ...(r.session_id ? { session_id: r.session_id } : {}) }, method);
  }
  return r;
}

async function queue(body, method) {
  try {
    await store.enqueue({ ...body, method });
  } catch (err) {
    console.warn("queue", err); // storage full or refused: nothing more to do here
  }
  await updatePending();
  syncSoon();
}

// A guest's or committee member's card: its QR is a URL ending in /g/<token>, a shape no
// ticket has. It goes to the guests' own check-in; without a signal (or no answer) it
// waits in the same offline queue as tickets, marked type "guest" with the URL it goes
// to, its scan time and nonce, and syncNow sends it there (never to the tickets' sync).
const GUEST_CARD = /(?:^|\/)g\/([A-Za-z0-9_-]{16,64})\/?$/;
const NEEDS_SIGNAL = { status: "needs_signal", code: "guest_needs_signal", local: true };
const GUEST_SAVED = { status: "saved", code: "guest_saved", local: true, queued: true };

async function queueGuest(scan) {
  try {
    await store.enqueue({ ...scan, type: "guest", url: cfg.urls.guest_checkin });
  } catch (err) {
    console.warn("queue", err); // storage full or refused: scan again with a signal
    return NEEDS_SIGNAL;
  }
  await updatePending();
  syncSoon();
  return GUEST_SAVED;
}

async function handleGuest(text) {
  const scan = { code: text, scanned_at: isoWithOffset(new Date()), nonce: nonce() };
  if (!serverLikely()) return queueGuest(scan);
  try {
    const res = await fetchWithin(cfg.urls.guest_checkin, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": cfg.csrf_token, ...LANG },
      body: JSON.stringify(scan),
    }, SERVER_WAIT_MS * 2);
    if (res.status === 401 || res.status === 403) {
      setNeedsLogin(true);
      return { status: "rejected", code: "login_again", local: true };
    }
    if (res.status >= 500) {
      reachable(false);
      return queueGuest(scan);
    }
    reachable(true);
    const data = await res.json();
    if (!res.ok) return { status: "rejected", ...data };
    const label = data.kind === "committee" ? T.committee_present : T.guest_present;
    return { status: data.status, code: "guest", name: fmt(label, { name: data.name }),
      day: data.day, first_at: data.first_at };
  } catch {
    reachable(false);
    return queueGuest(scan); // sent again with the same nonce: counted once
  }
}

let inFlight = null;
async function onCode(text, timing) {
  const now = Date.now();
  if (text === last.text && now - last.at < REPEAT_IGNORE_MS) return;
  if (inFlight === text) return;
  inFlight = text;
  last = { text, at: now };
  try {
    const r = GUEST_CARD.test(text) ? await handleGuest(text) : await handle({ code: text });
    show(r, timing);
    last = { text, at: Date.now() };
  } finally {
    inFlight = null;
  }
}

// --- offline queue ----------------------------------------------------------------------

async function updatePending() {
  const n = await store.queueCount();
  const el = $("pending");
  el.dataset.count = String(n);
  el.hidden = n === 0;
  el.textContent = n === 1 ? T.pending_one : fmt(T.pending_many, { n });
  return n;
}

let syncing = false;
let syncTimer = null;
function syncSoon() {
  clearTimeout(syncTimer);
  syncTimer = setTimeout(syncNow, 50);
}

async function syncNow() {
  if (syncing || !navigator.onLine) return;
  syncing = true;
  let refused = 0;
  try {
    for (;;) {
      const rows = await store.queued(SYNC_BATCH);
      if (!rows.length) break;
      const guests = rows.filter((x) => x.type === "guest");
      const tickets = rows.filter((x) => x.type !== "guest");
      if (guests.length) {
        const g = await syncGuests(guests);
        refused += g.refused;
        if (g.settled < guests.length) break;
        if (!tickets.length) continue;
      }
      const scans = tickets.map(({ queued, device_id, ...s }) => s);
      const res = await fetchWithin(cfg.urls.sync, {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-CSRF-Token": cfg.csrf_token, ...LANG },
        body: JSON.stringify({ device_id: DEVICE, scans }),
      }, 30000);
      if (res.status === 401 || res.status === 403) {
        setNeedsLogin(true);
        break;
      }
      if (!res.ok) break; // 5xx or a refused request: keep every scan, try again later
      setNeedsLogin(false);
      reachable(true);
      const data = await res.json();
      const done = data.results.filter((x) => DEFINITIVE.has(x.status));
      refused += done.filter((x) => x.status === "rejected").length;
      await store.dequeue(done.map((x) => x.nonce));
      probe.syncs += 1;
      if (done.length < tickets.length) break;
    }
  } catch {
    reachable(false); // network gone again: the scans stay queued
  } finally {
    syncing = false;
    await updatePending();
    if (refused) {
      $("manifest-status").textContent = fmt(T.sync_refused, { n: refused });
    }
  }
}

// Queued guest cards, one request each to their training's guest check-in: an answer
// (checked in, already, or refused) settles the scan; no answer or a 5xx keeps it.
async function syncGuests(rows) {
  let settled = 0;
  let refused = 0;
  for (const row of rows) {
    const { queued, type, url, ...scan } = row;
    const res = await fetchWithin(url, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": cfg.csrf_token, ...LANG },
      body: JSON.stringify(scan),
    }, 30000);
    if (res.status === 401 || res.status === 403) {
      setNeedsLogin(true);
      break;
    }
    if (res.status >= 500 || res.status === 408 || res.status === 429) break;
    setNeedsLogin(false);
    reachable(true);
    if (!res.ok) refused += 1;
    await store.dequeue([row.nonce]);
    settled += 1;
  }
  if (settled) probe.syncs += 1;
  return { settled, refused };
}

function setNeedsLogin(flag) {
  needsLogin = flag;
  $("login-again").hidden = !flag;
}

// --- the manifest -----------------------------------------------------------------------

function useManifest(m, savedAt) {
  index = indexManifest(m);
  probe.manifest = { tickets: m.tickets.length, generated_at: m.generated_at };
  $("manifest-status").textContent = fmt(T.manifest_ready, {
    n: m.tickets.length, time: timeLabel(new Date(savedAt).toISOString()),
  });
}

async function refreshManifest() {
  if (!navigator.onLine) return;
  try {
    const res = await fetchWithin(cfg.urls.manifest, { headers: LANG }, 30000);
    if (res.status === 401 || res.status === 403) return setNeedsLogin(true);
    if (!res.ok) return;
    const m = await res.json();
    reachable(true);
    await store.saveManifest(BATCH, m);
    useManifest(m, Date.now());
  } catch {
    // offline: keep the copy we have
  }
}

// --- online / offline -------------------------------------------------------------------

function showNet() {
  const el = $("net-status");
  const on = serverLikely();
  el.dataset.state = on ? "online" : "offline";
  el.textContent = on ? T.online : T.offline;
}

window.addEventListener("online", () => {
  reachable(true);
  syncNow().then(refreshManifest);
});
window.addEventListener("offline", showNet);

// --- manual search ----------------------------------------------------------------------

let searchTimer = null;
let searchSeq = 0;

function openManual(open) {
  $("manual").hidden = !open;
  $("open-manual").setAttribute("aria-expanded", String(open));
  if (open) $("manual-q").focus();
}

async function runSearch() {
  const q = $("manual-q").value.trim();
  const seq = ++searchSeq;
  const list = $("manual-results");
  const digits = q.replace(/\D/g, "");
  if (q.length < 2 || (digits.length && digits.length < 4 && digits.length === q.length)) {
    list.replaceChildren();
    $("manual-hint").textContent = q ? T.search_short : "";
    return;
  }
  let found = null; // {items, total}
  let refusal = null;
  if (serverLikely()) {
    try {
      // The server takes at most the last 6 digits of a number (more would let anyone
      // rebuild a NIK by probing): a whole phone number typed in asks for its end.
      const sent = /^[+(\d][\d\s().-]*$/.test(q) && digits.length > 6 ? digits.slice(-6) : q;
      const url = `${cfg.urls.search}?q=${encodeURIComponent(sent)}&day=${cfg.today || cfg.day}`;
      const res = await fetchWithin(url, { headers: LANG }, SERVER_WAIT_MS);
      if (res.ok) {
        const data = await res.json();
        found = { items: data.items, total: data.total ?? data.items.length };
      }
      // Refused (422: not a searchable number; 429: too many searches): say why.
      else if (res.status === 422 || res.status === 429) refusal = (await res.json()).message;
    } catch { /* fall back to the manifest */ }
  }
  // Offline, too slow, or refused (the list on the phone still knows the last 4 digits).
  if (found === null && index) {
    const day = wallClock(new Date(), cfg.timezone).day;
    const local = searchManifest(index, q);
    found = { total: local.total, items: local.items.map((t) => {
      const seen = own.get(slotKey(t.r, day, 0)) || index.checkins.get(slotKey(t.r, day, 0));
      return { registration_id: t.r, name: t.n, category: t.c, district: t.k,
        phone_tail: t.p, match: t.match || null,
        checked_in_at: seen ? seen.at : null, by: seen ? seen.by : null };
    }) };
  }
  if (seq !== searchSeq) return; // a newer search is under way
  const items = found ? found.items : [];
  let hint = refusal || (items.length ? "" : T.nobody_found);
  // Only the first ones are listed: say so, and how to find the one wanted.
  if (!refusal && found && found.total > items.length) {
    hint = fmt(T.search_more, { shown: items.length, total: found.total });
  }
  const el = $("manual-hint");
  el.textContent = hint;
  el.dataset.more = String(!!(found && found.total > items.length));
  list.replaceChildren(...items.map(personRow));
}

// The digits typed, highlighted, after a mask: "NIK ••••<mark>1234</mark>". Never more
// digits than were typed, and the mask's length says nothing about the number's.
function matchLabel(match) {
  const span = document.createElement("span");
  span.className = "person-match";
  const mark = document.createElement("mark");
  mark.textContent = match.digits;
  span.append(`${match.field === "nik" ? T.nik : T.phone} ••••`, mark);
  return span;
}

function personRow(p) {
  const li = document.createElement("li");
  li.className = "person";
  const who = document.createElement("div");
  who.className = "person-who";
  const name = document.createElement("strong");
  name.textContent = p.name;
  const more = document.createElement("span");
  const tail = p.match ? null : p.phone_tail ? `${T.phone} …${p.phone_tail}` : null;
  more.textContent = [p.category, p.district, tail].filter(Boolean).join(" · ");
  who.append(name, more);
  if (p.match) who.append(matchLabel(p.match));
  const btn = document.createElement("button");
  btn.type = "button";
  btn.className = "primary big";
  btn.dataset.registration = String(p.registration_id);
  if (p.checked_in_at) {
    const done = document.createElement("span");
    done.className = "person-done";
    done.textContent = fmt(T.checked_in_at, { time: timeLabel(p.checked_in_at) });
    who.append(done);
  }
  btn.textContent = T.check_in;
  btn.addEventListener("click", async () => {
    btn.disabled = true;
    try {
      const r = await handle({ registration_id: p.registration_id, method: "manual" });
      show(r, null);
      runSearch();
    } finally {
      btn.disabled = false;
    }
  });
  li.append(who, btn);
  return li;
}

// --- start ------------------------------------------------------------------------------

async function startCamera() {
  const hint = $("scan-hint");
  try {
    const [detector] = await Promise.all([makeDetector(), openCamera($("scan-video"))]);
    probe.detector = detector.name;
    hint.textContent = "";
    hint.hidden = true;
    scanLoop($("scan-video"), detector, onCode);
    probe.readyAt = performance.now();
    probe.ready = true;
  } catch (err) {
    console.warn("camera", err);
    hint.textContent = T.camera_error;
    hint.classList.add("failed");
    probe.cameraError = String(err);
  }
}

// Keep this very page on the phone, for a reload with no network.
async function keepOffline() {
  if (!("serviceWorker" in navigator)) return;
  const reg = await navigator.serviceWorker.ready;
  if (!reg.active) return;
  const channel = new MessageChannel();
  channel.port1.onmessage = (e) => { probe.offlineReady = !!(e.data && e.data.kept); };
  reg.active.postMessage({ keep: location.href }, [channel.port2]);
}

async function start() {
  unlockOnFirstTap();
  keepOffline().catch(() => {});
  showNet();
  $("open-manual").addEventListener("click", () => openManual($("manual").hidden));
  $("close-manual").addEventListener("click", () => openManual(false));
  $("manual-form").addEventListener("submit", (e) => { e.preventDefault(); runSearch(); });
  $("manual-q").addEventListener("input", () => {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(runSearch, 250);
  });
  $("result").addEventListener("click", () => { $("result").hidden = true; });
  try {
    own = await store.loadOwn(BATCH);
    const saved = await store.loadManifest(BATCH);
    if (saved) useManifest(saved.manifest, saved.saved_at);
  } catch (err) {
    console.warn("storage", err);
  }
  await updatePending();
  const cam = startCamera();
  await refreshManifest();
  syncNow();
  setInterval(refreshManifest, MANIFEST_EVERY_MS);
  setInterval(() => { showNet(); syncNow(); }, SYNC_EVERY_MS);
  await cam;
}

start();
