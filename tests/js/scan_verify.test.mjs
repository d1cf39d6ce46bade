// The scanner's verifier (frontend/static/js/scanner/verify.js) against codes made by
// service/services/ticket_codes.py: run by tests/test_scan_verify_js.py, which writes the
// codes to the JSON file named by SCAN_VECTORS.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

import { backend, base64ToBytes, ticketHash, useWebCrypto, verifyTicket } from
  "../../frontend/static/js/scanner/verify.js";

const v = JSON.parse(readFileSync(process.env.SCAN_VECTORS, "utf8"));
const key = base64ToBytes(v.public_key);
const otherKey = base64ToBytes(v.other_public_key);

for (const engine of ["webcrypto", "noble"]) {
  test(`${engine}: genuine codes are accepted with their claims`, async () => {
    useWebCrypto(engine === "webcrypto");
    for (const g of v.genuine) {
      assert.deepEqual(await verifyTicket(g.code, key), g.claims);
    }
    assert.equal(backend(), engine);
  });

  test(`${engine}: altered, forged and random codes are refused`, async () => {
    useWebCrypto(engine === "webcrypto");
    for (const code of v.refused) {
      assert.equal(await verifyTicket(code, key), null, code);
    }
  });

  test(`${engine}: a genuine code of another training's key is refused`, async () => {
    useWebCrypto(engine === "webcrypto");
    assert.equal(await verifyTicket(v.genuine[0].code, otherKey), null);
  });
}

test("ticket_hash equals Python's", async () => {
  for (const g of v.genuine) {
    assert.equal(await ticketHash(g.code), g.hash);
  }
});
