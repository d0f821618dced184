"""Invoice PDFs in object storage (BIL-5), downloaded through presigned URLs."""

from konto.common.s3 import ObjectStore


class InvoiceFiles:
    def __init__(self, store: ObjectStore) -> None:
        self.store = store

    @staticmethod
    def key(org_id: str, invoice_id: str) -> str:
        return f"invoices/{org_id}/{invoice_id}.pdf"

    async def put(self, key: str, pdf: bytes) -> None:
        await self.store.put(key, pdf, "application/pdf")

    async def url(self, key: str, expires_seconds: int) -> str:
        return await self.store.presigned_get(key, expires_seconds)
