// The door scanner's service worker (served at /scan-sw.js, scope /scan): the scanner
// page and everything it loads stay on the phone, so it opens with no network.
// The server fills in VERSION (a digest of the cached files) and ASSETS.

const VERSION = "__VERSION__";
const ASSETS = ["__ASSETS__"];
const CACHE = `bimtek-scan-${VERSION}`;
const PAGE_WAIT_MS = 2500; // a slow network loses to the copy on the phone

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((c) => c.addAll(ASSETS)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith("bimtek-scan-") && name !== CACHE) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

async function pageNetworkFirst(request) {
  const cache = await caches.open(CACHE);
  const network = fetch(request).then(async (res) => {
    if (res.ok && res.type === "basic" && !res.redirected) await cache.put(request, res.clone());
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
  const copy = (await cache.match(request)) || (await cache.match(request, { ignoreSearch: true }));
  if (copy) return copy;
  return network; // nothing kept: wait for the network after all (or fail like it)
}

async function cacheFirst(request) {
  const cache = await caches.open(CACHE);
  const copy = await cache.match(request, { ignoreSearch: true });
  if (copy) return copy;
  const res = await fetch(request);
  if (res.ok && res.type === "basic") await cache.put(request, res.clone());
  return res;
}

// The page asks to keep its own URL: its first load came before this worker was in charge.
self.addEventListener("message", (event) => {
  const raw = event.data && event.data.keep;
  const reply = event.ports && event.ports[0];
  if (typeof raw !== "string") return;
  const url = new URL(raw, self.location.origin);
  if (url.origin !== self.location.origin || url.pathname !== "/scan") return;
  event.waitUntil((async () => {
    let kept = false;
    try {
      const res = await fetch(url.href, { credentials: "same-origin" });
      if (res.ok && !res.redirected) {
        await (await caches.open(CACHE)).put(url.href, res);
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
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate" && url.pathname === "/scan") {
    event.respondWith(pageNetworkFirst(request));
  } else if (url.pathname.startsWith("/static/") || ASSETS.includes(url.pathname)) {
    event.respondWith(cacheFirst(request));
  }
  // Everything else (the API above all) goes to the network untouched.
});
