"""VER-1 over the real servers: cases opened by another service's command (once, even when the
command comes twice) or by a logged-in person, reached through the link's token only."""

import uuid
from typing import Any

import httpx
import pytest

from konto.common.events import CaseOpenedV1
from tests.support.identity import new_person
from tests.support.processes import ServiceProcess
from tests.support.verification import (
    open_case_command,
    open_for_self,
    opened_by,
    send_open_case,
    token_of,
    wait_for_events,
)

pytestmark = pytest.mark.servers


# Blocking calls are fine here: the services run in their own processes.
def _get(url: str, **kwargs: Any) -> httpx.Response:
    return httpx.get(url, **kwargs)


def _post(url: str, **kwargs: Any) -> httpx.Response:
    return httpx.post(url, **kwargs)


async def test_command_opens_one_case_with_a_link_that_needs_no_login_VER_1(
    verification: ServiceProcess,
) -> None:
    reference = f"user-{uuid.uuid4().hex[:10]}"
    command = open_case_command(
        "account_unlock", reference, user_id=reference, mobile="+41791234567"
    )
    await send_open_case(command)
    await send_open_case(command)  # Kafka redelivers the same command
    # A later command on the same key: once its case is announced, the copy was handled too.
    await send_open_case(open_case_command("forgotten_password", reference, user_id=reference))

    events = await wait_for_events(
        opened_by(verification, lambda e: e.data.reference == reference), count=2, settle=1.5
    )
    assert sorted(e.data.reason for e in events) == ["account_unlock", "forgotten_password"]
    [unlock] = [
        e for e in events if isinstance(e, CaseOpenedV1) and e.data.reason == "account_unlock"
    ]
    assert unlock.data.requested_by == "auth"
    assert unlock.data.email == "case@example.ch"
    assert unlock.data.case_url.startswith("http://localhost:3000/verify/")
    token = token_of(unlock.data.case_url)
    case_url = f"{verification.url}/v1/cases/{unlock.data.case_id}"

    by_query = _get(case_url, params={"token": token})
    assert by_query.status_code == 200, by_query.text
    case = by_query.json()
    assert case["status"] == "open"
    assert case["reason"] == "account_unlock"
    assert case["mobile"] == "+41791234567"
    assert case["missing_steps"] == ["mobile", "geolocation", "document_type"]
    assert case["expires_at"] == unlock.data.expires_at.isoformat().replace("+00:00", "Z")
    assert _get(case_url, headers={"X-Case-Token": token}).status_code == 200

    wrong = _get(case_url, params={"token": token[:-2] + "xx"})
    assert wrong.status_code == 404
    assert wrong.headers["content-type"] == "application/problem+json"
    assert _get(case_url).status_code == 404
    other_case = f"{verification.url}/v1/cases/{events[1].subject}"
    if events[1].subject != unlock.data.case_id:
        assert _get(other_case, params={"token": token}).status_code == 404


async def test_logged_in_person_opens_a_first_payout_case_VER_1(
    auth: ServiceProcess, verification: ServiceProcess
) -> None:
    person = new_person(auth)
    anonymous = _post(f"{verification.url}/v1/cases", json={})
    assert anonymous.status_code == 401

    phone = open_for_self(verification, person.headers)
    case = phone.get().json()
    assert case["reason"] == "first_payout"
    assert case["status"] == "open"

    [event] = await wait_for_events(
        opened_by(verification, lambda e: e.data.case_id == phone.case_id)
    )
    assert isinstance(event, CaseOpenedV1)
    assert event.data.user_id == person.user_id
    assert event.data.reference == person.user_id
    assert event.data.requested_by == "billing"


def test_asyncapi_documents_the_command_in_and_the_events_out_VER_1(
    verification: ServiceProcess,
) -> None:
    document = _get(f"{verification.url}/asyncapi.json").text
    assert "konto.verification.commands" in document
    assert "konto.verification.events" in document
    assert "konto.verification.case.decided.v1" in document
