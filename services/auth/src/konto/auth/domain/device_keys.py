"""Authenticator devices prove themselves with Ed25519 (AUTH-9). The device keeps its private
key; auth stores the public half (32 raw bytes, base64url without padding).

Requests of a device carry a timestamp and a signature over method, path and timestamp, so a
captured request stops working after `max_age`; a decision on a login is signed over the
approval id and the decision, so it cannot be moved to another login or flipped. Pure."""

import base64
import binascii
from datetime import datetime

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

KEY_BYTES = 32


class InvalidKey(ValueError):
    pass


def b64url_decode(text: str) -> bytes:
    text = text.strip()
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def b64url_encode(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def parse_public_key(text: str) -> str:
    """The canonical form of a device's public key; raises InvalidKey for anything that is not
    32 bytes of base64url."""
    try:
        raw = b64url_decode(text)
    except (binascii.Error, ValueError) as exc:
        raise InvalidKey("not base64url") from exc
    if len(raw) != KEY_BYTES:
        raise InvalidKey(f"an Ed25519 public key has {KEY_BYTES} bytes")
    Ed25519PublicKey.from_public_bytes(raw)
    return b64url_encode(raw)


def request_message(method: str, path: str, timestamp: str) -> bytes:
    return f"{method.upper()}\n{path}\n{timestamp}".encode()


def decision_message(approval_id: str, decision: str) -> bytes:
    return f"konto-approval\n{approval_id}\n{decision}".encode()


def verify(public_key: str, message: bytes, signature: str) -> bool:
    try:
        key = Ed25519PublicKey.from_public_bytes(b64url_decode(public_key))
        key.verify(b64url_decode(signature), message)
    except (InvalidSignature, binascii.Error, ValueError):
        return False
    return True


def fresh(timestamp: str, now: datetime, max_age_seconds: float) -> bool:
    """A request timestamp (Unix seconds) within `max_age_seconds` of now, either way (clocks
    of phones drift)."""
    try:
        sent = float(timestamp)
    except ValueError:
        return False
    return abs(now.timestamp() - sent) <= max_age_seconds
