"""Gapless invoice sequence per year: drawn inside the transaction that writes the invoice, so
a rolled-back invoice returns its number (BIL-5)."""

from typing import Any

from pymongo.asynchronous.database import AsyncDatabase

from konto.billing.store.number_series import YearlyNumberSeries


class InvoiceNumbers(YearlyNumberSeries):
    def __init__(self, db: AsyncDatabase[dict[str, Any]]) -> None:
        super().__init__(db, "invoice_counters", "invoices")
