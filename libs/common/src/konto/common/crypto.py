"""Reversible secrets at rest (signing keys, TOTP seeds, codes in commands): AES-256-GCM with
the key id stored beside the ciphertext, so keys can rotate while old data stays readable."""

import base64
import os

from cryptography.hazmat.primitives.ciphers.aead import AESGCM


class SecretBox:
    def __init__(self, keys: dict[str, bytes], current: str) -> None:
        if current not in keys:
            raise ValueError(f"no key with id {current!r}")
        for kid, key in keys.items():
            if len(key) != 32:
                raise ValueError(f"key {kid!r} must be 32 bytes")
        self._keys = {kid: AESGCM(key) for kid, key in keys.items()}
        self._current = current

    @classmethod
    def from_base64(cls, key_b64: str, kid: str = "k1") -> "SecretBox":
        return cls({kid: base64.b64decode(key_b64)}, kid)

    def seal(self, plaintext: bytes, associated: bytes = b"") -> str:
        """Returns `kid.nonce.ciphertext`, base64url; `associated` binds it to its owner."""
        nonce = os.urandom(12)
        sealed = self._keys[self._current].encrypt(nonce, plaintext, associated)
        return ".".join([self._current, _b64(nonce), _b64(sealed)])

    def open(self, token: str, associated: bytes = b"") -> bytes:
        kid, nonce, sealed = token.split(".")
        return self._keys[kid].decrypt(_unb64(nonce), _unb64(sealed), associated)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
