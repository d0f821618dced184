"""The privacy purge's rules with an injected clock (VER-4)."""

from datetime import UTC, datetime, timedelta

from konto.verification.domain.purge import KEPT_FIELDS, erased_fields, purge_action
from konto.verification.domain.review import queue_order, wait_of

SUBMITTED = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)
H72 = timedelta(hours=72)
LINK_EXPIRES = SUBMITTED + timedelta(days=2)


def _action(status: str, now: datetime, erased_at: datetime | None = None) -> str | None:
    action = purge_action(
        status=status,
        submitted_at=SUBMITTED if status != "open" else None,
        expires_at=LINK_EXPIRES,
        erased_at=erased_at,
        now=now,
        undecided_after=H72,
    )
    return action.status if action else None


def test_undecided_case_is_kept_until_72_hours_after_submission_VER_4() -> None:
    assert _action("submitted", SUBMITTED + H72 - timedelta(seconds=1)) is None
    assert _action("submitted", SUBMITTED + H72) == "expired"


def test_decided_case_keeps_only_its_outcome_VER_4() -> None:
    assert _action("approved", SUBMITTED + timedelta(minutes=5)) == "approved"
    assert _action("rejected", SUBMITTED + timedelta(minutes=5)) == "rejected"
    case = {
        "_id": "c1",
        "status": "approved",
        "reason": "account_unlock",
        "email": "a@example.ch",
        "mobile": "+41791234567",
        "geolocation": {"consent": True},
        "files": {"front": {}},
        "decision_reason": "matches",
    }
    assert erased_fields(case) == ["decision_reason", "email", "files", "geolocation", "mobile"]
    assert {"_id", "status", "reason"} <= KEPT_FIELDS


def test_open_case_is_erased_once_its_link_expired_VER_4() -> None:
    assert _action("open", LINK_EXPIRES - timedelta(seconds=1)) is None
    assert _action("open", LINK_EXPIRES) == "expired"


def test_purge_is_idempotent_VER_4() -> None:
    later = SUBMITTED + timedelta(days=30)
    for status in ("open", "submitted", "approved", "rejected", "expired"):
        assert _action(status, later, erased_at=SUBMITTED + H72) is None


def test_queue_waits_against_the_two_hour_target_VER_3() -> None:
    wait = wait_of(SUBMITTED, SUBMITTED + timedelta(hours=2, minutes=1), timedelta(hours=2))
    assert (wait.waited_seconds, wait.target_seconds, wait.overdue) == (7260, 7200, True)
    assert not wait_of(SUBMITTED, SUBMITTED + timedelta(hours=1), timedelta(hours=2)).overdue
    earlier = SUBMITTED - timedelta(hours=1)
    assert sorted([(2, earlier), (1, SUBMITTED)], key=lambda c: queue_order(*c))[0][0] == 1
