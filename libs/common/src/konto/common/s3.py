"""Object storage (S3 through boto3) for files: ID photos, invoices, logos. boto3 is blocking,
so every call runs in a worker thread; uploads and downloads by clients go through presigned
URLs and never pass through a service's memory."""

import asyncio
from typing import Any

import boto3
from botocore.client import Config
from botocore.exceptions import ClientError
from pydantic import BaseModel, SecretStr


class S3Settings(BaseModel):
    """Mixed into a service's settings: `<PREFIX>S3_ENDPOINT_URL`, ... ."""

    s3_endpoint_url: str | None = "http://127.0.0.1:9000"
    s3_region: str = "us-east-1"
    s3_access_key: str = "konto"
    s3_secret_key: SecretStr = SecretStr("konto-secret-key")
    s3_bucket: str = "konto"


class ObjectStore:
    def __init__(self, settings: S3Settings) -> None:
        self.bucket = settings.s3_bucket
        self.client: Any = boto3.client(
            "s3",
            endpoint_url=settings.s3_endpoint_url,
            region_name=settings.s3_region,
            aws_access_key_id=settings.s3_access_key,
            aws_secret_access_key=settings.s3_secret_key.get_secret_value(),
            config=Config(
                signature_version="s3v4",
                s3={"addressing_style": "path"},
                retries={"max_attempts": 3, "mode": "standard"},
            ),
        )

    async def ensure_bucket(self) -> None:
        def create() -> None:
            try:
                self.client.head_bucket(Bucket=self.bucket)
            except ClientError:
                self.client.create_bucket(Bucket=self.bucket)

        await asyncio.to_thread(create)

    async def put(self, key: str, body: bytes, content_type: str) -> None:
        await asyncio.to_thread(
            self.client.put_object,
            Bucket=self.bucket,
            Key=key,
            Body=body,
            ContentType=content_type,
        )

    async def head(self, key: str) -> dict[str, Any] | None:
        try:
            result: dict[str, Any] = await asyncio.to_thread(
                self.client.head_object, Bucket=self.bucket, Key=key
            )
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                return None
            raise
        return result

    async def delete(self, key: str) -> None:
        await asyncio.to_thread(self.client.delete_object, Bucket=self.bucket, Key=key)

    async def presigned_get(self, key: str, expires_seconds: int = 300) -> str:
        url: str = await asyncio.to_thread(
            self.client.generate_presigned_url,
            "get_object",
            Params={"Bucket": self.bucket, "Key": key},
            ExpiresIn=expires_seconds,
        )
        return url

    async def presigned_post(
        self, key: str, *, content_type: str, max_bytes: int, expires_seconds: int = 600
    ) -> dict[str, Any]:
        """A form upload the client sends straight to S3, limited in size and type."""
        post: dict[str, Any] = await asyncio.to_thread(
            self.client.generate_presigned_post,
            self.bucket,
            key,
            Fields={"Content-Type": content_type},
            Conditions=[{"Content-Type": content_type}, ["content-length-range", 1, max_bytes]],
            ExpiresIn=expires_seconds,
        )
        return post

    async def ping(self) -> bool:
        try:
            await asyncio.to_thread(self.client.head_bucket, Bucket=self.bucket)
        except Exception:
            return False
        return True
