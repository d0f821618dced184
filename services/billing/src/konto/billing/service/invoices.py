"""Reading invoices (BIL-5): the list, and a short-lived download link to the PDF."""

from typing import Any

from konto.billing.service.common import Stores
from konto.billing.service.invoicing import invoice_json
from konto.common.errors import Problem


class InvoicesService:
    def __init__(self, stores: Stores, url_seconds: int) -> None:
        self.stores = stores
        self.url_seconds = url_seconds

    async def list(self, org_id: str) -> list[dict[str, Any]]:
        return [invoice_json(doc) for doc in await self.stores.invoices.of_org(org_id)]

    async def pdf_url(self, org_id: str, invoice_id: str) -> dict[str, Any]:
        doc = await self.stores.invoices.get(org_id, invoice_id)
        if doc is None:
            raise Problem(404, "Not found", "no such invoice", code="invoice-not-found")
        url = await self.stores.files.url(doc["pdf_key"], self.url_seconds)
        return {"number": doc["number"], "url": url, "expires_in": self.url_seconds}
