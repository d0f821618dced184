"""ORG-7: what blocks deleting an organization, from orgs' projection of billing's state."""

import pytest

from konto.orgs.domain.deletion import BillingState, blockers


def test_nothing_blocks_a_clean_or_unknown_account_ORG_7() -> None:
    assert blockers(None) == []  # billing never announced anything: nothing there
    assert blockers(BillingState()) == []


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        (BillingState(active_products=2), [("active_products", 2, None)]),
        (BillingState(balance_minor=1500), [("prepaid_balance", None, 1500)]),
        (BillingState(balance_minor=-200), [("prepaid_balance", None, -200)]),  # a debt
        (BillingState(open_invoices=1), [("open_invoices", 1, None)]),
        (BillingState(open_proformas=2), [("open_proformas", 2, None)]),  # BIL-4 transfers
        (
            BillingState(active_products=1, balance_minor=5, open_invoices=3),
            [
                ("active_products", 1, None),
                ("prepaid_balance", None, 5),
                ("open_invoices", 3, None),
            ],
        ),
    ],
)
def test_each_blocker_is_listed_with_its_count_or_amount_ORG_7(
    state: BillingState, expected: list[tuple[str, int | None, int | None]]
) -> None:
    assert [(b.reason, b.count, b.amount_minor) for b in blockers(state)] == expected


def test_blockers_as_json_name_the_amount_and_currency_ORG_7() -> None:
    (blocker,) = blockers(BillingState(balance_minor=1500, currency="EUR"))
    assert blocker.as_json() == {
        "reason": "prepaid_balance",
        "message": "prepaid balance of 15.00 EUR is not zero",
        "amount": {"minor": 1500, "currency": "EUR"},
    }


def test_a_pro_forma_awaiting_a_transfer_blocks_like_an_open_invoice_ORG_7_BIL_4() -> None:
    (blocker,) = blockers(BillingState(open_proformas=1))
    assert blocker.as_json() == {
        "reason": "open_proformas",
        "message": "1 pro-forma invoice(s) awaiting payment by bank transfer",
        "count": 1,
    }
