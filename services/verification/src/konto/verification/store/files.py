"""Case photos in S3: presigned uploads straight from the phone, checks of what arrived that
read only the first bytes, short-lived download links for agents, deletion by the purge."""

import asyncio
from dataclasses import dataclass
from typing import Any

from konto.common.s3 import ObjectStore


@dataclass(frozen=True)
class Arrived:
    size: int
    content_type: str | None
    encrypted_at_rest: bool  # what S3 reports (`x-amz-server-side-encryption`), not a wish


def file_key(case_id: str, kind: str) -> str:
    return f"cases/{case_id}/{kind}"


class CaseFiles:
    def __init__(self, store: ObjectStore, *, server_side_encryption: str = "") -> None:
        self.store = store
        self.sse = server_side_encryption

    async def ensure_bucket(self) -> None:
        await self.store.ensure_bucket()

    async def upload_form(
        self, key: str, *, content_type: str, max_bytes: int, expires_seconds: int
    ) -> dict[str, Any]:
        if not self.sse:
            return await self.store.presigned_post(
                key, content_type=content_type, max_bytes=max_bytes, expires_seconds=expires_seconds
            )
        # ObjectStore.presigned_post has no room for extra fields; this one also makes the
        # encryption header a signed condition, so a client cannot drop it.
        fields = {"Content-Type": content_type, "x-amz-server-side-encryption": self.sse}
        form: dict[str, Any] = await asyncio.to_thread(
            self.store.client.generate_presigned_post,
            self.store.bucket,
            key,
            Fields=fields,
            Conditions=[
                {"Content-Type": content_type},
                {"x-amz-server-side-encryption": self.sse},
                ["content-length-range", 1, max_bytes],
            ],
            ExpiresIn=expires_seconds,
        )
        return form

    async def arrived(self, key: str) -> Arrived | None:
        head = await self.store.head(key)
        if head is None:
            return None
        return Arrived(
            size=int(head.get("ContentLength", 0)),
            content_type=head.get("ContentType"),
            encrypted_at_rest=bool(head.get("ServerSideEncryption")),
        )

    async def first_bytes(self, key: str, count: int) -> bytes:
        """Only `count` bytes cross the network (a Range request), whatever the file's size."""

        def read() -> bytes:
            answer = self.store.client.get_object(
                Bucket=self.store.bucket, Key=key, Range=f"bytes=0-{count - 1}"
            )
            body = answer["Body"]
            try:
                data: bytes = body.read(count)
            finally:
                body.close()
            return data

        return await asyncio.to_thread(read)

    async def download_url(self, key: str, expires_seconds: int) -> str:
        return await self.store.presigned_get(key, expires_seconds)

    async def delete(self, key: str) -> None:
        # S3 answers 204 for a key that is already gone, so a repeated purge is harmless.
        await self.store.delete(key)

    async def exists(self, key: str) -> bool:
        return await self.store.head(key) is not None
