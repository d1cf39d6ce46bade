// What the scanner keeps on the device (IndexedDB): each batch's manifest, the queue of
// scans waiting to sync, and the check-ins this device recorded itself.

import { openDB } from "../../vendor/idb/index.js";

const DB_NAME = "bimtek-scan";

let dbPromise = null;
function db() {
  if (!dbPromise) {
    dbPromise = openDB(DB_NAME, 1, {
      upgrade(d) {
        d.createObjectStore("manifests"); // key: batch id
        const q = d.createObjectStore("queue", { keyPath: "nonce" });
        q.createIndex("queued", "queued");
        d.createObjectStore("own"); // key: batch id|registration|day|slot
      },
    });
  }
  return dbPromise;
}

export async function loadManifest(batchId) {
  return (await db()).get("manifests", batchId);
}

export async function saveManifest(batchId, manifest) {
  await (await db()).put("manifests", { manifest, saved_at: Date.now() }, batchId);
}

/** A scan that waits for the server: {nonce, code | registration_id, scanned_at, ...}. */
export async function enqueue(scan) {
  await (await db()).put("queue", { ...scan, queued: Date.now() });
}

export async function queued(limit = 200) {
  const rows = await (await db()).getAllFromIndex("queue", "queued", null, limit);
  return rows;
}

export async function queueCount() {
  return (await db()).count("queue");
}

export async function dequeue(nonces) {
  const tx = (await db()).transaction("queue", "readwrite");
  await Promise.all([...nonces.map((n) => tx.store.delete(n)), tx.done]);
}

export async function loadOwn(batchId) {
  const d = await db();
  const prefix = `${batchId}|`;
  const range = IDBKeyRange.bound(prefix, `${prefix}\uffff`);
  const keys = await d.getAllKeys("own", range);
  const values = await d.getAll("own", range);
  return new Map(keys.map((k, i) => [k.slice(prefix.length), values[i]]));
}

export async function saveOwn(batchId, key, record) {
  await (await db()).put("own", record, `${batchId}|${key}`);
}
