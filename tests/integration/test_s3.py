"""The object-store adapter against the real S3 server (versitygw): bucket, objects, presigned
download, and a presigned upload whose size limit the server enforces (VER-2, ORG-8, BIL-5)."""

import uuid

import httpx
import pytest

from konto.common.s3 import ObjectStore, S3Settings
from tests.support.servers import S3_ENDPOINT

pytestmark = pytest.mark.servers


@pytest.fixture
async def store(servers: None) -> ObjectStore:
    store = ObjectStore(
        S3Settings(s3_endpoint_url=S3_ENDPOINT, s3_bucket=f"konto-test-{uuid.uuid4().hex[:8]}")
    )
    await store.ensure_bucket()
    await store.ensure_bucket()  # idempotent
    return store


async def test_put_head_presigned_get_delete(store: ObjectStore) -> None:
    await store.put("docs/a.txt", b"hello", "text/plain")
    head = await store.head("docs/a.txt")
    assert head is not None
    assert head["ContentLength"] == 5
    assert await store.head("docs/missing.txt") is None
    async with httpx.AsyncClient() as client:
        assert (await client.get(await store.presigned_get("docs/a.txt"))).text == "hello"
    await store.delete("docs/a.txt")
    assert await store.head("docs/a.txt") is None
    assert await store.ping()


async def test_presigned_post_enforces_size_and_type_VER_2(store: ObjectStore) -> None:
    post = await store.presigned_post("uploads/photo.png", content_type="image/png", max_bytes=10)
    async with httpx.AsyncClient() as client:
        too_big = await client.post(
            post["url"],
            data=post["fields"],
            files={"file": ("photo.png", b"x" * 11, "image/png")},
        )
        assert too_big.status_code == 400
        assert await store.head("uploads/photo.png") is None
        fits = await client.post(
            post["url"], data=post["fields"], files={"file": ("photo.png", b"x" * 10, "image/png")}
        )
    assert fits.status_code in (200, 201, 204)
    head = await store.head("uploads/photo.png")
    assert head is not None
    assert head["ContentType"] == "image/png"
