"""Helpers for e2e tests of the orgs service: wait for the personal organization, read orgs'
events from Kafka (invitation links travel only there, for notify to mail)."""

import asyncio
import time
from collections.abc import Callable
from typing import Any

import httpx
from aiokafka import AIOKafkaConsumer

from konto.common.events import (
    ORGS_EVENTS,
    InvitationCreatedV1,
    InvitationResentV1,
    KontoEvent,
    parse_event,
)
from tests.support.identity import Person
from tests.support.processes import ServiceProcess
from tests.support.servers import KAFKA


def my_orgs(orgs: ServiceProcess, person: Person) -> list[dict[str, Any]]:
    response = httpx.get(f"{orgs.url}/v1/orgs", headers=person.headers)
    assert response.status_code == 200, response.text
    body: list[dict[str, Any]] = response.json()
    return body


def personal_org(orgs: ServiceProcess, person: Person, timeout: float = 150.0) -> dict[str, Any]:
    """orgs founds it from auth's registration event, so it shows up a moment after
    registering: poll until it does.

    The timeout is long for the first call of a session: the test run's fresh consumer group
    starts at the beginning of `konto.auth.events`, so orgs first founds an organization for
    every registration of every earlier run on the shared Kafka, at the MongoDB-wire server's
    pace (a few per second). Later calls answer within a second."""
    deadline = time.monotonic() + timeout
    while True:
        found = [o for o in my_orgs(orgs, person) if o["personal"]]
        if found:
            return found[0]
        if time.monotonic() > deadline:
            raise AssertionError(f"no personal organization for {person.email} in {timeout} s")
        time.sleep(0.2)


def wait_for_event(
    match: Callable[[KontoEvent], bool], *, org_id: str, timeout: float = 30.0
) -> KontoEvent:
    """The first event of organization `org_id` (the Kafka key) on konto.orgs.events that
    `match` accepts, reading from the start; other keys are skipped unparsed, as the shared
    topic holds every earlier run's events."""
    return asyncio.run(_first_event(match, org_id.encode(), timeout))


async def _first_event(
    match: Callable[[KontoEvent], bool], key: bytes, timeout: float
) -> KontoEvent:
    consumer = AIOKafkaConsumer(
        ORGS_EVENTS, bootstrap_servers=KAFKA, auto_offset_reset="earliest", enable_auto_commit=False
    )
    await consumer.start()
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
                        return event
    finally:
        await consumer.stop()
    raise AssertionError(f"no matching event on {ORGS_EVENTS} within {timeout} s")


def invite(
    orgs: ServiceProcess,
    inviter: Person,
    org_id: str,
    email: str,
    role: str = "collaborator",
    **access: Any,
) -> dict[str, Any]:
    response = httpx.post(
        f"{orgs.url}/v1/orgs/{org_id}/invitations",
        json={"email": email, "role": role, **access},
        headers=inviter.headers,
    )
    assert response.status_code == 201, response.text
    invitation: dict[str, Any] = response.json()
    return invitation


def invitation_token(org_id: str, invitation_id: str, *, resent: bool = False) -> str:
    """The token from the link in the (latest kind of) invitation event: what notify mails."""
    wanted = InvitationResentV1 if resent else InvitationCreatedV1
    event = wait_for_event(
        lambda e: isinstance(e, wanted) and e.data.invitation_id == invitation_id, org_id=org_id
    )
    assert isinstance(event, InvitationCreatedV1 | InvitationResentV1)
    return event.data.accept_url.rsplit("/", 1)[1]


def accept(orgs: ServiceProcess, person: Person, token: str) -> httpx.Response:
    return httpx.post(f"{orgs.url}/v1/invitations/{token}/accept", headers=person.headers)


def join(
    orgs: ServiceProcess,
    inviter: Person,
    org_id: str,
    person: Person,
    role: str,
    **access: Any,
) -> None:
    """Bring `person` into the organization the way a real one gets there: invited, accepted."""
    invitation = invite(orgs, inviter, org_id, person.email, role, **access)
    answer = accept(orgs, person, invitation_token(org_id, invitation["id"]))
    assert answer.status_code == 201, answer.text


def create_org(orgs: ServiceProcess, person: Person, name: str) -> str:
    response = httpx.post(f"{orgs.url}/v1/orgs", json={"name": name}, headers=person.headers)
    assert response.status_code == 201, response.text
    org_id: str = response.json()["id"]
    return org_id
