"""Helpers for e2e tests of the billing service: an organization billing already knows of
(it learns memberships from orgs' events), calls with idempotency keys, billing's events."""

import asyncio
import time
import uuid
from collections.abc import Callable
from typing import Any

import httpx
from aiokafka import AIOKafkaConsumer

from konto.common.events import BILLING_EVENTS, KontoEvent, parse_event
from tests.support.identity import Person, new_person
from tests.support.orgs import create_org
from tests.support.processes import ServiceProcess
from tests.support.servers import KAFKA

CH_ADDRESS = {
    "name": "Muster AG",
    "street": "Bahnhofstrasse 1",
    "postcode": "8001",
    "city": "Zürich",
    "country": "CH",
    "iban": "CH93 0076 2011 6238 5295 7",
    "vat_id": "CHE-116.281.710 MWST",
}


def wait_for_status(
    billing: ServiceProcess, person: Person, org_id: str, status: int, timeout: float = 30.0
) -> None:
    """billing applies orgs' membership events a moment after orgs answered: poll."""
    deadline = time.monotonic() + timeout
    while True:
        answer = httpx.get(f"{billing.url}/v1/orgs/{org_id}/products", headers=person.headers)
        if answer.status_code == status:
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"billing answers {answer.status_code}, not {status}")
        time.sleep(0.2)


def billing_org(
    auth: ServiceProcess, orgs: ServiceProcess, billing: ServiceProcess, name: str = "Shop AG"
) -> tuple[Person, str]:
    """A new person and an organization they represent, known to billing."""
    owner = new_person(auth)
    org_id = create_org(orgs, owner, name)
    wait_for_status(billing, owner, org_id, 200)
    return owner, org_id


def post(
    billing: ServiceProcess, person: Person, path: str, body: dict[str, Any], key: str | None = None
) -> httpx.Response:
    headers = {**person.headers, "idempotency-key": key or uuid.uuid4().hex}
    return httpx.post(f"{billing.url}{path}", json=body, headers=headers, timeout=30)


def get(billing: ServiceProcess, person: Person, path: str, **params: Any) -> httpx.Response:
    return httpx.get(f"{billing.url}{path}", params=params, headers=person.headers, timeout=30)


def add_address(
    billing: ServiceProcess, person: Person, org_id: str, **fields: Any
) -> dict[str, Any]:
    answer = post(billing, person, f"/v1/orgs/{org_id}/billing-addresses", CH_ADDRESS | fields)
    assert answer.status_code == 201, answer.text
    address: dict[str, Any] = answer.json()
    return address


def add_product(
    billing: ServiceProcess, person: Person, org_id: str, type: str, label: str, **extra: Any
) -> dict[str, Any]:
    body = {"type": type, "label": label, **extra}
    answer = post(billing, person, f"/v1/orgs/{org_id}/products", body)
    assert answer.status_code == 201, answer.text
    product: dict[str, Any] = answer.json()
    return product


def billing_events(
    org_id: str, match: Callable[[KontoEvent], bool], *, count: int = 1, timeout: float = 30.0
) -> list[KontoEvent]:
    """The first `count` events of `org_id` (the Kafka key) on konto.billing.events that
    `match` accepts, reading from the start; other keys are skipped unparsed."""
    return asyncio.run(_events(org_id.encode(), match, count, timeout))


async def _events(
    key: bytes, match: Callable[[KontoEvent], bool], count: int, timeout: float
) -> list[KontoEvent]:
    consumer = AIOKafkaConsumer(
        BILLING_EVENTS,
        bootstrap_servers=KAFKA,
        auto_offset_reset="earliest",
        enable_auto_commit=False,
    )
    await consumer.start()
    found: list[KontoEvent] = []
    try:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while loop.time() < deadline:
            batch = await consumer.getmany(timeout_ms=500)
            for records in batch.values():
                for record in records:
                    if record.key != key:
                        continue
                    event = parse_event(record.value)
                    if match(event):
                        found.append(event)
                        if len(found) == count:
                            return found
    finally:
        await consumer.stop()
    raise AssertionError(f"{len(found)} of {count} matching events on {BILLING_EVENTS}")
