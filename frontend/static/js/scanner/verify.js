// Ticket codes checked on the device, exactly as service/services/ticket_codes.py does:
// "BT1." + base32(17-byte payload || 64-byte Ed25519 signature), canonical, version 1.
// Runs in the browser and in Node (tests/js/verify.test.mjs compares it with Python).

export const PREFIX = "BT1.";
const PAYLOAD_LEN = 17;
const SIG_LEN = 64;
const RAW_LEN = PAYLOAD_LEN + SIG_LEN; // 81
const BODY_LEN = Math.ceil((RAW_LEN * 8) / 5); // 130
export const CODE_LEN = PREFIX.length + BODY_LEN; // 134
const BODY_RE = /^[A-Z2-7]+$/;
const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
const EPOCH_MS = Date.UTC(2000, 0, 1);
const DAY_MS = 86400000;

function base32Decode(body) {
  const out = new Uint8Array(Math.floor((body.length * 5) / 8));
  let bits = 0, value = 0, n = 0;
  for (const ch of body) {
    value = (value << 5) | ALPHABET.indexOf(ch);
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out[n++] = (value >>> bits) & 0xff;
    }
    value &= (1 << bits) - 1; // keep only the bits not yet written
  }
  // What is left are the unused trailing bits: zero in the one canonical encoding.
  return { bytes: out, leftover: value };
}

function isoDay(n) {
  return new Date(EPOCH_MS + n * DAY_MS).toISOString().slice(0, 10);
}

/** The payload and signature of a well-formed code, or null. Nothing is verified yet. */
export function parse(code) {
  if (typeof code !== "string" || code.length !== CODE_LEN || !code.startsWith(PREFIX)) return null;
  const body = code.slice(PREFIX.length);
  if (!BODY_RE.test(body)) return null;
  const { bytes, leftover } = base32Decode(body);
  if (bytes.length !== RAW_LEN || leftover !== 0) return null;
  if (bytes[0] !== 1) return null;
  return { payload: bytes.subarray(0, PAYLOAD_LEN), signature: bytes.subarray(PAYLOAD_LEN) };
}

function claimsOf(payload) {
  const v = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
  const first = v.getUint16(13), last = v.getUint16(15);
  if (last < first) return null;
  return {
    training_id: v.getUint32(1), registration_id: v.getUint32(5), batch_id: v.getUint32(9),
    first_day: isoDay(first), last_day: isoDay(last),
  };
}

export function base64ToBytes(text) {
  const bin = atob(text);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

// WebCrypto Ed25519 where the browser has it (Chromium 137+, Firefox 129+, Safari 17+);
// else the vendored @noble/ed25519, which hashes with WebCrypto SHA-512.
let webCryptoEd25519 = null; // null = not tried yet
const keys = new Map();

async function webKey(raw) {
  const id = Array.from(raw).join(",");
  if (!keys.has(id)) {
    keys.set(id, crypto.subtle.importKey("raw", raw, { name: "Ed25519" }, false, ["verify"]));
  }
  return keys.get(id);
}

let noble = null;
async function nobleVerify(signature, payload, publicKey) {
  if (!noble) noble = await import("../../vendor/noble-ed25519/index.js");
  try {
    // zip215 false: RFC 8032 strictness, as OpenSSL (the server's `cryptography`) checks.
    return await noble.verifyAsync(signature, payload, publicKey, { zip215: false });
  } catch {
    return false;
  }
}

/** Forces the @noble fallback (tests), or lets WebCrypto be tried again. */
export function useWebCrypto(flag) {
  webCryptoEd25519 = flag ? null : false;
}

export function backend() {
  return webCryptoEd25519 === false ? "noble" : webCryptoEd25519 === true ? "webcrypto" : "untried";
}

async function verifySignature(signature, payload, publicKey) {
  if (webCryptoEd25519 !== false) {
    try {
      const key = await webKey(publicKey);
      const ok = await crypto.subtle.verify({ name: "Ed25519" }, key, signature, payload);
      webCryptoEd25519 = true;
      return ok;
    } catch (err) {
      if (webCryptoEd25519 === true) return false; // it works here: this input is bad
      webCryptoEd25519 = false;
      keys.clear();
    }
  }
  return nobleVerify(signature, payload, publicKey);
}

/** The claims of a genuine code signed by `publicKey` (raw 32 bytes), else null. */
export async function verifyTicket(code, publicKey) {
  const parts = parse(code);
  if (!parts || publicKey.length !== 32) return null;
  if (!(await verifySignature(parts.signature, parts.payload, publicKey))) return null;
  return claimsOf(parts.payload);
}

/** First 16 bytes of SHA-256 of the code, lower hex: the manifest's ticket "h". */
export async function ticketHash(code) {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(code));
  return Array.from(new Uint8Array(digest).subarray(0, 16),
    (b) => b.toString(16).padStart(2, "0")).join("");
}
