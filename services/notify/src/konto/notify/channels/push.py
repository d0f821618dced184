"""Push to enrolled authenticator devices through a push gateway (NOT-3): `POST
<url>/v1/push {token, title, body, data}` with a bearer token and `Idempotency-Key` = the
delivery id; the gateway forwards to APNs / FCM. `LocalPush` is the in-memory double behind
the same interface, for tests and local runs (`KONTO_NOTIFY_PUSH_PROVIDER=local`).

auth's `SendPushV1` commands feed it: a login waiting for a device's approval (AUTH-9).
"""

from dataclasses import dataclass, field

import httpx

from konto.notify.channels.base import PermanentFailure
from konto.notify.config import NotifySettings


class HttpPushGateway:
    def __init__(self, settings: NotifySettings, http: httpx.AsyncClient | None = None) -> None:
        self.url = settings.push_gateway_url.rstrip("/") + "/v1/push"
        self.token = settings.push_gateway_token
        self.http = http or httpx.AsyncClient(timeout=settings.push_gateway_timeout_seconds)

    async def send(
        self, *, device_token: str, title: str, body: str, data: dict[str, str], delivery_id: str
    ) -> str:
        headers = {"Idempotency-Key": delivery_id}
        if self.token and self.token.get_secret_value():
            headers["Authorization"] = f"Bearer {self.token.get_secret_value()}"
        response = await self.http.post(
            self.url,
            json={"token": device_token, "title": title, "body": body, "data": data},
            headers=headers,
        )
        # 4xx (but not 408/429): the gateway refused this push (e.g. 410, the device token is
        # no longer registered); trying again cannot help.
        if 400 <= response.status_code < 500 and response.status_code not in (408, 429):
            raise PermanentFailure(f"push gateway {response.status_code}: {response.text[:200]}")
        response.raise_for_status()
        return str(response.json().get("id", ""))


@dataclass
class Pushed:
    device_token: str
    title: str
    body: str
    data: dict[str, str]
    delivery_id: str


@dataclass
class LocalPush:
    """Records pushes instead of sending them; `unregistered` tokens are refused the way a
    gateway refuses a device that is gone."""

    sent: list[Pushed] = field(default_factory=list)
    unregistered: set[str] = field(default_factory=set)

    async def send(
        self, *, device_token: str, title: str, body: str, data: dict[str, str], delivery_id: str
    ) -> str:
        if device_token in self.unregistered:
            raise PermanentFailure("push gateway 410: device token no longer registered")
        if not any(p.delivery_id == delivery_id for p in self.sent):  # idempotent, as a gateway
            self.sent.append(Pushed(device_token, title, body, dict(data), delivery_id))
        return f"local-{delivery_id}"
