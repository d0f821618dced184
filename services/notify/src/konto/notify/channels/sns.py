"""SMS through Amazon SNS (boto3 `publish(PhoneNumber=..., Message=...)`), in a worker thread
because boto3 blocks."""

import asyncio
from typing import Any

import boto3
from botocore.exceptions import ClientError

from konto.notify.channels.base import PermanentFailure
from konto.notify.config import NotifySettings

PERMANENT_CODES = frozenset({"InvalidParameter", "InvalidParameterValue", "OptedOut"})


class SnsSms:
    def __init__(self, settings: NotifySettings, client: Any | None = None) -> None:
        self.settings = settings
        self.client: Any = client or boto3.client("sns", region_name=settings.aws_region)

    async def send(self, *, to: str, text: str, delivery_id: str) -> str:
        request: dict[str, Any] = {
            "PhoneNumber": to,
            "Message": text,
            "MessageAttributes": {
                "AWS.SNS.SMS.SenderID": {
                    "DataType": "String",
                    "StringValue": self.settings.sms_sender,
                },
                # Codes and security notices must arrive: never the cheaper "Promotional" route.
                "AWS.SNS.SMS.SMSType": {"DataType": "String", "StringValue": "Transactional"},
            },
        }
        try:
            answer = await asyncio.to_thread(self.client.publish, **request)
        except ClientError as exc:
            code = exc.response.get("Error", {}).get("Code", "")
            if code in PERMANENT_CODES:
                raise PermanentFailure(f"SNS {code}: {exc}") from exc
            raise
        return str(answer["MessageId"])
