"""SMS through an HTTP gateway: `POST <url>/v1/messages {to, text, sender}` with a bearer
token; the local SMS sink (scripts/sms_sink.py) speaks the same API."""

import httpx

from konto.notify.channels.base import PermanentFailure
from konto.notify.config import NotifySettings


class HttpSmsGateway:
    def __init__(self, settings: NotifySettings, http: httpx.AsyncClient | None = None) -> None:
        self.settings = settings
        self.url = settings.sms_gateway_url.rstrip("/") + "/v1/messages"
        self.http = http or httpx.AsyncClient(timeout=settings.sms_gateway_timeout_seconds)

    async def send(self, *, to: str, text: str, delivery_id: str) -> str:
        headers = {"Idempotency-Key": delivery_id}
        token = self.settings.sms_gateway_token
        if token and token.get_secret_value():
            headers["Authorization"] = f"Bearer {token.get_secret_value()}"
        response = await self.http.post(
            self.url,
            json={"to": to, "text": text, "sender": self.settings.sms_sender},
            headers=headers,
        )
        # 4xx (but not 408/429) means the gateway refused this message: no retry will help.
        if 400 <= response.status_code < 500 and response.status_code not in (408, 429):
            raise PermanentFailure(f"SMS gateway {response.status_code}: {response.text[:200]}")
        response.raise_for_status()
        return str(response.json().get("id", ""))
