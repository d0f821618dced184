"""NOT-4: when a failed delivery is tried again."""

from datetime import UTC, datetime, timedelta

from konto.notify.domain.retry import RetryPolicy

POLICY = RetryPolicy(max_attempts=5, base_seconds=30, max_seconds=300)


def test_back_off_doubles_up_to_the_cap_NOT_4() -> None:
    delays = [POLICY.delay(n, jitter=1.0).total_seconds() for n in range(1, 7)]
    assert delays == [30, 60, 120, 240, 300, 300]


def test_jitter_spreads_the_retry_NOT_4() -> None:
    assert POLICY.delay(2, jitter=0.5) == timedelta(seconds=30)
    assert POLICY.delay(2, jitter=1.5) == timedelta(seconds=90)
    now = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)
    assert POLICY.next_attempt_at(now, 1, jitter=1.0) == now + timedelta(seconds=30)


def test_gives_up_after_max_attempts_NOT_4() -> None:
    assert not POLICY.gives_up(4)
    assert POLICY.gives_up(5)
