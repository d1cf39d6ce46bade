// The participant's service worker (served at /t/sw.js, scope /t/): the ticket page and
// the test and evaluation pages the phone has opened stay on it, so that on a weak signal
// a reload still shows them; a test's answers wait in localStorage (assessment.js) and go
// out when the signal is back. Pages: network first, the kept copy when the network
// fails. The server fills in VERSION (a digest of the cached files) and ASSETS.

const VERSION = "__VERSION__";
const ASSETS = ["__ASSETS__"];
const CACHE = `bimtek-ticket-${VERSION}`;
const PAGE_WAIT_MS = 8000; // a very slow network loses to the copy on the phone
const MAX_PAGES = 40;

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((c) => c.addAll(ASSETS)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith("bimtek-ticket-") && name !== CACHE) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

function isPage(url) {
  // The ticket and what hangs under it, but not its files (QR image, certificate PDF).
  return url.origin === self.location.origin && url.pathname.startsWith("/t/")
    && url.pathname !== "/t/sw.js" && !/\.(png|pdf|js)$/.test(url.pathname);
}

async function keep(cache, request, res) {
  if (!res.ok || res.type !== "basic" || res.redirected) return;
  await cache.put(request, res.clone());
  const kept = await cache.keys();
  const pages = kept.filter((r) => isPage(new URL(r.url)));
  for (const old of pages.slice(0, Math.max(0, pages.length - MAX_PAGES))) await cache.delete(old);
}

async function networkFirst(request) {
  const cache = await caches.open(CACHE);
  const network = fetch(request).then(async (res) => {
    await keep(cache, request, res);
    return res;
  });
  network.catch(() => {}); // answered from the copy: a late failure is no error
  const timeout = new Promise((resolve) => setTimeout(() => resolve(null), PAGE_WAIT_MS));
  try {
    const res = await Promise.race([network, timeout]);
    if (res) return res;
  } catch {
    // offline: fall through to the copy
  }
  const copy = await cache.match(request, { ignoreSearch: request.mode === "navigate" });
  if (copy) return copy;
  return network; // nothing kept: wait for the network after all (or fail like it)
}

// The page asks to keep its own URL: its first load came before this worker was in charge.
self.addEventListener("message", (event) => {
  const raw = event.data && event.data.keep;
  const reply = event.ports && event.ports[0];
  if (typeof raw !== "string") return;
  const url = new URL(raw, self.location.origin);
  if (!isPage(url)) return;
  url.hash = "";
  event.waitUntil((async () => {
    let kept = false;
    try {
      const res = await fetch(url.href, { credentials: "same-origin" });
      if (res.ok && !res.redirected) {
        await keep(await caches.open(CACHE), new Request(url.href), res);
        kept = true;
      }
    } catch {
      // offline already: the next load tries again
    }
    if (reply) reply.postMessage({ kept });
  })());
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return; // answers, forms and the API go to the network
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate" && isPage(url)) {
    event.respondWith(networkFirst(request));
  } else if (ASSETS.includes(url.pathname)) {
    event.respondWith(networkFirst(request));
  }
});
