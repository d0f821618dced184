"""Push approval states (AUTH-9): pending → approved or denied once, before it expires; a
decision taken in time stands for a late poll."""

from datetime import UTC, datetime, timedelta

from konto.auth.domain.approvals import can_decide, outcome, status_after

NOW = datetime(2026, 11, 21, 12, 0, 0, tzinfo=UTC)
LATER = NOW + timedelta(seconds=120)


def test_decisions_map_to_states_AUTH_9() -> None:
    assert status_after("approve") == "approved"
    assert status_after("deny") == "denied"


def test_only_a_pending_unexpired_approval_takes_a_decision_AUTH_9() -> None:
    assert can_decide("pending", LATER, NOW)
    assert not can_decide("pending", NOW, NOW)
    assert not can_decide("approved", LATER, NOW)
    assert not can_decide("denied", LATER, NOW)


def test_what_the_waiting_login_sees_AUTH_9() -> None:
    assert outcome("pending", LATER, NOW) == "pending"
    assert outcome("pending", NOW, LATER) == "expired"
    assert outcome("approved", NOW, LATER) == "approved"
    assert outcome("denied", NOW, LATER) == "denied"
