"""Logo files (ORG-8) in S3 through `konto.common.s3`. Every upload gets a new key, so a
presigned URL handed out earlier never shows a half-replaced file and a failed transaction
leaves at most an orphan object, never a document pointing at nothing."""

from konto.common.s3 import ObjectStore


class LogoFiles:
    def __init__(self, objects: ObjectStore) -> None:
        self.objects = objects

    @staticmethod
    def key(org_id: str, version: str) -> str:
        return f"logos/{org_id}/{version}"

    async def ensure_bucket(self) -> None:
        await self.objects.ensure_bucket()

    async def put(self, key: str, data: bytes, content_type: str) -> None:
        await self.objects.put(key, data, content_type)

    async def delete(self, key: str) -> None:
        await self.objects.delete(key)

    async def url(self, key: str, expires_seconds: int) -> str:
        return await self.objects.presigned_get(key, expires_seconds)
