"""SMS confirmation codes (VER-2): hashed, expiring, limited tries and sends."""

from datetime import UTC, datetime, timedelta

import pytest

from konto.verification.domain.cases import StepRefused
from konto.verification.domain.codes import (
    CodeRejected,
    PendingCode,
    check_code,
    ensure_can_send,
    hash_code,
    new_code,
)

NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)


def _pending(code: str, attempts: int = 0, ttl: int = 600) -> PendingCode:
    return PendingCode(hash_code("c1", code), NOW + timedelta(seconds=ttl), attempts)


def test_code_is_six_digits_and_hash_is_bound_to_the_case_VER_2() -> None:
    code = new_code()
    assert len(code) == 6
    assert code.isdigit()
    assert hash_code("c1", code) != hash_code("c2", code)
    assert code not in hash_code("c1", code)


def test_right_code_passes_wrong_one_counts_down_VER_2() -> None:
    check_code("c1", "123456", _pending("123456"), NOW, 5)
    with pytest.raises(CodeRejected) as wrong:
        check_code("c1", "654321", _pending("123456", attempts=1), NOW, 5)
    assert wrong.value.attempts_left == 3


def test_exhausted_or_expired_code_is_refused_even_when_right_VER_2() -> None:
    with pytest.raises(CodeRejected, match="too many"):
        check_code("c1", "123456", _pending("123456", attempts=5), NOW, 5)
    with pytest.raises(CodeRejected, match="expired"):
        check_code("c1", "123456", _pending("123456", ttl=0), NOW, 5)
    with pytest.raises(CodeRejected, match="request a code"):
        check_code("c1", "123456", None, NOW, 5)


def test_sends_are_limited_VER_2() -> None:
    ensure_can_send(4, 5)
    with pytest.raises(StepRefused):
        ensure_can_send(5, 5)
