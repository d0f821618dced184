"""BIL-7 rules: a request waits for the link, a confirmed one is final, renewals past the end
are not due but an overdue fee stays due, the product is retired on its end date, the other
administrators are told."""

from datetime import UTC, date, datetime, timedelta

import pytest

from konto.billing.domain.cancellation import (
    CancellationRefused,
    administrators_to_tell,
    check_confirmable,
    check_requestable,
    confirm_url,
    due_to_end,
    hash_link_token,
    new_link_token,
    still_due,
)

NOW = datetime(2026, 11, 21, tzinfo=UTC)


def test_link_token_is_stored_hashed_BIL_7() -> None:
    token = new_link_token()
    assert hash_link_token(token) != token
    assert confirm_url("https://console/", token) == f"https://console/billing/cancellation/{token}"


def test_confirm_only_a_waiting_unexpired_request_BIL_7() -> None:
    waiting = {"status": "requested", "expires_at": NOW + timedelta(days=1)}
    check_confirmable(waiting, NOW)
    with pytest.raises(CancellationRefused, match="expired"):
        check_confirmable(waiting, NOW + timedelta(days=1))
    with pytest.raises(CancellationRefused):
        check_confirmable(None, NOW)
    with pytest.raises(CancellationRefused, match="already"):
        check_requestable({"status": "confirmed"})
    check_requestable(waiting)  # asking again sends a new link


def test_renewal_past_the_end_is_not_due_but_open_fees_are_BIL_7() -> None:
    assert still_due(date(2027, 1, 1), None)
    assert not still_due(date(2027, 1, 1), date(2027, 1, 1))
    assert still_due(date(2026, 10, 1), date(2026, 11, 21))  # overdue: stays due
    # Also once the end has passed: the renewal at the end is not due, the open fee still is.
    assert not still_due(date(2027, 1, 1), date(2027, 1, 1))
    assert still_due(date(2026, 10, 1), date(2026, 11, 21))


def test_confirmed_products_are_due_to_end_on_their_end_date_BIL_7() -> None:
    confirmed = {"status": "confirmed", "ends_on": "2027-01-01"}
    assert not due_to_end(confirmed, date(2026, 12, 31))  # the paid period still runs
    assert due_to_end(confirmed, date(2027, 1, 1))
    assert due_to_end(confirmed, date(2027, 3, 1))  # a late job catches up
    waiting = {"status": "requested", "expires_at": NOW}
    assert not due_to_end(waiting, date(2030, 1, 1))  # never confirmed: keeps running
    assert not due_to_end(None, date(2030, 1, 1))


def test_other_administrators_are_told_BIL_7() -> None:
    members = [("a", "administrator"), ("b", "legal_representative"), ("c", "collaborator")]
    assert administrators_to_tell(members, "a") == ["b"]
