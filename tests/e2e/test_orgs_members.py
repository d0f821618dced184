"""Members and roles over the real servers (ORG-2, ORG-3): list, change role / products /
billing, remove and leave, with the rules enforced and the membership events complete."""

from typing import Any

import httpx
import pytest

from konto.common.events import MembershipChangedV1, MembershipRemovedV1
from tests.support.identity import Person, new_person
from tests.support.orgs import create_org, join, personal_org, wait_for_event
from tests.support.processes import ServiceProcess

pytestmark = pytest.mark.servers


def _patch(orgs: ServiceProcess, actor: Person, org: str, user: str, **body: Any) -> httpx.Response:
    return httpx.patch(f"{orgs.url}/v1/orgs/{org}/members/{user}", json=body, headers=actor.headers)


def _delete(orgs: ServiceProcess, actor: Person, org: str, user: str) -> httpx.Response:
    return httpx.delete(f"{orgs.url}/v1/orgs/{org}/members/{user}", headers=actor.headers)


def _members(orgs: ServiceProcess, actor: Person, org: str) -> httpx.Response:
    return httpx.get(f"{orgs.url}/v1/orgs/{org}/members", headers=actor.headers)


def test_members_roles_and_the_last_legal_rep_ORG_2_ORG_3(
    auth: ServiceProcess, orgs: ServiceProcess
) -> None:
    owner, admin, collab, ext = (new_person(auth, name=n) for n in ("Olga", "Adam", "Cleo", "Emil"))
    org = create_org(orgs, owner, "Team AG")
    join(orgs, owner, org, admin, "administrator")
    join(orgs, owner, org, collab, "collaborator", products=["vps-1"])
    join(orgs, admin, org, ext, "external", products=["web-2"])

    for person in (admin, collab, ext):  # orgs has read their registration (name, e-mail)
        personal_org(orgs, person)
    listed = _members(orgs, owner, org)
    assert listed.status_code == 200
    by_id = {m["user_id"]: m for m in listed.json()}
    assert {u: m["role"] for u, m in by_id.items()} == {
        owner.user_id: "legal_representative",
        admin.user_id: "administrator",
        collab.user_id: "collaborator",
        ext.user_id: "external",
    }
    assert by_id[collab.user_id]["products"] == ["vps-1"]
    assert by_id[collab.user_id]["billing"] is False
    assert by_id[admin.user_id]["email"] == admin.email
    assert _members(orgs, collab, org).status_code == 200
    assert _members(orgs, ext, org).status_code == 403  # externals: no organization-wide view

    # An administrator gives a collaborator products and billing rights.
    changed = _patch(orgs, admin, org, collab.user_id, products=["vps-1", "web-2"], billing=True)
    assert changed.status_code == 200, changed.text
    assert changed.json()["products"] == ["vps-1", "web-2"]
    event = wait_for_event(
        lambda e: isinstance(e, MembershipChangedV1) and e.data.user_id == collab.user_id,
        org_id=org,
    )
    assert isinstance(event, MembershipChangedV1)
    assert event.subject == org
    assert event.data.before.model_dump() == {
        "role": "collaborator",
        "products": ["vps-1"],
        "billing": False,
    }
    assert event.data.after.products == ["vps-1", "web-2"]
    assert event.data.after.billing is True
    assert event.data.actor_id == admin.user_id
    assert event.data.org_name == "Team AG"

    # Collaborators and externals change nothing; administrators cannot touch legal reps.
    assert _patch(orgs, collab, org, ext.user_id, products=[]).status_code == 403
    assert _patch(orgs, ext, org, collab.user_id, billing=False).status_code == 403
    assert _patch(orgs, admin, org, collab.user_id, role="legal_representative").status_code == 403
    assert _patch(orgs, admin, org, owner.user_id, role="administrator").status_code == 403
    assert _delete(orgs, admin, org, owner.user_id).status_code == 403
    assert _delete(orgs, collab, org, ext.user_id).status_code == 403
    assert _patch(orgs, owner, org, "nobody", role="external").status_code == 404

    # The last legal representative can be replaced, never demoted or removed.
    last = _patch(orgs, owner, org, owner.user_id, role="administrator")
    assert last.status_code == 409
    assert last.json()["type"].endswith("/last-legal-representative")
    assert _delete(orgs, owner, org, owner.user_id).status_code == 409
    assert _patch(orgs, owner, org, admin.user_id, role="legal_representative").status_code == 200
    assert _patch(orgs, owner, org, owner.user_id, role="administrator").status_code == 200
    assert _delete(orgs, admin, org, admin.user_id).status_code == 409  # now the last one

    # Removing and leaving.
    assert _delete(orgs, owner, org, ext.user_id).status_code == 204
    removed = wait_for_event(
        lambda e: isinstance(e, MembershipRemovedV1) and e.data.user_id == ext.user_id, org_id=org
    )
    assert isinstance(removed, MembershipRemovedV1)
    assert (removed.data.role, removed.data.products) == ("external", ["web-2"])
    assert removed.data.actor_id == owner.user_id
    assert httpx.get(f"{orgs.url}/v1/orgs/{org}", headers=ext.headers).status_code == 404
    assert _delete(orgs, collab, org, collab.user_id).status_code == 204  # leaves
    final = {m["user_id"]: m["role"] for m in _members(orgs, admin, org).json()}
    assert final == {owner.user_id: "administrator", admin.user_id: "legal_representative"}
