"""E-mail through Amazon SES (boto3 `send_raw_email`, the same MIME message as over SMTP).
boto3 blocks, so the call runs in a worker thread."""

import asyncio
from typing import Any

import boto3
from botocore.exceptions import ClientError

from konto.notify.channels.base import PermanentFailure
from konto.notify.channels.email import build_message
from konto.notify.config import NotifySettings
from konto.notify.rendering import Rendered

# SES answers these for the message itself; throttling and service errors are worth a retry.
PERMANENT_CODES = frozenset(
    {"MessageRejected", "MailFromDomainNotVerifiedException", "ConfigurationSetDoesNotExist"}
)


class SesMailer:
    def __init__(self, settings: NotifySettings, client: Any | None = None) -> None:
        self.settings = settings
        self.client: Any = client or boto3.client("ses", region_name=settings.aws_region)

    async def send(
        self, *, to: str, rendered: Rendered, delivery_id: str, headers: dict[str, str]
    ) -> str:
        message = build_message(
            self.settings, to=to, rendered=rendered, delivery_id=delivery_id, headers=headers
        )
        request: dict[str, Any] = {
            "Destinations": [to],
            "RawMessage": {"Data": message.as_bytes()},
        }
        if self.settings.ses_configuration_set:
            request["ConfigurationSetName"] = self.settings.ses_configuration_set
        try:
            answer = await asyncio.to_thread(self.client.send_raw_email, **request)
        except ClientError as exc:
            code = exc.response.get("Error", {}).get("Code", "")
            if code in PERMANENT_CODES:
                raise PermanentFailure(f"SES {code}: {exc}") from exc
            raise
        return str(answer["MessageId"])
