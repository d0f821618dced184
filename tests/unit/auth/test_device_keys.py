"""Device signatures (AUTH-9): Ed25519 public keys as base64url, requests signed over method,
path and a fresh timestamp, decisions signed over the approval id and the decision."""

from datetime import UTC, datetime

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from konto.auth.domain.device_keys import (
    InvalidKey,
    b64url_encode,
    decision_message,
    fresh,
    parse_public_key,
    request_message,
    verify,
)

NOW = datetime(2026, 11, 21, 12, 0, 0, tzinfo=UTC)


def _key() -> tuple[Ed25519PrivateKey, str]:
    private = Ed25519PrivateKey.generate()
    raw = private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    return private, b64url_encode(raw)


def test_public_keys_are_32_bytes_of_base64url_AUTH_9() -> None:
    _, public = _key()
    assert parse_public_key(public) == public
    assert parse_public_key(public + "=") == public  # padding tolerated, stored without
    for bad in ("", "not base64 at all!", b64url_encode(b"x" * 31), b64url_encode(b"x" * 33)):
        with pytest.raises(InvalidKey):
            parse_public_key(bad)


def test_a_request_signature_verifies_only_for_its_method_path_and_time_AUTH_9() -> None:
    private, public = _key()
    message = request_message("get", "/v1/devices/d1/approvals", "1795000000")
    signature = b64url_encode(private.sign(message))
    assert verify(public, message, signature)
    assert not verify(
        public, request_message("GET", "/v1/devices/d2/approvals", "1795000000"), signature
    )
    assert not verify(
        public, request_message("GET", "/v1/devices/d1/approvals", "1795000001"), signature
    )
    _, other = _key()
    assert not verify(other, message, signature)
    assert not verify(public, message, "garbage")


def test_a_decision_signature_cannot_be_flipped_or_moved_AUTH_9() -> None:
    private, public = _key()
    signature = b64url_encode(private.sign(decision_message("a1", "deny")))
    assert verify(public, decision_message("a1", "deny"), signature)
    assert not verify(public, decision_message("a1", "approve"), signature)
    assert not verify(public, decision_message("a2", "deny"), signature)


def test_stale_or_malformed_timestamps_are_refused_AUTH_9() -> None:
    now = NOW.timestamp()
    assert fresh(str(int(now)), NOW, 60)
    assert fresh(str(int(now) - 59), NOW, 60)
    assert fresh(str(int(now) + 59), NOW, 60)  # a phone's clock a bit ahead
    assert not fresh(str(int(now) - 61), NOW, 60)
    assert not fresh(str(int(now) + 61), NOW, 60)
    assert not fresh("yesterday", NOW, 60)
