"""AUTH-3 / X-3: NIST length policy, Argon2id, a dummy hash for unknown identifiers, rehash."""

import pytest

from konto.auth.domain.passwords import Argon2Params, Passwords, WeakPassword, check_policy

FAST = Argon2Params(memory_kib=1024, time_cost=1, parallelism=1)


def test_policy_is_length_only_AUTH_1() -> None:
    check_policy("all lower case words")  # no composition rules
    with pytest.raises(WeakPassword):
        check_policy("short")
    with pytest.raises(WeakPassword):
        check_policy("x" * 129)


def test_argon2id_verify_and_unknown_user_X_3() -> None:
    passwords = Passwords(FAST)
    stored = passwords.hash("correct horse")
    assert stored.startswith("$argon2id$")
    assert passwords.verify(stored, "correct horse")
    assert not passwords.verify(stored, "wrong horse")
    assert not passwords.verify(None, "konto-dummy-password")  # the dummy never logs anyone in
    assert not passwords.verify("not-a-hash", "x")


def test_changed_parameters_ask_for_a_rehash_X_3() -> None:
    old = Passwords(FAST).hash("pw-123456")
    stronger = Passwords(Argon2Params(memory_kib=2048, time_cost=2, parallelism=1))
    assert stronger.needs_rehash(old)
    assert not stronger.needs_rehash(stronger.hash("pw-123456"))
