"""What every channel provider offers, so settings can choose one (NOT-3)."""

from typing import Protocol

from konto.notify.rendering import Rendered


class PermanentFailure(Exception):
    """The provider refused the message itself (bad address, rejected content): trying again
    cannot help, so the delivery fails at once instead of using up its retries."""


class EmailProvider(Protocol):
    async def send(
        self, *, to: str, rendered: Rendered, delivery_id: str, headers: dict[str, str]
    ) -> str:
        """Send one mail; returns the provider's message id. Any other exception than
        PermanentFailure counts as transient."""
        ...


class SmsProvider(Protocol):
    async def send(self, *, to: str, text: str, delivery_id: str) -> str:
        """Send one SMS; returns the provider's message id."""
        ...


class PushProvider(Protocol):
    async def send(
        self, *, device_token: str, title: str, body: str, data: dict[str, str], delivery_id: str
    ) -> str:
        """Push one notification to an enrolled device; returns the gateway's message id.
        `delivery_id` lets the gateway drop a repeated request (NOT-4)."""
        ...
