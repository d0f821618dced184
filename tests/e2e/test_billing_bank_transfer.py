"""Bank transfer over the real servers (BIL-4, BIL-5): paying renewals or checking out an order
by bank transfer gives a pro-forma invoice (own number series, structured reference, PDF in S3
with a Swiss QR-bill for CHF) and renews or delivers nothing; support imports the bank's
camt.054 notification, a credit for exactly the amount pays it (invoice with a gapless number,
renewal moved on, order completed); importing again changes nothing; a wrong amount or an
unknown reference is reported unmatched and kept for support."""

import os
import re
import subprocess
import sys
import uuid
import zlib
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest

from konto.billing.domain.references import is_creditor_reference, is_qr_reference, printed
from konto.common.events import InvoiceIssuedV1, ProformaIssuedV1
from tests.support.billing import add_address, add_product, billing_events, billing_org, get, post
from tests.support.identity import Person, new_person
from tests.support.processes import ServiceProcess
from tests.support.servers import MONGO_URL

pytestmark = pytest.mark.servers

QR_IBAN_PRINTED = b"CH44 3199 9123 0008 8901 2"  # the QR-bill prints the account in groups


def _staff(auth: ServiceProcess, run_id: str) -> Person:
    agent = new_person(auth)
    env = {
        **os.environ,
        "KONTO_BILLING_MONGO_URL": MONGO_URL,
        "KONTO_BILLING_MONGO_DB": f"t{run_id}_billing",
    }
    done = subprocess.run(
        [sys.executable, "-m", "konto.billing.cli", "add-staff", agent.user_id],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return agent


def _amount(money: dict[str, Any]) -> str:
    whole, cents = divmod(money["minor"], 100)
    return f"{whole}.{cents:02d}"


def camt054(message_id: str, credits: list[tuple[str, str, str, str | None]]) -> bytes:
    """A camt.054.001.08 notification: one booked credit entry per (bank reference, amount,
    currency, structured reference)."""
    entries = []
    for bank_ref, amount, currency, reference in credits:
        remittance = (
            f"<RmtInf><Strd><CdtrRefInf><Ref>{reference}</Ref></CdtrRefInf></Strd></RmtInf>"
            if reference
            else ""
        )
        entries.append(
            f'<Ntry><Amt Ccy="{currency}">{amount}</Amt><CdtDbtInd>CRDT</CdtDbtInd>'
            f"<Sts><Cd>BOOK</Cd></Sts><BookgDt><Dt>2026-11-21</Dt></BookgDt>"
            f"<AcctSvcrRef>{bank_ref}</AcctSvcrRef><NtryDtls><TxDtls>"
            f"<Refs><AcctSvcrRef>{bank_ref}</AcctSvcrRef></Refs>"
            f'<Amt Ccy="{currency}">{amount}</Amt>'
            f"<CdtDbtInd>CRDT</CdtDbtInd>{remittance}</TxDtls></NtryDtls></Ntry>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.08">'
        f"<BkToCstmrDbtCdtNtfctn><GrpHdr><MsgId>{message_id}</MsgId>"
        "<CreDtTm>2026-11-21T18:00:00</CreDtTm></GrpHdr><Ntfctn><Id>N1</Id>"
        "<Acct><Id><IBAN>CH4431999123000889012</IBAN></Id></Acct>"
        f"{''.join(entries)}</Ntfctn></BkToCstmrDbtCdtNtfctn></Document>"
    ).encode()


def _import(billing: ServiceProcess, person: Person, xml: bytes) -> httpx.Response:
    headers = {**person.headers, "content-type": "application/xml"}
    return httpx.post(f"{billing.url}/v1/bank-statements", content=xml, headers=headers, timeout=60)


def _pdf_text(pdf: bytes) -> bytes:
    """The PDF's page content, inflated: fpdf2 compresses its streams."""
    out = []
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            out.append(zlib.decompress(stream))
        except zlib.error:
            out.append(stream)
    return b"\n".join(out)


def test_renewals_paid_by_bank_transfer_after_camt054_import_BIL_4_BIL_5(
    auth: ServiceProcess, orgs: ServiceProcess, billing: ServiceProcess, run_id: str
) -> None:
    owner, org = billing_org(auth, orgs, billing, "Transfer AG")
    base = f"/v1/orgs/{org}"
    domain = add_product(billing, owner, org, "domain.ch", "transfer.ch", renews_on="2030-01-15")
    web = add_product(billing, owner, org, "hosting.web", "web-tr", renews_on="2030-02-20")
    add_address(billing, owner, org)

    # Pay the domain by bank transfer: a pro-forma, idempotent by key, nothing renewed yet.
    selection = {"items": [{"product_id": domain["id"], "months": 12}], "method": "bank_transfer"}
    key = uuid.uuid4().hex
    answer = post(billing, owner, f"{base}/payments", selection, key=key)
    assert answer.status_code == 202, answer.text
    assert post(billing, owner, f"{base}/payments", selection, key=key).json() == answer.json()
    proforma = answer.json()["proforma"]
    assert proforma["status"] == "awaiting_payment"
    assert re.fullmatch(r"PF-\d{4}-\d{6}", proforma["number"])
    payment = proforma["payment"]
    assert is_qr_reference(payment["reference"])
    assert (payment["reference_type"], payment["iban"]) == ("QRR", "CH4431999123000889012")
    total = proforma["total"]
    assert total == {"minor": 125 * 12 + 122, "currency": "CHF"}  # 15.00 + 8.1 % VAT
    assert get(billing, owner, f"{base}/invoices").json() == []
    products = {p["id"]: p for p in get(billing, owner, f"{base}/products").json()}
    assert products[domain["id"]]["renews_on"] == "2030-01-15"
    [listed] = get(billing, owner, f"{base}/proformas").json()
    assert listed["id"] == proforma["id"]

    # The PDF in S3: the reference, and the QR-bill's payment part with the QR-IBAN.
    link = get(billing, owner, f"{base}/proformas/{proforma['id']}/pdf")
    assert link.status_code == 200, link.text
    pdf = httpx.get(link.json()["url"], timeout=30)
    assert pdf.content.startswith(b"%PDF")
    text = _pdf_text(pdf.content)
    assert printed(payment["reference"]).encode() in text
    assert QR_IBAN_PRINTED in text
    assert _amount(total).encode() in text
    assert get(billing, owner, f"{base}/proformas/{uuid.uuid4()}/pdf").status_code == 404

    # A second pro-forma, for the hosting, that a wrong amount will not pay.
    other = post(
        billing,
        owner,
        f"{base}/payments",
        {"items": [{"product_id": web["id"], "months": 1}], "method": "bank_transfer"},
    )
    assert other.status_code == 202, other.text
    other_proforma = other.json()["proforma"]
    assert other_proforma["number"] != proforma["number"]

    # Only billing support may import statements.
    staff = _staff(auth, run_id)
    paid_ref, short_ref, stray_ref = (f"BANK-{uuid.uuid4().hex[:12]}" for _ in range(3))
    xml = camt054(
        f"MSG-{uuid.uuid4().hex}",
        [
            (paid_ref, _amount(total), "CHF", payment["reference"]),
            (short_ref, "1.00", "CHF", other_proforma["payment"]["reference"]),
            (stray_ref, "50.00", "CHF", "RF18539007547034"),
        ],
    )
    refused = _import(billing, owner, xml)
    assert refused.status_code == 403
    assert refused.json()["type"].endswith("/not-staff")
    bad = _import(billing, staff, b"<?xml version='1.0'?><!DOCTYPE x [<!ENTITY a 'b'>]><x>&a;</x>")
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "body"

    imported = _import(billing, staff, xml)
    assert imported.status_code == 201, imported.text
    report = imported.json()
    [matched] = report["matched"]
    assert (matched["entry_id"], matched["proforma_id"]) == (paid_ref, proforma["id"])
    reasons = {u["entry_id"]: u["reason"] for u in report["unmatched"]}
    assert reasons == {short_ref: "amount_mismatch", stray_ref: "unknown_reference"}

    # Paid: the invoice (gapless series, bank transfer), the renewal moved on by a year.
    [invoice] = get(billing, owner, f"{base}/invoices").json()
    assert invoice["id"] == matched["invoice_id"]
    assert (invoice["method"], invoice["total"]) == ("bank_transfer", total)
    assert re.fullmatch(r"\d{4}-\d{6}", invoice["number"])
    products = {p["id"]: p for p in get(billing, owner, f"{base}/products").json()}
    assert products[domain["id"]]["renews_on"] == "2031-01-15"
    assert products[web["id"]]["renews_on"] == "2030-02-20"  # the short transfer paid nothing
    now_paid = get(billing, owner, f"{base}/proformas/{proforma['id']}").json()
    assert (now_paid["status"], now_paid["invoice_id"]) == ("paid", invoice["id"])
    still_open = get(billing, owner, f"{base}/proformas/{other_proforma['id']}").json()
    assert still_open["status"] == "awaiting_payment"

    # The same statement again, and the same credit in another statement: nothing changes.
    again = _import(billing, staff, xml)
    assert again.status_code == 200
    assert again.json() == report
    repeated = _import(
        billing, staff, camt054(f"MSG-{uuid.uuid4().hex}", [xml_credit(paid_ref, total, payment)])
    )
    assert repeated.status_code == 201
    assert (repeated.json()["matched"], repeated.json()["duplicates"]) == ([], [paid_ref])
    assert len(get(billing, owner, f"{base}/invoices").json()) == 1
    products = {p["id"]: p for p in get(billing, owner, f"{base}/products").json()}
    assert products[domain["id"]]["renews_on"] == "2031-01-15"

    # Support finds the unmatched credits again; members of organizations do not.
    kept = httpx.get(f"{billing.url}/v1/bank-statements/{report['id']}", headers=staff.headers)
    assert kept.status_code == 200
    assert {u["entry_id"] for u in kept.json()["unmatched"]} == {short_ref, stray_ref}
    hidden = httpx.get(f"{billing.url}/v1/bank-statements/{report['id']}", headers=owner.headers)
    assert hidden.status_code == 403

    issued = billing_events(
        org, lambda e: isinstance(e, ProformaIssuedV1 | InvoiceIssuedV1), count=3
    )
    assert [type(e).__name__ for e in issued] == [
        "ProformaIssuedV1",
        "ProformaIssuedV1",
        "InvoiceIssuedV1",
    ]
    first = issued[0]
    assert isinstance(first, ProformaIssuedV1)
    assert (first.data.reference, first.data.issued_by) == (payment["reference"], owner.user_id)


def xml_credit(
    bank_ref: str, total: dict[str, Any], payment: dict[str, Any]
) -> tuple[str, str, str, str | None]:
    return (bank_ref, _amount(total), total["currency"], payment["reference"])


def test_order_checked_out_by_bank_transfer_is_completed_on_payment_BIL_4_BIL_3(
    auth: ServiceProcess, orgs: ServiceProcess, billing: ServiceProcess, run_id: str
) -> None:
    owner, org = billing_org(auth, orgs, billing, "Transfer GmbH")
    base = f"/v1/orgs/{org}"
    add_address(billing, owner, org, country="DE", iban=None, vat_id=None)  # EUR
    order = post(
        billing,
        owner,
        f"{base}/orders",
        {"lines": [{"product_type": "hosting.web", "months": 12, "label": "shop-tr"}]},
    )
    assert order.status_code == 201, order.text
    order_id = order.json()["id"]

    checkout = post(
        billing, owner, f"{base}/orders/{order_id}/checkout", {"method": "bank_transfer"}
    )
    assert checkout.status_code == 202, checkout.text
    waiting, proforma = checkout.json()["order"], checkout.json()["proforma"]
    assert (waiting["status"], waiting["proforma_id"]) == ("awaiting_payment", proforma["id"])
    assert proforma["purpose"] == "order"
    reference = proforma["payment"]["reference"]
    assert is_creditor_reference(reference)
    assert proforma["payment"]["reference_type"] == "SCOR"
    assert get(billing, owner, f"{base}/products").json() == []  # nothing delivered unpaid
    again = post(
        billing,
        owner,
        f"{base}/orders/{order_id}/checkout",
        {"method": "card", "card_token": "tok_visa"},
    )
    assert again.status_code == 409  # awaiting the transfer: not open for another checkout

    link = get(billing, owner, f"{base}/proformas/{proforma['id']}/pdf").json()
    text = _pdf_text(httpx.get(link["url"], timeout=30).content)
    assert printed(reference).encode() in text
    assert QR_IBAN_PRINTED not in text  # EUR: no QR-bill, the IBAN and RF reference only

    staff = _staff(auth, run_id)
    bank_ref = f"BANK-{uuid.uuid4().hex[:12]}"
    imported = _import(
        billing,
        staff,
        camt054(
            f"MSG-{uuid.uuid4().hex}",
            [(bank_ref, _amount(proforma["total"]), "EUR", printed(reference))],
        ),
    )
    assert imported.status_code == 201, imported.text
    [matched] = imported.json()["matched"]

    done = get(billing, owner, f"{base}/orders/{order_id}").json()
    assert done["status"] == "completed"
    assert done["invoice_id"] == matched["invoice_id"]
    [product] = get(billing, owner, f"{base}/products").json()
    assert product["label"] == "shop-tr"
    [invoice] = get(billing, owner, f"{base}/invoices").json()
    assert (invoice["method"], invoice["total"]) == ("bank_transfer", proforma["total"])


def test_one_credit_pays_once_under_concurrent_imports_BIL_4_X_4(
    auth: ServiceProcess, orgs: ServiceProcess, billing: ServiceProcess, run_id: str
) -> None:
    """Two statements bringing the same credit at once, and a second credit for the paid
    pro-forma: one invoice, one renewal; the rest is reported, not booked."""
    owner, org = billing_org(auth, orgs, billing, "Race Transfer AG")
    base = f"/v1/orgs/{org}"
    product = add_product(billing, owner, org, "hosting.web", "race-tr", renews_on="2030-03-01")
    add_address(billing, owner, org)
    selection = {"items": [{"product_id": product["id"], "months": 1}], "method": "bank_transfer"}
    answer = post(billing, owner, f"{base}/payments", selection)
    assert answer.status_code == 202, answer.text
    proforma = answer.json()["proforma"]
    staff = _staff(auth, run_id)
    credit = xml_credit(f"BANK-{uuid.uuid4().hex[:12]}", proforma["total"], proforma["payment"])
    statements = [camt054(f"MSG-{uuid.uuid4().hex}", [credit]) for _ in range(2)]
    with ThreadPoolExecutor(max_workers=2) as pool:
        reports = [r.json() for r in pool.map(lambda x: _import(billing, staff, x), statements)]
    assert sorted(len(r["matched"]) for r in reports) == [0, 1], reports
    assert sorted(len(r["duplicates"]) for r in reports) == [0, 1], reports

    second = xml_credit(f"BANK-{uuid.uuid4().hex[:12]}", proforma["total"], proforma["payment"])
    late = _import(billing, staff, camt054(f"MSG-{uuid.uuid4().hex}", [second])).json()
    assert [u["reason"] for u in late["unmatched"]] == ["not_open"]  # paid already: support
    assert len(get(billing, owner, f"{base}/invoices").json()) == 1
    [renewed] = get(billing, owner, f"{base}/products").json()
    assert renewed["renews_on"] == "2030-04-01"
