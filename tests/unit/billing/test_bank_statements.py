"""Bank transfer without servers (BIL-4, BIL-5): reading camt.054 notifications (001.02 to
001.08) into transactions with minor-unit amounts, matching a credit to a pro-forma, and the
pro-forma PDF with its Swiss QR-bill."""

import re
import zlib
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from konto.billing.config import BillingSettings
from konto.billing.domain.bank_matching import Expected, why_unmatched
from konto.billing.domain.camt054 import StatementRejected, Transaction, parse_camt054, to_minor
from konto.billing.domain.money import Money
from konto.billing.domain.payments import Line
from konto.billing.domain.proforma_pdf import (
    Creditor,
    ProformaDocument,
    amount_text,
    qr_bill_svg,
    render_proforma,
)
from konto.billing.domain.proformas import payment_reference
from konto.billing.domain.vat import add_vat

FIXTURE = Path(__file__).parent / "fixtures" / "camt054_v08.xml"

V02 = """<?xml version="1.0"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.02">
 <BkToCstmrDbtCdtNtfctn>
  <GrpHdr><MsgId>OLD-1</MsgId></GrpHdr>
  <Ntfctn><Acct><Id><IBAN>CH4431999123000889012</IBAN></Id></Acct>
   <Ntry><NtryRef>E-1</NtryRef><Amt Ccy="EUR">20.5</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts>
    <NtryDtls><TxDtls>
     <AmtDtls><TxAmt><Amt Ccy="EUR">20.5</Amt></TxAmt></AmtDtls>
     <RltdPties><Dbtr><Nm>Muster GmbH</Nm></Dbtr></RltdPties>
     <RmtInf><Strd><CdtrRefInf><Ref>rf18 5390 0754 7034</Ref></CdtrRefInf></Strd></RmtInf>
    </TxDtls></NtryDtls>
   </Ntry>
  </Ntfctn>
 </BkToCstmrDbtCdtNtfctn>
</Document>"""


def test_fixture_statement_is_read_whole_BIL_4() -> None:
    statement = parse_camt054(FIXTURE.read_bytes())
    assert (statement.message_id, statement.version, statement.account) == (
        "20261121375204-0001",
        "camt.054.001.08",
        "CH4431999123000889012",
    )
    first, second, unreferenced, debit, pending = statement.transactions
    # A batch booking: each transfer with its own bank reference, amount and reference.
    assert first == Transaction(
        entry_id="261121CH0A1B2C3D-1",
        direction="CRDT",
        booked=True,
        minor=123_420,
        currency="CHF",
        reference="000000000000002026000000012",
        booked_on="2026-11-21",
        debtor="Muster AG",
    )
    assert (second.entry_id, second.minor, second.reference) == (
        "261121CH0A1B2C3D-2",
        5_000,
        "RF75202600000001",  # spaces of the printed form removed
    )
    assert unreferenced.reference is None
    assert unreferenced.minor == 9_995
    assert debit.direction == "DBIT"
    assert pending.booked is False


def test_older_versions_keep_amounts_and_status_elsewhere_BIL_4() -> None:
    [tx] = parse_camt054(V02.encode()).transactions
    assert (tx.entry_id, tx.minor, tx.currency, tx.booked) == ("E-1", 2_050, "EUR", True)
    assert (tx.reference, tx.debtor) == ("RF18539007547034", "Muster GmbH")


@pytest.mark.parametrize(
    "xml",
    [
        b"not xml",
        b'<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08"/>',
        b'<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.09"/>',
        b'<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.08">'
        b"<BkToCstmrDbtCdtNtfctn/></Document>",
        # An entity bomb: the DTD alone is refused, nothing is expanded.
        b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;">]>'
        b'<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.08">&b;</Document>',
    ],
)
def test_anything_but_a_camt054_is_refused_BIL_4(xml: bytes) -> None:
    with pytest.raises(StatementRejected):
        parse_camt054(xml)


@given(st.integers(0, 10**13))
def test_amounts_become_minor_units_without_floats_BIL_4(minor: int) -> None:
    whole, cents = divmod(minor, 100)
    assert to_minor(f"{whole}.{cents:02d}") == minor
    assert to_minor(str(Decimal(minor) / 100)) == minor
    assert amount_text(Money(minor, "CHF")) == f"{whole}.{cents:02d}"


@pytest.mark.parametrize("bad", ["1.005", "-1.00", "1e3", "", "12,50", "NaN"])
def test_amounts_billing_cannot_book_are_unreadable_BIL_4(bad: str) -> None:
    assert to_minor(bad) is None


def _tx(**fields: object) -> Transaction:
    base: dict[str, object] = {
        "entry_id": "E",
        "direction": "CRDT",
        "booked": True,
        "minor": 12_842,
        "currency": "CHF",
        "reference": "000000000000002026000000012",
        "booked_on": None,
        "debtor": None,
    }
    return Transaction(**(base | fields))  # type: ignore[arg-type]


OPEN = Expected("awaiting_payment", 12_842, "CHF")


@pytest.mark.parametrize(
    ("tx", "expected", "reason"),
    [
        (_tx(), OPEN, None),
        (_tx(booked=False), OPEN, "not_booked"),
        (_tx(reference=None), OPEN, "no_reference"),
        (_tx(), None, "unknown_reference"),
        (_tx(), Expected("paid", 12_842, "CHF"), "not_open"),
        (_tx(currency="EUR"), OPEN, "currency_mismatch"),
        (_tx(minor=12_841), OPEN, "amount_mismatch"),
        (_tx(minor=12_843), OPEN, "amount_mismatch"),
        (_tx(minor=None), OPEN, "unreadable_amount"),
    ],
)
def test_a_credit_pays_only_its_open_proforma_exactly_BIL_4(
    tx: Transaction, expected: Expected | None, reason: str | None
) -> None:
    assert why_unmatched(tx, expected) == reason


CREDITOR = Creditor(
    name="Konto Hosting AG",
    street="Musterstrasse 1",
    postcode="8000",
    city="Zuerich",
    country="CH",
    iban="CH4431999123000889012",
)
BUYER = {
    "name": "Muster AG",
    "street": "Bahnhofstrasse 1",
    "postcode": "8001",
    "city": "Zürich",
    "country": "CH",
    "vat_id": "CHE-116.281.710 MWST",
}


def _document(currency: str, country: str) -> ProformaDocument:
    net = Money(11_880, currency)  # type: ignore[arg-type]
    line = Line("p1", "Web hosting web-1", 12, date(2030, 1, 1), date(2031, 1, 1), net)
    return ProformaDocument(
        number="PF-2026-000001",
        issued_on=date(2026, 11, 21),
        seller="Konto Hosting AG\nMusterstrasse 1\n8000 Zuerich",
        buyer=BUYER | {"country": country},
        lines=[line],
        taxed=add_vat(net, country),
        reference=payment_reference(currency, 2026, 1),  # type: ignore[arg-type]
        creditor=CREDITOR
        if currency == "CHF"
        else Creditor(**{**CREDITOR.__dict__, "iban": "CH9300762011623852957"}),
    )


def _page_text(pdf: bytes) -> bytes:
    streams = re.findall(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S)
    out = []
    for stream in streams:
        try:
            out.append(zlib.decompress(stream))
        except zlib.error:
            out.append(stream)
    return b"\n".join(out)


def test_chf_proforma_carries_a_qr_bill_BIL_4_BIL_5() -> None:
    doc = _document("CHF", "CH")
    svg = qr_bill_svg(doc)
    assert svg.startswith("<?xml")
    assert "<svg" in svg
    pdf = render_proforma(doc)
    assert pdf.startswith(b"%PDF")
    text = _page_text(pdf)
    assert b"00 00000 00000 00202 60000 00012" in text  # the QR reference, as printed
    assert b"Payment part" in text
    assert b"Receipt" in text
    assert b"128.42" in text  # 118.80 + 8.1 % VAT


def test_eur_proforma_names_the_rf_reference_without_qr_bill_BIL_4() -> None:
    text = _page_text(render_proforma(_document("EUR", "DE")))
    assert b"RF75 2026 0000 0001" in text
    assert b"Payment part" not in text


@pytest.mark.parametrize(
    ("setting", "value", "message"),
    [
        ("bank_qr_iban", "CH9300762011623852957", "QR-IBAN"),  # an ordinary IBAN
        ("bank_iban", "CH00 1234", "EUR account"),
        ("bank_creditor_country", "ZZ", "creditor address"),
        ("bank_creditor_name", "x" * 71, "creditor address"),
    ],
)
def test_settings_refuse_accounts_a_proforma_cannot_name_BIL_4(
    setting: str, value: str, message: str
) -> None:
    with pytest.raises(ValidationError, match=message):
        BillingSettings(**{setting: value})  # type: ignore[arg-type]
