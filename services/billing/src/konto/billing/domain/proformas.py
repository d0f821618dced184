"""Pro-forma invoices for bank transfers (BIL-4): their own number series (`PF-2026-000001`, so
an unpaid one never takes a gapless invoice number) and the payment reference each carries."""

from datetime import datetime, timedelta

from konto.billing.domain.money import Currency
from konto.billing.domain.references import creditor_reference, qr_reference


def proforma_number(year: int, sequence: int) -> str:
    if sequence < 1:
        raise ValueError("sequences start at 1")
    return f"PF-{year}-{sequence:06d}"


def payment_reference(currency: Currency, year: int, sequence: int) -> str:
    """Unique per pro-forma, as its number is: CHF a QR reference (the QR-bill with a QR-IBAN
    requires one), EUR an ISO 11649 creditor reference."""
    if sequence < 1:
        raise ValueError("sequences start at 1")
    payload = f"{year}{sequence:08d}"
    return qr_reference(payload) if currency == "CHF" else creditor_reference(payload)


def lapses_at(issued_at: datetime, payment_days: int) -> datetime:
    """When an unpaid pro-forma becomes void: `payment_days` whole days after it was issued."""
    if payment_days < 1:
        raise ValueError("the payment period is at least one day")
    return issued_at + timedelta(days=payment_days)


def lapse_cutoff(now: datetime, payment_days: int) -> datetime:
    """Pro-formas issued before this are due to lapse at `now` (the store's query bound)."""
    return now - timedelta(days=payment_days)


def is_lapsed(status: str, issued_at: datetime, payment_days: int, now: datetime) -> bool:
    """Only an unpaid one lapses, once its payment period is over; paid or closed ones never."""
    return status == "awaiting_payment" and now >= lapses_at(issued_at, payment_days)
