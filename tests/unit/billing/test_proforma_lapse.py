"""When an unpaid pro-forma lapses (BIL-4), and what a transfer arriving for a void one is told:
pure rules, no servers."""

from datetime import UTC, datetime, timedelta

import pytest

from konto.billing.domain.bank_matching import Expected, closed_reason, why_unmatched
from konto.billing.domain.camt054 import Transaction
from konto.billing.domain.proformas import is_lapsed, lapse_cutoff, lapses_at

ISSUED = datetime(2026, 11, 21, 19, 30, tzinfo=UTC)


def test_an_unpaid_proforma_lapses_after_the_whole_payment_period_BIL_4() -> None:
    assert lapses_at(ISSUED, 30) == datetime(2026, 12, 21, 19, 30, tzinfo=UTC)
    just_before = ISSUED + timedelta(days=30) - timedelta(seconds=1)
    assert not is_lapsed("awaiting_payment", ISSUED, 30, just_before)
    assert is_lapsed("awaiting_payment", ISSUED, 30, ISSUED + timedelta(days=30))
    assert is_lapsed("awaiting_payment", ISSUED, 30, ISSUED + timedelta(days=400))


@pytest.mark.parametrize("status", ["paid", "lapsed", "cancelled"])
def test_only_an_open_proforma_lapses_BIL_4(status: str) -> None:
    assert not is_lapsed(status, ISSUED, 30, ISSUED + timedelta(days=31))


def test_the_cutoff_selects_exactly_the_due_ones_BIL_4() -> None:
    now = ISSUED + timedelta(days=30)
    cutoff = lapse_cutoff(now, 30)
    assert cutoff == ISSUED  # issued at or before the cutoff: due (the store's `$lte`)
    for issued in (cutoff - timedelta(seconds=1), cutoff, cutoff + timedelta(seconds=1)):
        assert is_lapsed("awaiting_payment", issued, 30, now) == (issued <= cutoff)


def test_a_payment_period_is_at_least_a_day_BIL_4() -> None:
    with pytest.raises(ValueError, match="at least one day"):
        lapses_at(ISSUED, 0)


def _credit() -> Transaction:
    return Transaction(
        entry_id="E",
        direction="CRDT",
        booked=True,
        minor=12_842,
        currency="CHF",
        reference="000000000000002026000000012",
        booked_on=None,
        debtor=None,
    )


@pytest.mark.parametrize(
    ("status", "reason"),
    [("lapsed", "proforma_lapsed"), ("cancelled", "proforma_cancelled"), ("paid", "not_open")],
)
def test_a_transfer_for_a_void_proforma_goes_to_support_with_the_reason_BIL_4(
    status: str, reason: str
) -> None:
    """Even for exactly the amount: the order is gone, support refunds or re-issues."""
    assert why_unmatched(_credit(), Expected(status, 12_842, "CHF")) == reason
    assert closed_reason(status) == reason
