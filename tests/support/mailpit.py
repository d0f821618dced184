"""Read what reached Mailpit, through its HTTP API."""

import time
from typing import Any

import httpx

from tests.support.servers import MAILPIT_API


def messages_to(address: str) -> list[dict[str, Any]]:
    response = httpx.get(
        f"{MAILPIT_API}/api/v1/search", params={"query": f'to:"{address}"', "limit": 200}
    )
    response.raise_for_status()
    found: list[dict[str, Any]] = response.json()["messages"]
    return found


def wait_for_count(
    address: str, count: int, timeout: float = 20.0, settle: float = 0.0
) -> list[dict[str, Any]]:
    """Mails to `address` once there are `count`; after `settle` more seconds, so that a
    mail that should not have been sent has had time to show up too."""
    deadline = time.monotonic() + timeout
    found: list[dict[str, Any]] = []
    while time.monotonic() < deadline:
        found = messages_to(address)
        if len(found) >= count:
            time.sleep(settle)
            return messages_to(address) if settle else found
        time.sleep(0.2)
    raise AssertionError(
        f"expected {count} mails to {address} within {timeout} s, got {len(found)}"
    )


def headers(message_id: str) -> dict[str, list[str]]:
    response = httpx.get(f"{MAILPIT_API}/api/v1/message/{message_id}/headers")
    response.raise_for_status()
    found: dict[str, list[str]] = response.json()
    return found


def message(message_id: str) -> dict[str, Any]:
    response = httpx.get(f"{MAILPIT_API}/api/v1/message/{message_id}")
    response.raise_for_status()
    found: dict[str, Any] = response.json()
    return found
