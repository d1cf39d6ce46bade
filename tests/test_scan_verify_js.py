"""The scanner's JavaScript verifier agrees with the server: it accepts the codes
ticket_codes.py signs, refuses altered, forged and random ones, and hashes them the same;
and its offline rules answer as the server does.

Runs `node --test` on tests/js/scan_verify.test.mjs (with WebCrypto Ed25519 and with the
vendored @noble/ed25519 fallback) and tests/js/scan_logic.test.mjs; skipped without node,
except under CI=true.
"""

import base64
import json
import os
import random
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest

from service.services import ticket_codes
from service.services.ticket_codes import PREFIX, TicketClaims

HERE = Path(__file__).parent
ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"


def _claims_json(c: TicketClaims) -> dict[str, object]:
    return {"training_id": c.training_id, "registration_id": c.registration_id,
            "batch_id": c.batch_id, "first_day": c.first_day.isoformat(),
            "last_day": c.last_day.isoformat()}


def _vectors() -> dict[str, object]:
    rnd = random.Random(4)
    private, public = ticket_codes.generate_keypair()
    other_private, other_public = ticket_codes.generate_keypair()
    claims = [TicketClaims(7, 1001 + n, 31 + n % 2, date(2026, 11, 29), date(2026, 11, 30))
              for n in range(20)]
    claims.append(TicketClaims(2**32 - 1, 2**32 - 1, 2**32 - 1, date(2000, 1, 1),
                               date(2179, 6, 6)))
    genuine = [(ticket_codes.sign_ticket(c, private), c) for c in claims]
    code = genuine[0][0]
    body = code[len(PREFIX):]
    refused = {
        "", "BT1.", code[:-1], code + "A", code.lower(), "BT2." + body, "bt1." + body,
        code[:-1] + ("B" if code[-1] == "A" else "A"),  # non-canonical trailing bits
        ticket_codes.sign_ticket(claims[0], other_private),  # another training's key
        "https://example.org/" + code, " " + code[:-1],
    }
    # Every single-character change of the signed payload or the signature.
    for i in range(len(body) - 1):
        swapped = ALPHABET[(ALPHABET.index(body[i]) + 1 + rnd.randrange(31)) % 32]
        refused.add(PREFIX + body[:i] + swapped + body[i + 1:])
    # Random bodies of the right shape, and a version byte other than 1.
    for _ in range(200):
        refused.add(PREFIX + "".join(rnd.choice(ALPHABET) for _ in range(129)) + "A")
    raw = bytearray(base64.b32decode(body + "=" * (-len(body) % 8)))
    raw[0] = 2
    refused.add(PREFIX + base64.b32encode(bytes(raw)).decode().rstrip("="))
    for text in refused:  # the server refuses every one of them too
        with pytest.raises(ticket_codes.InvalidTicket):
            ticket_codes.verify_ticket(text, public)
    return {
        "public_key": base64.b64encode(public).decode(),
        "other_public_key": base64.b64encode(other_public).decode(),
        "genuine": [{"code": c, "claims": _claims_json(cl), "hash": ticket_codes.ticket_hash(c)}
                    for c, cl in genuine],
        "refused": sorted(refused),
    }


def test_js_verifier_matches_python(tmp_path: Path) -> None:
    node = shutil.which("node")
    if node is None:
        if os.environ.get("CI") == "true":
            pytest.fail("node is required under CI=true")
        pytest.skip("node is not installed")
    vectors = tmp_path / "vectors.json"
    vectors.write_text(json.dumps(_vectors()))
    done = subprocess.run([node, "--test", str(HERE / "js" / "scan_verify.test.mjs"),
                           str(HERE / "js" / "scan_logic.test.mjs")],
                          env={**os.environ, "SCAN_VECTORS": str(vectors)},
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "# fail 0" in done.stdout, done.stdout
