"""Signed ticket codes: the text inside a participant's QR ticket.

Each training has its own Ed25519 key pair. The server signs a ticket with the private
key; a scanner that holds only the public key can tell a genuine ticket from a forged
or altered one, offline.

Code format, version 1 (134 ASCII characters)::

    "BT1." + BASE32(payload || signature)

* ``BASE32`` is RFC 4648 base32 (alphabet ``A-Z2-7``), upper case, with the ``=``
  padding removed. 81 bytes encode to 130 characters; the last character carries two
  unused bits, which must be zero (the canonical encoding), so that every ticket has
  exactly one code. Prefix and body use only QR "alphanumeric" characters, which the
  QR encoder packs at 5.5 bits per character: the code fits a version 6 QR (41 x 41
  modules) at error correction level M.
* ``payload`` is 17 bytes, big-endian (``struct`` format ``>BIIIHH``):

  ======  ====  =================================================
  offset  size  field
  ======  ====  =================================================
  0       1     format version, always 1
  1       4     training id (unsigned)
  5       4     registration id (unsigned)
  9       4     batch id (unsigned)
  13      2     first valid day, days since 2000-01-01 (unsigned)
  15      2     last valid day, days since 2000-01-01 (unsigned)
  ======  ====  =================================================

* ``signature`` is the 64-byte Ed25519 signature (RFC 8032) of exactly the 17 payload
  bytes, made with the training's private key. The version byte sits inside the
  signed bytes so a future layout can never be passed off as this one.

To verify (the offline scanner does the same in JavaScript): check the prefix and the
length, base32-decode the body, check that re-encoding gives the same text, check the
version byte, verify the signature over bytes 0..16 with the training's public key,
then read the fields. The server, which holds the private key, checks a code by signing
its payload again instead (check_ticket): the same answer for every genuine code, and
stricter for the rest.

Ticket codes are not secret (they are printed on paper); the manifest an offline
scanner downloads lists `ticket_hash` digests rather than codes.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import struct
from dataclasses import dataclass
from datetime import date, timedelta

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

from service.errors import DomainError
from service.i18n import N_

PREFIX = "BT1."
VERSION = 1
EPOCH = date(2000, 1, 1)

_PAYLOAD = struct.Struct(">BIIIHH")
_SIGNATURE_LEN = 64
_RAW_LEN = _PAYLOAD.size + _SIGNATURE_LEN  # 81 bytes
_BODY_LEN = -(-_RAW_LEN * 8 // 5)  # base32 characters without padding: 130
CODE_LEN = len(PREFIX) + _BODY_LEN  # 134
_BODY_RE = re.compile(rf"[A-Z2-7]{{{_BODY_LEN}}}")
# RFC 4648's base32 alphabet as the digits int(..., 32) reads: a code is decoded in C
# rather than in base64.b32decode's Python loop (twice per scan at the door).
_TO_BASE32_DIGITS = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567",
                                  "0123456789abcdefghijklmnopqrstuv")
_PAD_BITS = _BODY_LEN * 5 - _RAW_LEN * 8
_MAX_ID = 2**32 - 1
_MAX_DAY = 2**16 - 1


class InvalidTicket(DomainError):
    """A scanned text that is not a genuine ticket of the training."""

    code, status, message = "invalid_ticket", 422, N_("This QR code is not a genuine ticket.")

    def __init__(self, reason: str = "malformed") -> None:
        super().__init__()
        # For logs and tests only; the client always gets the same message, so a forger
        # learns nothing about which check failed.
        self.reason = reason


@dataclass(frozen=True)
class TicketClaims:
    training_id: int
    registration_id: int
    batch_id: int
    first_day: date
    last_day: date


def generate_keypair() -> tuple[bytes, bytes]:
    """A new Ed25519 key pair as (raw 32-byte private key, raw 32-byte public key)."""
    private = Ed25519PrivateKey.generate()
    return private.private_bytes_raw(), private.public_key().public_bytes_raw()


def sign_ticket(claims: TicketClaims, private_key: bytes) -> str:
    """The QR text for `claims`, signed with the training's raw private key.

    Raises ValueError for claims the format cannot carry (a programming error, not a
    user error): ids outside 1..2**32-1, days outside 2000-01-01..2179-06-06, or a last
    day before the first.
    """
    return encode_signed(claims, Ed25519PrivateKey.from_private_bytes(private_key))


def encode_signed(claims: TicketClaims, signer: Ed25519PrivateKey) -> str:
    """sign_ticket with a loaded key: for signing many tickets at once (a scanner manifest)."""
    payload = _pack(claims)
    body = base64.b32encode(payload + signer.sign(payload)).decode("ascii").rstrip("=")
    return PREFIX + body


def peek_training_id(code: str) -> int:
    """The training id a code claims, NOT verified: only to pick the key to verify with."""
    payload, _signature = _split(code)
    return int(_PAYLOAD.unpack(payload)[1])


def verify_ticket(code: str, public_key: bytes | Ed25519PublicKey) -> TicketClaims:
    """The claims of a genuine code signed by `public_key`'s private half (raw bytes, or
    a loaded key when verifying many).

    Raises InvalidTicket for anything else, whatever the input. A `public_key` that is
    not 32 bytes raises ValueError: that is a broken training row, not a forged ticket.
    """
    payload, signature = _split(code)
    key = public_key if isinstance(public_key, Ed25519PublicKey) \
        else Ed25519PublicKey.from_public_bytes(public_key)
    try:
        key.verify(signature, payload)
    except InvalidSignature:
        raise InvalidTicket("bad_signature") from None
    return _unpack(payload)


def check_ticket(code: str, private_key: Ed25519PrivateKey) -> TicketClaims:
    """verify_ticket for the server, which holds the training's private key.

    Ed25519 signatures are deterministic (RFC 8032): a payload has exactly one signature
    under a key, so a genuine code carries the very bytes that signing its payload again
    gives. Signing costs about a third of verifying (one fixed-base scalar multiplication
    rather than a double one: ~46 against ~154 us of CPU on the bench machine, at the
    door on every scan), and comparing is stricter than verifying, never weaker: only
    that one encoding passes, where a verifier may also take another encoding of the
    same point or scalar. The signing is the cryptography library's (constant time); the
    comparison takes constant time too, so a forger timing answers learns nothing of the
    expected bytes. (Recomputing only S from the code's R would be cheaper still, but
    that is hand-written arithmetic on the secret scalar: not worth ~40 us.) Scanners hold
    only the public key, and verify.
    """
    payload, signature = _split(code)
    if not hmac.compare_digest(private_key.sign(payload), signature):
        raise InvalidTicket("bad_signature")
    return _unpack(payload)


def ticket_hash(code: str) -> str:
    """A short digest of a code (sha256, first 16 bytes as hex) for offline manifests."""
    return hashlib.sha256(code.encode("utf-8", "surrogatepass")).digest()[:16].hex()


# --- layout ------------------------------------------------------------------------------


def _day_number(day: date) -> int:
    n = (day - EPOCH).days
    if not 0 <= n <= _MAX_DAY:
        raise ValueError(f"ticket day out of range: {day.isoformat()}")
    return n


def _pack(claims: TicketClaims) -> bytes:
    ids = (claims.training_id, claims.registration_id, claims.batch_id)
    if not all(1 <= i <= _MAX_ID for i in ids):
        raise ValueError(f"ticket ids out of range: {ids}")
    if claims.last_day < claims.first_day:
        raise ValueError("a ticket's last day is before its first day")
    first, last = _day_number(claims.first_day), _day_number(claims.last_day)
    return _PAYLOAD.pack(VERSION, *ids, first, last)


def _unpack(payload: bytes) -> TicketClaims:
    _version, training_id, registration_id, batch_id, first, last = _PAYLOAD.unpack(payload)
    if last < first:
        # Never signed by sign_ticket; refuse it rather than hand callers nonsense.
        raise InvalidTicket("bad_days")
    return TicketClaims(
        training_id=training_id,
        registration_id=registration_id,
        batch_id=batch_id,
        first_day=_day(first),
        last_day=_day(last),
    )


# Day number -> date: the few days a training's tickets name, computed once each.
_DAYS: dict[int, date] = {}


def _day(number: int) -> date:
    day = _DAYS.get(number)
    if day is None:
        day = _DAYS[number] = EPOCH + timedelta(days=number)
    return day


def _split(code: object) -> tuple[bytes, bytes]:
    """(payload, signature) of a well-formed code; InvalidTicket for anything else.

    The length is checked first, so a megabyte of junk costs no more than a short one.
    The last code split is remembered: the server splits each scanned code twice in a
    row (peek_training_id to find the key, then check_ticket).
    """
    global _last_split
    if not isinstance(code, str) or len(code) != CODE_LEN or not code.startswith(PREFIX):
        raise InvalidTicket("malformed")
    last = _last_split
    if last is not None and type(code) is str and last[0] == code:
        return last[1]
    body = code[len(PREFIX):]
    if not _BODY_RE.fullmatch(body):
        raise InvalidTicket("malformed")
    number = int(body.translate(_TO_BASE32_DIGITS), 32)
    # Unused trailing bits must be zero; otherwise several texts would be one ticket.
    if number & ((1 << _PAD_BITS) - 1):
        raise InvalidTicket("malformed")
    raw = (number >> _PAD_BITS).to_bytes(_RAW_LEN, "big")
    payload, signature = raw[: _PAYLOAD.size], raw[_PAYLOAD.size:]
    if payload[0] != VERSION:
        raise InvalidTicket("wrong_version")
    # One tuple stored at once: a thread reading it sees a whole pair, never half of one.
    _last_split = (code, (payload, signature))
    return payload, signature


_last_split: tuple[str, tuple[bytes, bytes]] | None = None
