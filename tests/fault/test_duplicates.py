"""Every consumer fed every event twice (X-2, NOT-4): a scenario across the five services runs
to quiet, then every record of every Konto topic of the session is published once more (same
envelope, id and key) and, once quiet again, no service database, no mailbox and no SMS count
has changed. The records and the databases are read generically, so a new consumer, topic or
collection is covered without touching this test."""

import time
import uuid
from typing import Any

import httpx
import pytest

from konto.common.events import ORGS_EVENTS, InvitationCreatedV1, parse_event
from tests.support.fault_kafka import all_records, konto_topics, republish
from tests.support.fault_stack import FaultStack

pytestmark = [pytest.mark.fault, pytest.mark.servers, pytest.mark.timeout(300)]

CARD = {"card_token": "tok_visa"}
ADDRESS = {
    "name": "Fault AG",
    "street": "Bahnhofstrasse 1",
    "postcode": "8001",
    "city": "Zürich",
    "country": "CH",
    "iban": "CH93 0076 2011 6238 5295 7",
}


class Person:
    """Registered and logged in; calls a service with its token."""

    def __init__(self, stack: FaultStack, email: str) -> None:
        self.email = email
        assert stack.register(self.email).status_code == 201
        answer = stack.login(self.email)
        assert answer.status_code == 201, answer.text
        self.headers = {"authorization": f"Bearer {answer.json()['access_token']}"}

    def call(self, method: str, url: str, body: Any = None, **expect: int) -> dict[str, Any]:
        headers = {**self.headers, "idempotency-key": uuid.uuid4().hex}
        answer = httpx.request(method, url, json=body, headers=headers, timeout=30)
        assert answer.status_code == expect.get("status", answer.status_code), answer.text
        assert answer.status_code < 300, answer.text
        found: dict[str, Any] = answer.json() if answer.content else {}
        return found


def _until(check: Any, what: str, timeout: float = 60) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.3)
    raise AssertionError(f"{what} not within {timeout} s")


def _invitation_token(stack: FaultStack, invitation_id: str) -> str:
    def find() -> str | None:
        for record in all_records(stack.servers.kafka, [ORGS_EVENTS]):
            event = parse_event(record.value)
            if isinstance(event, InvitationCreatedV1) and event.data.invitation_id == invitation_id:
                return event.data.accept_url.rsplit("/", 1)[1]
        return None

    token: str = _until(find, "invitation event")
    return token


def _scenario(stack: FaultStack) -> None:
    """Registrations, a second organization, an invitation accepted, a top-up and an order
    paid in billing, a verification case with its SMS code, a password reset by SMS."""
    orgs, billing = stack.url("orgs"), stack.url("billing")
    owner = Person(stack, stack.address("owner"))
    org = owner.call("POST", f"{orgs}/v1/orgs", {"name": "Fault AG"}, status=201)["id"]
    member_email = stack.address("member")
    invitation = owner.call(
        "POST",
        f"{orgs}/v1/orgs/{org}/invitations",
        {"email": member_email, "role": "administrator"},
        status=201,
    )
    member = Person(stack, member_email)
    accept = f"{orgs}/v1/invitations/{_invitation_token(stack, invitation['id'])}/accept"
    member.call("POST", accept, status=201)

    base = f"{billing}/v1/orgs/{org}"
    _until(
        lambda: httpx.get(f"{base}/products", headers=owner.headers, timeout=10).status_code == 200,
        "billing knowing the organization",
    )
    owner.call("POST", f"{base}/balance/top-ups", {"amount": 5000, "currency": "CHF"} | CARD)
    address = owner.call("POST", f"{base}/billing-addresses", ADDRESS, status=201)
    line = {"product_type": "hosting.web", "months": 12, "label": "fault-web"}
    order = owner.call("POST", f"{base}/orders", {"lines": [line]}, status=201)
    owner.call(
        "POST",
        f"{base}/orders/{order['id']}/checkout",
        {"method": "card", "address_id": address["id"]} | CARD,
    )

    case = owner.call("POST", f"{stack.url('verification')}/v1/cases", {"locale": "en"}, status=201)
    phone = httpx.Client(headers={"X-Case-Token": case["token"]}, timeout=20)
    case_url = f"{stack.url('verification')}/v1/cases/{case['id']}"
    assert phone.put(f"{case_url}/mobile", json={"mobile": "+41 79 555 12 34"}).status_code == 200
    assert phone.post(f"{case_url}/sms-code").status_code == 202

    reset = httpx.post(
        f"{stack.url('auth')}/v1/password-resets",
        json={"email": member_email, "channel": "sms"},
        timeout=30,
    )
    assert reset.status_code == 202, reset.text


def test_every_event_consumed_twice_changes_nothing_X_2_NOT_4(full_stack: FaultStack) -> None:
    _scenario(full_stack)
    before = full_stack.wait_quiet(timeout=120)
    assert before.mails, "the scenario sent no mail"
    assert before.sms, "the scenario sent no SMS"

    topics = konto_topics(full_stack.servers.kafka)
    records = all_records(full_stack.servers.kafka, topics)
    assert {r.topic for r in records} >= {
        "konto.auth.events",
        "konto.orgs.events",
        "konto.billing.events",
        "konto.verification.events",
    }
    republish(full_stack.servers.kafka, records)

    after = full_stack.wait_quiet(timeout=120)
    assert before.differences(after) == []
