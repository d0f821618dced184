"""Pricing a selection of renewals (BIL-4) and the invoice PDF (BIL-5), without servers;
the sums are checked as properties (hypothesis)."""

import asyncio
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from konto.billing.domain.catalog import CATALOG
from konto.billing.domain.invoice_pdf import InvoiceDocument, render_invoice
from konto.billing.domain.money import Money
from konto.billing.domain.payments import Renewal, SelectionRejected, price_selection
from konto.billing.domain.vat import STANDARD_RATES_BP
from konto.billing.service.card import CardDeclined, TestCardProcessor


@st.composite
def renewals(draw: st.DrawFn) -> list[Renewal]:
    count = draw(st.integers(1, 5))
    out = []
    for i in range(count):
        code = draw(st.sampled_from(sorted(CATALOG)))
        months = draw(st.sampled_from(CATALOG[code].periods_months))
        day = draw(st.dates(date(2026, 1, 1), date(2040, 12, 31)))
        out.append(Renewal(f"p{i}", code, f"label {i}", day, months))
    return out


@given(renewals(), st.sampled_from(["CHF", "EUR"]), st.sampled_from(sorted(STANDARD_RATES_BP)))
def test_invoice_totals_add_up_exactly_BIL_4(
    selection: list[Renewal], currency: str, country: str
) -> None:
    priced = price_selection(selection, currency, country)  # type: ignore[arg-type]
    net = sum(line.net.minor for line in priced.lines)
    assert priced.taxed.net == Money(net, currency)  # type: ignore[arg-type]
    assert priced.taxed.gross.minor == net + priced.taxed.vat.minor
    rate = STANDARD_RATES_BP[country]
    assert abs(priced.taxed.vat.minor * 10_000 - net * rate) <= 5_000  # within half a cent
    for line, renewal in zip(priced.lines, selection, strict=True):
        assert line.period_from == renewal.renews_on
        assert line.period_to > line.period_from


def test_selection_rules_name_the_field_BIL_4() -> None:
    day = date(2030, 1, 31)
    with pytest.raises(SelectionRejected) as bad:
        price_selection([Renewal("a", "domain.ch", "x.ch", day, 6)], "CHF", "CH")
    assert bad.value.field == "items.0.months"
    twice = [Renewal("a", "hosting.web", "w", day, 1)] * 2
    with pytest.raises(SelectionRejected) as dup:
        price_selection(twice, "CHF", "CH")
    assert dup.value.field == "items.1.product_id"
    one = price_selection([Renewal("a", "hosting.web", "w", day, 1)], "CHF", "CH")
    assert one.lines[0].period_to == date(2030, 2, 28)


def test_invoice_pdf_names_its_number_BIL_5() -> None:
    priced = price_selection(
        [Renewal("a", "domain.ch", "muster.ch", date(2030, 1, 1), 24)], "CHF", "CH"
    )
    pdf = render_invoice(
        InvoiceDocument(
            number="2030-000007",
            issued_on=date(2030, 1, 1),
            seller="Konto Hosting AG",
            buyer_lines=["Muster AG", "Bahnhofstrasse 1", "8001 Zürich", "CH"],
            lines=priced.lines,
            taxed=priced.taxed,
            paid_with="card",
        )
    )
    assert pdf.startswith(b"%PDF")
    assert b"2030-000007" in pdf


def test_card_double_is_idempotent_by_key_BIL_4() -> None:
    processor = TestCardProcessor()

    async def scenario() -> None:
        first = await processor.charge(Money(100, "CHF"), "tok_visa", "k1")
        assert await processor.charge(Money(100, "CHF"), "tok_visa", "k1") == first
        assert (await processor.charge(Money(100, "CHF"), "tok_visa", "k2")) != first
        with pytest.raises(CardDeclined):
            await processor.charge(Money(100, "CHF"), "tok_declined", "k3")
        await processor.refund(first)  # the payment did not commit: a retry charges anew
        assert await processor.charge(Money(100, "CHF"), "tok_visa", "k1") != first

    asyncio.run(scenario())
