"""Enrolling an authenticator device by QR code (AUTH-9): the console shows a one-time token in
a `konto-device://enrol?...` URI; the device posts it back with its public key. Pure."""

import hashlib
import secrets
from urllib.parse import urlencode


def new_token() -> str:
    """256 random bits: whoever holds it may attach a device to the account, once."""
    return secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def enrol_uri(token: str, api_url: str, account: str, issuer: str) -> str:
    query = urlencode(
        {"token": token, "api": api_url.rstrip("/"), "account": account, "issuer": issuer}
    )
    return f"konto-device://enrol?{query}"
