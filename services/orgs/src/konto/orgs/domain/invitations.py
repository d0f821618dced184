"""Invitation rules (ORG-4): random tokens kept only as hashes, expiry, single use. Pure."""

import hashlib
import re
import secrets
from datetime import datetime
from enum import StrEnum

# Lenient on purpose: the mail server is the real judge; this only catches typos and junk.
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")


class Status(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    REVOKED = "revoked"
    EXPIRED = "expired"


class InvalidEmail(ValueError):
    pass


def normalize_email(raw: str) -> str:
    email = raw.strip().lower()
    if len(email) > 320 or not _EMAIL.match(email):
        raise InvalidEmail("not an e-mail address")
    return email


def new_token() -> str:
    """256 random bits, URL-safe: unguessable, so the link alone proves the mail was read."""
    return secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    """SHA-256 suffices: the token is random, not a password, so there is nothing to brute-force."""
    return hashlib.sha256(token.encode()).hexdigest()


def accept_url(console_url: str, token: str) -> str:
    return f"{console_url.rstrip('/')}/invitations/{token}"


def status_of(stored: str, expires_at: datetime, now: datetime) -> Status:
    if stored == Status.PENDING and expires_at <= now:
        return Status.EXPIRED
    return Status(stored)
