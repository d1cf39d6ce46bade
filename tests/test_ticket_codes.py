"""Signed ticket codes: genuine ones verify, anything else is InvalidTicket and only that."""

from __future__ import annotations

import base64
import re
import struct
import time
from datetime import date, timedelta

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from service.errors import DomainError
from service.rendering.qr import qr_matrix
from service.services.ticket_codes import (
    CODE_LEN,
    InvalidTicket,
    TicketClaims,
    generate_keypair,
    peek_training_id,
    sign_ticket,
    ticket_hash,
    verify_ticket,
)

PRIVATE, PUBLIC = generate_keypair()
OTHER_PRIVATE, OTHER_PUBLIC = generate_keypair()
# Angkatan I of the 2018 Padang cadre training: 12-13 September.
CLAIMS = TicketClaims(training_id=7, registration_id=4211, batch_id=31,
                      first_day=date(2018, 9, 12), last_day=date(2018, 9, 13))
CODE = sign_ticket(CLAIMS, PRIVATE)
B32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"


def _raw(code: str) -> bytes:
    body = code[4:]
    return base64.b32decode(body + "=" * (-len(body) % 8))


def _encode(raw: bytes) -> str:
    return "BT1." + base64.b32encode(raw).decode().rstrip("=")


def _reason(code: str, public_key: bytes = PUBLIC) -> str:
    with pytest.raises(InvalidTicket) as caught:
        verify_ticket(code, public_key)
    return caught.value.reason


def test_genuine_code_round_trips_its_claims() -> None:
    assert verify_ticket(CODE, PUBLIC) == CLAIMS


def test_code_is_short_and_qr_alphanumeric() -> None:
    # Upper-case base32 and "BT1." use only QR alphanumeric characters (the dense mode).
    assert len(CODE) == CODE_LEN == 134
    assert re.fullmatch(r"BT1\.[A-Z2-7]{130}", CODE)


def test_code_fits_a_version_6_qr() -> None:
    assert len(qr_matrix(CODE)) == 41  # version 6: 17 + 4 * 6 modules


def test_signing_is_deterministic() -> None:
    # Ed25519 signatures are deterministic: reprinting a card prints the same QR.
    assert sign_ticket(CLAIMS, PRIVATE) == CODE


def test_peek_reads_the_training_id_without_a_key() -> None:
    assert peek_training_id(CODE) == 7


def test_peek_rejects_malformed_text() -> None:
    with pytest.raises(InvalidTicket):
        peek_training_id("https://example.com/not-a-ticket")


def test_altered_payload_byte_is_rejected() -> None:
    raw = bytearray(_raw(CODE))
    raw[6] ^= 0x01  # registration id 4211 -> another participant
    assert _reason(_encode(bytes(raw))) == "bad_signature"


def test_altered_signature_byte_is_rejected() -> None:
    raw = bytearray(_raw(CODE))
    raw[-1] ^= 0x80
    assert _reason(_encode(bytes(raw))) == "bad_signature"


def test_code_signed_with_another_training_key_is_rejected() -> None:
    assert _reason(sign_ticket(CLAIMS, OTHER_PRIVATE)) == "bad_signature"


def test_code_verified_with_another_training_key_is_rejected() -> None:
    assert _reason(CODE, OTHER_PUBLIC) == "bad_signature"


def test_truncated_code_is_rejected() -> None:
    assert _reason(CODE[:-1]) == "malformed"


def test_code_with_an_extra_character_is_rejected() -> None:
    assert _reason(CODE + "A") == "malformed"


def test_empty_string_is_rejected() -> None:
    assert _reason("") == "malformed"


def test_megabyte_string_is_rejected_at_once() -> None:
    huge = "BT1." + "A" * 1_000_000
    started = time.perf_counter()
    assert _reason(huge) == "malformed"
    assert time.perf_counter() - started < 0.05


def test_non_ascii_character_is_rejected() -> None:
    assert _reason(CODE[:-1] + "\u00c9") == "malformed"


def test_lone_surrogate_is_rejected() -> None:
    assert _reason(CODE[:-1] + "\ud800") == "malformed"


def test_lower_case_code_is_rejected() -> None:
    assert _reason(CODE.lower()) == "malformed"


def test_non_string_is_rejected() -> None:
    with pytest.raises(InvalidTicket):
        verify_ticket(None, PUBLIC)  # type: ignore[arg-type]


def test_unused_trailing_bits_must_be_zero() -> None:
    # The last base32 character carries 2 data bits and 3 unused ones. Setting an unused
    # bit leaves the decoded bytes alone, but must not make a second valid text.
    last = B32.index(CODE[-1])
    twin = CODE[:-1] + B32[last | 0b001]
    assert twin != CODE and _raw(twin) == _raw(CODE)
    assert _reason(twin) == "malformed"


def test_other_format_version_is_rejected_even_when_signed() -> None:
    payload = bytearray(_raw(CODE)[:17])
    payload[0] = 2
    signature = Ed25519PrivateKey.from_private_bytes(PRIVATE).sign(bytes(payload))
    assert _reason(_encode(bytes(payload) + signature)) == "wrong_version"


def test_other_prefix_is_rejected() -> None:
    assert _reason("BT2." + CODE[4:]) == "malformed"


def test_signed_payload_with_days_reversed_is_rejected() -> None:
    payload = struct.pack(">BIIIHH", 1, 7, 4211, 31, 6830, 6829)
    signature = Ed25519PrivateKey.from_private_bytes(PRIVATE).sign(payload)
    assert _reason(_encode(payload + signature)) == "bad_days"


def test_first_and_last_representable_days_round_trip() -> None:
    claims = TicketClaims(2**32 - 1, 1, 1, date(2000, 1, 1),
                          date(2000, 1, 1) + timedelta(days=65535))
    assert verify_ticket(sign_ticket(claims, PRIVATE), PUBLIC) == claims


@pytest.mark.parametrize("claims", [
    TicketClaims(0, 1, 1, date(2018, 9, 12), date(2018, 9, 13)),
    TicketClaims(1, 2**32, 1, date(2018, 9, 12), date(2018, 9, 13)),
    TicketClaims(1, 1, 1, date(1999, 12, 31), date(2018, 9, 13)),
    TicketClaims(1, 1, 1, date(2018, 9, 13), date(2018, 9, 12)),
])
def test_sign_refuses_claims_the_format_cannot_carry(claims: TicketClaims) -> None:
    with pytest.raises(ValueError):
        sign_ticket(claims, PRIVATE)


def test_malformed_public_key_is_a_server_error_not_a_forged_ticket() -> None:
    with pytest.raises(ValueError):
        verify_ticket(CODE, b"short")


def test_invalid_ticket_is_a_422_domain_error() -> None:
    err = InvalidTicket()
    assert isinstance(err, DomainError)
    assert (err.status, err.payload()["code"]) == (422, "invalid_ticket")


def test_ticket_hash_is_16_bytes_of_sha256_hex() -> None:
    digest = ticket_hash(CODE)
    assert re.fullmatch(r"[0-9a-f]{32}", digest)
    assert digest == ticket_hash(CODE) != ticket_hash(sign_ticket(CLAIMS, OTHER_PRIVATE))


# --- property tests: 10,000 hostile texts -------------------------------------------------

# Each example checks a handful of texts: hypothesis' per-example overhead, not the
# verification, is what would otherwise make 10,000 texts slow.
_PER_EXAMPLE = 4
_FUZZ = settings(max_examples=5000 // _PER_EXAMPLE, deadline=None, database=None,
                 suppress_health_check=[HealthCheck.too_slow])
# Mostly base32 characters, so mutants get past the format checks to the signature check.
_CHARS = st.sampled_from(list(B32 + "=aé. 0189\x00"))
# Anywhere, but often at the ends: the prefix and the last character's unused bits are
# where format slips would hide.
_POSITIONS = st.one_of(st.integers(min_value=0, max_value=CODE_LEN - 1),
                       st.sampled_from([0, 1, 2, 3, 4, CODE_LEN - 2, CODE_LEN - 1]))
_EDITS = st.lists(
    st.tuples(st.sampled_from(["flip", "insert", "delete"]), _POSITIONS, _CHARS),
    min_size=1, max_size=3,
)
_RANDOM_TEXT = st.one_of(
    st.text(max_size=300),
    st.text(alphabet=B32, min_size=130, max_size=130).map(lambda s: "BT1." + s),
)


def _mutate(code: str, edits: list[tuple[str, int, str]]) -> str:
    for kind, position, char in edits:
        i = position % max(len(code), 1)
        if kind == "flip":
            code = code[:i] + char + code[i + 1:]
        elif kind == "insert":
            code = code[:i] + char + code[i:]
        else:
            code = code[:i] + code[i + 1:]
    return code


def _assert_rejected(text: str) -> None:
    with pytest.raises(InvalidTicket):
        verify_ticket(text, PUBLIC)
    try:
        assert isinstance(peek_training_id(text), int)
    except InvalidTicket:
        pass


@_FUZZ
@given(st.lists(_EDITS, min_size=_PER_EXAMPLE, max_size=_PER_EXAMPLE))
def test_mutated_codes_are_never_accepted(edit_lists: list[list[tuple[str, int, str]]]) -> None:
    for edits in edit_lists:
        mutant = _mutate(CODE, edits)
        if mutant != CODE:  # an edit can undo another
            _assert_rejected(mutant)


@_FUZZ
@given(st.lists(_RANDOM_TEXT, min_size=_PER_EXAMPLE, max_size=_PER_EXAMPLE))
def test_random_texts_are_never_accepted(texts: list[str]) -> None:
    for text in texts:
        _assert_rejected(text)
