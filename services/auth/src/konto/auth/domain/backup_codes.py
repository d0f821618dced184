"""Backup codes (AUTH-9): 10 random one-time codes, shown once, stored only as salted hashes.

Each code has 50 random bits (10 base32 characters), so a salted SHA-256 is enough to keep a
database leak from revealing usable codes without the cost of a slow hash per login."""

import hashlib
import hmac
import secrets
from dataclasses import dataclass

_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i to misread
_LENGTH = 10


@dataclass(frozen=True)
class StoredCode:
    id: str
    salt: str
    hash: str


def generate(count: int) -> list[str]:
    return [
        _display("".join(secrets.choice(_ALPHABET) for _ in range(_LENGTH))) for _ in range(count)
    ]


def normalize(code: str) -> str:
    return "".join(ch for ch in code.lower() if ch.isalnum())


def _display(raw: str) -> str:
    return f"{raw[:5]}-{raw[5:]}"


def _digest(code: str, salt: str) -> str:
    return hashlib.sha256(f"{salt}:{normalize(code)}".encode()).hexdigest()


def seal(code: str) -> StoredCode:
    salt = secrets.token_hex(16)
    return StoredCode(id=secrets.token_hex(8), salt=salt, hash=_digest(code, salt))


def find(code: str, stored: list[StoredCode]) -> StoredCode | None:
    """The stored code `code` matches; every entry is compared so timing tells nothing."""
    found = None
    for entry in stored:
        if hmac.compare_digest(_digest(code, entry.salt), entry.hash):
            found = entry
    return found


def as_text(codes: list[str], account: str) -> str:
    lines = [f"Konto backup codes for {account}", "Each code works once.", ""]
    return "\n".join([*lines, *codes]) + "\n"
