"""X-3: reversible secrets sealed with AES-GCM, key id beside the ciphertext."""

import os

import pytest
from cryptography.exceptions import InvalidTag

from konto.common.crypto import SecretBox


def test_seal_open_and_bind_to_owner_X_3() -> None:
    box = SecretBox({"k1": os.urandom(32)}, "k1")
    sealed = box.seal(b"totp-seed", b"user-1")
    assert sealed.startswith("k1.")
    assert b"totp-seed" not in sealed.encode()
    assert box.open(sealed, b"user-1") == b"totp-seed"
    with pytest.raises(InvalidTag):
        box.open(sealed, b"user-2")


def test_rotation_keeps_old_ciphertexts_readable_X_3() -> None:
    k1, k2 = os.urandom(32), os.urandom(32)
    old = SecretBox({"k1": k1}, "k1").seal(b"secret")
    rotated = SecretBox({"k1": k1, "k2": k2}, "k2")
    assert rotated.open(old) == b"secret"
    assert rotated.seal(b"x").startswith("k2.")


def test_key_length_is_checked_X_3() -> None:
    with pytest.raises(ValueError, match="32 bytes"):
        SecretBox({"k1": b"short"}, "k1")
