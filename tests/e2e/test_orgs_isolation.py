"""X-4 tenant isolation: every orgs endpoint called as a member of another organization and
as each role of this one; each answers only what the rules (ORG-2, ORG-3, ORG-9) allow.

A non-member learns nothing, not even that the organization exists (404 like an unknown id).
Destructive calls aim at ids that do not exist, so the run does not depend on call order:
a manager then gets the resource's own 404, everyone else the refusal."""

from typing import Any

import httpx
import pytest

from tests.support.identity import Person, new_person
from tests.support.orgs import create_org, join, my_orgs
from tests.support.processes import ServiceProcess

pytestmark = pytest.mark.servers

ORG_404 = "org-not-found"
FORBIDDEN = "forbidden"

# endpoint -> (method, path under /v1/orgs/{org}, body)
ENDPOINTS: dict[str, tuple[str, str, dict[str, Any] | None]] = {
    "get org": ("GET", "", None),
    "rename org": ("PATCH", "", {"name": "Isolation AG"}),
    "list members": ("GET", "/members", None),
    "change member": ("PATCH", "/members/{collab}", {"products": ["vps-1"]}),
    "remove member": ("DELETE", "/members/ghost", None),
    "invite": ("POST", "/invitations", {"email": "someone@example.ch"}),
    "list invitations": ("GET", "/invitations", None),
    "revoke invitation": ("DELETE", "/invitations/ghost", None),
    "resend invitation": ("POST", "/invitations/ghost/resend", None),
    "audit": ("GET", "/audit", None),
    "deletion check": ("GET", "/deletion", None),
    "get logo": ("GET", "/logo", None),
    "remove logo": ("DELETE", "/logo", None),  # none uploaded: nothing changes
    # PUT /logo is multipart: test_orgs_logo covers its refusal for collaborators.
    # DELETE of the organization itself is destructive: test_orgs_deletion covers its 403/404.
}

# caller -> endpoint -> (status, problem code or None)
OK, CREATED = (200, None), (201, None)
HIDDEN, REFUSED = (404, ORG_404), (403, FORBIDDEN)
EXPECTED: dict[str, dict[str, tuple[int, str | None]]] = {
    "outsider": dict.fromkeys(ENDPOINTS, HIDDEN),
    "legal_representative": {
        **dict.fromkeys(ENDPOINTS, OK),
        "remove member": (404, "member-not-found"),
        "invite": CREATED,
        "revoke invitation": (404, "invitation-not-found"),
        "resend invitation": (404, "invitation-not-found"),
        "remove logo": (204, None),
    },
    "collaborator": {
        **dict.fromkeys(ENDPOINTS, REFUSED),
        "get org": OK,
        "list members": OK,
        "get logo": OK,
    },
    "external": {**dict.fromkeys(ENDPOINTS, REFUSED), "get org": OK, "get logo": OK},
}
# Administrators manage everything but the organization's deletion (ORG-7).
EXPECTED["administrator"] = {**EXPECTED["legal_representative"], "deletion check": REFUSED}


def _call(
    orgs: ServiceProcess, who: Person, org: str, endpoint: str, collab: str
) -> httpx.Response:
    method, path, body = ENDPOINTS[endpoint]
    url = f"{orgs.url}/v1/orgs/{org}{path.format(collab=collab)}"
    return httpx.request(method, url, json=body, headers=who.headers)


def test_every_endpoint_as_every_role_and_as_an_outsider_X_4(
    auth: ServiceProcess, orgs: ServiceProcess
) -> None:
    owner, outsider = new_person(auth), new_person(auth)
    people = {"legal_representative": owner, "outsider": outsider}
    org = create_org(orgs, owner, "Tenant AG")
    other = create_org(orgs, outsider, "Elsewhere GmbH")  # the outsider manages their own org
    for role in ("administrator", "collaborator", "external"):
        people[role] = new_person(auth)
        join(orgs, owner, org, people[role], role)
    collab = people["collaborator"].user_id

    failures = []
    for caller, expected in EXPECTED.items():
        for endpoint, (status, code) in expected.items():
            answer = _call(orgs, people[caller], org, endpoint, collab)
            problem = answer.headers.get("content-type") == "application/problem+json"
            got_code = answer.json()["type"].rsplit("/", 1)[-1] if problem else None
            if answer.status_code != status or (code and got_code != code):
                failures.append((caller, endpoint, answer.status_code, got_code))
    assert failures == []

    # The outsider's answers are indistinguishable from an organization that does not exist.
    hidden = _call(orgs, outsider, org, "get org", collab).json()
    unknown = _call(orgs, outsider, "no-such-org", "get org", collab).json()
    assert {k: v for k, v in hidden.items() if k != "instance"} == {
        k: v for k, v in unknown.items() if k != "instance"
    }
    assert org not in {o["id"] for o in my_orgs(orgs, outsider)}
    # Being a manager here opens nothing of the outsider's organization either.
    for endpoint in ("get org", "list members", "audit", "list invitations"):
        assert _call(orgs, owner, other, endpoint, collab).status_code == 404
    # The one endpoint without an organization: only a real, pending token opens a door.
    bogus = httpx.post(f"{orgs.url}/v1/invitations/not-a-token/accept", headers=outsider.headers)
    assert bogus.status_code == 404
