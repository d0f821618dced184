"""VER-3 over the real servers: only support agents (added with the CLI) review; the queue puts
the highest priority first, then the longest wait, against the 2 h target; photos come as
short-lived presigned links; the decision is an event for the requesting service."""

import uuid
from typing import Any

import httpx
import pytest

from konto.common.events import CaseDecidedV1, CaseOpenedV1
from tests.support.identity import new_person
from tests.support.processes import ServiceProcess
from tests.support.verification import (
    CaseClient,
    of_case,
    open_case_command,
    open_for_self,
    opened_by,
    png,
    run_cli,
    send_open_case,
    token_of,
    wait_for_events,
)

pytestmark = pytest.mark.servers


def _get(url: str, **kwargs: Any) -> httpx.Response:
    return httpx.get(url, **kwargs)


def _post(url: str, **kwargs: Any) -> httpx.Response:
    return httpx.post(url, **kwargs)


async def test_agent_reviews_by_priority_and_decides_VER_3(
    auth: ServiceProcess, verification: ServiceProcess, run_id: str
) -> None:
    review = f"{verification.url}/v1/review/cases"
    person = new_person(auth)
    # A first payout (priority 3) submitted first, an account unlock (priority 1) after it.
    payout = open_for_self(verification, person.headers)
    await payout.fill_and_submit("passport")

    reference = person.user_id
    await send_open_case(
        open_case_command("account_unlock", reference, user_id=reference, email=person.email)
    )
    [opened] = await wait_for_events(
        opened_by(
            verification,
            lambda e: e.data.reference == reference and e.data.reason == "account_unlock",
        ),
        settle=1.0,
    )
    assert isinstance(opened, CaseOpenedV1)
    unlock = CaseClient(verification, opened.data.case_id, token_of(opened.data.case_url))
    await unlock.fill_and_submit("identity_card")

    agent = new_person(auth)
    assert _get(review, headers=agent.headers).status_code == 403
    assert _get(review).status_code == 401
    assert "agent added" in run_cli(run_id, "add-agent", agent.user_id)
    assert agent.user_id in run_cli(run_id, "list-agents")

    queue = _get(review, headers=agent.headers)
    assert queue.status_code == 200, queue.text
    items = [i for i in queue.json()["items"] if i["id"] in (payout.case_id, unlock.case_id)]
    assert [i["id"] for i in items] == [unlock.case_id, payout.case_id]
    assert items[0]["priority"] == 1
    assert items[0]["target_seconds"] == 7200
    assert 0 <= items[0]["waited_seconds"] < 600
    assert items[0]["overdue"] is False

    detail = _get(f"{review}/{unlock.case_id}", headers=agent.headers).json()
    assert detail["mobile"] == "+41795551234"
    assert detail["geolocation"]["consent"] is True
    assert detail["document_type"] == "identity_card"
    assert sorted(detail["files"]) == ["back", "front", "selfie"]
    front = detail["files"]["front"]
    assert (front["width"], front["height"], front["content_type"]) == (640, 480, "image/png")
    assert _get(front["url"]).content == png(640, 480)  # presigned, short-lived
    assert "X-Amz-Expires=120" in front["url"]

    bad = _post(
        f"{review}/{unlock.case_id}/decision", json={"outcome": "ok"}, headers=agent.headers
    )
    assert bad.status_code == 422
    decided = _post(
        f"{review}/{unlock.case_id}/decision",
        json={"outcome": "approve", "reason": "photo and selfie match"},
        headers=agent.headers,
    )
    assert decided.status_code == 200, decided.text
    assert decided.json()["status"] == "approved"
    again = _post(
        f"{review}/{unlock.case_id}/decision",
        json={"outcome": "reject", "reason": "second thoughts"},
        headers=agent.headers,
    )
    assert again.status_code == 404

    [event] = await wait_for_events(of_case("konto.verification.case.decided.v1", unlock.case_id))
    assert isinstance(event, CaseDecidedV1)
    data = event.data
    assert (data.reason, data.requested_by, data.reference) == ("account_unlock", "auth", reference)
    assert (data.user_id, data.outcome) == (person.user_id, "approved")
    assert data.decision_reason == "photo and selfie match"
    assert unlock.get().json()["status"] == "approved"

    rejected = _post(
        f"{review}/{payout.case_id}/decision",
        json={"outcome": "reject", "reason": "the selfie shows no document"},
        headers=agent.headers,
    )
    assert rejected.json()["status"] == "rejected"
    run_cli(run_id, "remove-agent", agent.user_id)
    assert _get(review, headers=agent.headers).status_code == 403


def test_unknown_case_is_not_reviewable_VER_3(
    auth: ServiceProcess, verification: ServiceProcess, run_id: str
) -> None:
    agent = new_person(auth)
    run_cli(run_id, "add-agent", agent.user_id)
    missing = httpx.get(f"{verification.url}/v1/review/cases/{uuid.uuid4()}", headers=agent.headers)
    assert missing.status_code == 404
    assert missing.headers["content-type"] == "application/problem+json"
