"""Sliding-window throttle and lock rules (AUTH-5)."""

from datetime import UTC, datetime, timedelta

from konto.auth.domain.throttle import identifier_key, reaches_lock, retry_after

NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)
WINDOW = timedelta(seconds=60)


def _ago(*seconds: float) -> list[datetime]:
    return [NOW - timedelta(seconds=s) for s in seconds]


def test_under_the_limit_may_try_now_AUTH_5() -> None:
    assert retry_after(_ago(1, 2), max_failures=3, window=WINDOW, now=NOW) is None
    assert retry_after([], max_failures=1, window=WINDOW, now=NOW) is None


def test_at_the_limit_waits_for_the_oldest_counted_failure_to_slide_out_AUTH_5() -> None:
    # Newest three: 1, 10, 40 s ago; the 40 s one leaves the 60 s window in 20 s.
    assert retry_after(_ago(10, 1, 40), max_failures=3, window=WINDOW, now=NOW) == 20
    # More failures than the limit: only the newest `max` decide.
    assert retry_after(_ago(1, 10, 40, 50), max_failures=3, window=WINDOW, now=NOW) == 20


def test_failures_outside_the_window_do_not_count_AUTH_5() -> None:
    assert retry_after(_ago(1, 2, 61), max_failures=3, window=WINDOW, now=NOW) is None


def test_wait_is_at_least_one_second_AUTH_5() -> None:
    assert retry_after(_ago(59.9), max_failures=1, window=WINDOW, now=NOW) == 1


def test_lock_after_threshold_consecutive_failures_AUTH_5() -> None:
    assert not reaches_lock(9, 10)
    assert reaches_lock(10, 10)
    assert reaches_lock(11, 10)


def test_unknown_and_known_ids_share_one_key_form_AUTH_5() -> None:
    assert identifier_key("Anna@Example.CH", "anna@example.ch") == "anna@example.ch"
    assert identifier_key("  Not An Email ", None) == "not an email"
