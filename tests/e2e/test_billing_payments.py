"""Paying renewals (BIL-4) and the invoices they get (BIL-5): the renewals due in a window,
a selection paid as one by balance or card (idempotent by key), one invoice with a gapless
number and VAT by the address's country, its PDF downloaded through a presigned URL."""

import uuid
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from konto.common.events import AccountStateChangedV1, InvoiceIssuedV1
from tests.support.billing import (
    add_address,
    add_product,
    billing_events,
    billing_org,
    get,
    post,
)
from tests.support.processes import ServiceProcess

pytestmark = pytest.mark.servers


def test_pay_selection_by_balance_and_card_with_invoices_BIL_4_BIL_5(
    auth: ServiceProcess, orgs: ServiceProcess, billing: ServiceProcess
) -> None:
    owner, org = billing_org(auth, orgs, billing, "Pay AG")
    base = f"/v1/orgs/{org}"
    domain = add_product(billing, owner, org, "domain.ch", "pay.ch", renews_on="2030-01-15")
    web = add_product(billing, owner, org, "hosting.web", "web-pay", renews_on="2030-02-20")
    later = add_product(billing, owner, org, "mail.mailbox", "box", renews_on="2030-06-01")

    due = get(billing, owner, f"{base}/payments/due", **{"from": "2030-01-01", "to": "2030-03-01"})
    assert due.status_code == 200
    assert [p["id"] for p in due.json()["products"]] == [domain["id"], web["id"]]
    default_window = get(billing, owner, f"{base}/payments/due").json()
    assert default_window["products"] == []  # nothing renews in the next two months

    no_address = post(
        billing,
        owner,
        f"{base}/payments",
        {
            "items": [{"product_id": domain["id"], "months": 12}],
            "method": "card",
            "card_token": "tok_visa",
        },
    )
    assert no_address.status_code == 422
    assert no_address.json()["errors"][0]["field"] == "address_id"
    swiss = add_address(billing, owner, org)
    german = add_address(billing, owner, org, country="DE", iban=None, vat_id=None)

    # Two years of the domain and a year of hosting, as one payment from the balance.
    selection = {
        "items": [
            {"product_id": domain["id"], "months": 24},
            {"product_id": web["id"], "months": 12},
        ],
        "method": "balance",
    }
    too_poor = post(billing, owner, f"{base}/payments", selection)
    assert too_poor.status_code == 409
    assert (
        post(
            billing,
            owner,
            f"{base}/balance/top-ups",
            {"amount": 20_000, "currency": "CHF", "card_token": "tok_visa"},
        ).status_code
        == 201
    )
    bad_period = post(
        billing,
        owner,
        f"{base}/payments",
        {"items": [{"product_id": domain["id"], "months": 5}], "method": "balance"},
    )
    assert bad_period.status_code == 422
    assert bad_period.json()["errors"][0]["field"] == "items.0.months"

    key = uuid.uuid4().hex
    paid = post(billing, owner, f"{base}/payments", selection, key=key)
    assert paid.status_code == 201, paid.text
    retried = post(billing, owner, f"{base}/payments", selection, key=key)
    assert retried.json() == paid.json()  # the same invoice, nothing paid twice
    invoice = paid.json()["invoice"]
    net = 125 * 24 + 990 * 12  # 14'880
    vat = (net * 810 + 5_000) // 10_000  # 8.1 % rounded half up: 1'205
    assert invoice["net"] == {"minor": net, "currency": "CHF"}
    assert invoice["vat"] == {"minor": vat, "currency": "CHF"}
    assert invoice["total"] == {"minor": net + vat, "currency": "CHF"}
    assert invoice["address_id"] == swiss["id"]
    year, sequence = invoice["number"].split("-")
    products = {p["id"]: p for p in get(billing, owner, f"{base}/products").json()}
    assert products[domain["id"]]["renews_on"] == "2032-01-15"
    assert products[web["id"]]["renews_on"] == "2031-02-20"
    balance = get(billing, owner, f"{base}/balance").json()["balance"]
    assert balance == {"minor": 20_000 - net - vat, "currency": "CHF"}

    # The mailbox by card, to the German address: EUR and German VAT, the next number.
    by_card = post(
        billing,
        owner,
        f"{base}/payments",
        {
            "items": [{"product_id": later["id"], "months": 12}],
            "method": "card",
            "card_token": "tok_visa",
            "address_id": german["id"],
        },
    )
    assert by_card.status_code == 201, by_card.text
    second = by_card.json()["invoice"]
    assert second["total"] == {"minor": 3720 + 707, "currency": "EUR"}  # 19 % of 37.20
    assert second["vat_rate_bp"] == 1900
    assert second["number"].split("-")[0] == year
    assert int(second["number"].split("-")[1]) > int(sequence)

    listed = get(billing, owner, f"{base}/invoices").json()
    assert [i["number"] for i in listed] == [second["number"], invoice["number"]]

    link = get(billing, owner, f"{base}/invoices/{invoice['id']}/pdf")
    assert link.status_code == 200, link.text
    pdf = httpx.get(link.json()["url"])
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF")
    assert invoice["number"].encode() in pdf.content
    assert get(billing, owner, f"{base}/invoices/{uuid.uuid4()}/pdf").status_code == 404

    issued = billing_events(org, lambda e: isinstance(e, InvoiceIssuedV1), count=2)
    assert [e.data.number for e in issued if isinstance(e, InvoiceIssuedV1)] == [
        invoice["number"],
        second["number"],
    ]
    states = billing_events(org, lambda e: isinstance(e, AccountStateChangedV1), count=5)
    assert isinstance(states[-1], AccountStateChangedV1)
    assert states[-1].data.active_products == 3
    assert states[-1].data.balance.minor == 20_000 - net - vat


def test_one_renewal_is_paid_once_under_concurrency_BIL_4_X_4(
    auth: ServiceProcess, orgs: ServiceProcess, billing: ServiceProcess
) -> None:
    owner, org = billing_org(auth, orgs, billing, "Race AG")
    other_owner, other_org = billing_org(auth, orgs, billing, "Other AG")
    base = f"/v1/orgs/{org}"
    product = add_product(billing, owner, org, "hosting.web", "race", renews_on="2030-05-10")
    foreign = add_product(billing, other_owner, other_org, "hosting.web", "theirs")
    add_address(billing, owner, org)
    top_up = {"amount": 5_000, "currency": "CHF", "card_token": "tok_visa"}
    assert post(billing, owner, f"{base}/balance/top-ups", top_up).status_code == 201

    # Another organization's product is not in this one's reach.
    stolen = post(
        billing,
        owner,
        f"{base}/payments",
        {"items": [{"product_id": foreign["id"], "months": 1}], "method": "balance"},
    )
    assert stolen.status_code == 422
    assert stolen.json()["errors"][0]["field"] == "items.0.product_id"

    # Two payments of the same renewal at once (different keys): one wins, one is refused,
    # whether it reads the product before or after the winner commits.
    selection = {
        "items": [{"product_id": product["id"], "months": 1, "renews_on": "2030-05-10"}],
        "method": "balance",
    }
    with ThreadPoolExecutor(max_workers=2) as pool:
        answers = list(
            pool.map(lambda _: post(billing, owner, f"{base}/payments", selection), range(2))
        )
    assert sorted(a.status_code for a in answers) == [201, 409], [a.text for a in answers]
    assert len(get(billing, owner, f"{base}/invoices").json()) == 1
    [renewed] = get(billing, owner, f"{base}/products").json()
    assert renewed["renews_on"] == "2030-06-10"
    balance = get(billing, owner, f"{base}/balance").json()["balance"]
    assert balance["minor"] == 5_000 - (990 + 80)  # one month of hosting plus 8.1 % VAT
