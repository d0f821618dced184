"""Issue 9, X-5: schemathesis against every service's OpenAPI document, as a registered person
with an organization of their own: no request, valid or not, gets a 5xx, an undocumented
status or a body outside the declared schema.

Bounded and deterministic: a few positive and negative examples per operation, a fixed seed
(`derandomize`), no shrinking. Organization-scoped paths use the person's own organization
(the `org` / `org_id` path parameter pinned), so generated bodies reach the handlers, not only
the 404 of an unknown organization."""

import time

import httpx
import pytest

from tests.support.abuse_fuzz import fuzz
from tests.support.abuse_people import someone
from tests.support.billing import wait_for_status
from tests.support.identity import Person
from tests.support.processes import ServiceProcess

pytestmark = [pytest.mark.servers, pytest.mark.abuse]

SERVICES = ["auth", "orgs", "billing", "verification", "notify"]


def _in_org(auth: ServiceProcess, person: Person, org: str) -> Person:
    """Tokens for the new organization: auth learns of it from orgs' event, so poll."""
    deadline = time.monotonic() + 60
    while True:
        answer = httpx.post(
            f"{auth.url}/v1/sessions/switch-org",
            json={"org_id": org},
            headers=person.headers,
            timeout=60,
        )
        if answer.status_code == 200 or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    assert answer.status_code == 200, answer.text
    tokens = answer.json()
    return Person(
        person.user_id,
        person.email,
        tokens["access_token"],
        tokens["refresh_token"],
        person.session_id,
        person.device_id,
    )


@pytest.mark.parametrize("name", SERVICES)
def test_no_server_error_and_no_answer_outside_the_schema_X_5(
    name: str, request: pytest.FixtureRequest, auth: ServiceProcess, orgs: ServiceProcess
) -> None:
    service: ServiceProcess = request.getfixturevalue(name)
    person = someone(auth)
    created = httpx.post(
        f"{orgs.url}/v1/orgs", json={"name": "Fuzz AG"}, headers=person.headers, timeout=60
    )
    assert created.status_code == 201, created.text
    org = created.json()["id"]
    person = _in_org(auth, person, org)
    if name == "billing":
        wait_for_status(service, person, org, 200)

    report = fuzz(
        service.url,
        person.headers,
        path_parameters={"org": org, "org_id": org},
        # Deleting the organization would leave every later operation its 404 alone.
        unpinned=frozenset({"DELETE /v1/orgs/{org_id}"}),
    )

    assert report.operations, "the document lists no operation"
    findings = "\n".join(str(f) for f in report.findings.values())
    assert not report.findings, f"{len(report.findings)} in {report.calls} calls:\n{findings}"
    assert report.unavailable < report.calls / 10, "the database hardly answered: run again"
