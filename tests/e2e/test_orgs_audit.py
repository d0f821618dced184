"""Audit trail over the real servers (ORG-9): who did what, when, from where, with before and
after; paged newest first, filterable by action and actor, visible to managers only."""

from datetime import UTC, datetime, timedelta

import httpx
import pytest

from tests.support.identity import new_person
from tests.support.orgs import create_org, join
from tests.support.processes import ServiceProcess

pytestmark = pytest.mark.servers


def test_every_change_is_audited_with_actor_time_and_address_ORG_9(
    auth: ServiceProcess, orgs: ServiceProcess
) -> None:
    started = datetime.now(UTC) - timedelta(seconds=5)
    owner, admin, collab = new_person(auth), new_person(auth), new_person(auth)
    org = create_org(orgs, owner, "Audit AG")
    join(orgs, owner, org, admin, "administrator")
    join(orgs, admin, org, collab, "collaborator")
    base = f"{orgs.url}/v1/orgs/{org}"
    assert httpx.patch(base, json={"name": "Audit Holding"}, headers=admin.headers).is_success
    changed = httpx.patch(
        f"{base}/members/{collab.user_id}", json={"products": ["vps-3"]}, headers=admin.headers
    )
    assert changed.is_success

    page = httpx.get(f"{base}/audit", headers=owner.headers)
    assert page.status_code == 200, page.text
    items = page.json()["items"]
    assert [i["action"] for i in items] == [
        "membership.changed",
        "organization.renamed",
        "membership.added",
        "invitation.accepted",
        "invitation.created",
        "membership.added",
        "invitation.accepted",
        "invitation.created",
        "membership.added",
        "organization.created",
    ]
    renamed = items[1]
    assert renamed["actor"] == admin.user_id
    assert renamed["ip"] == "127.0.0.1"
    assert renamed["target"] == {"type": "organization", "id": org}
    assert (renamed["before"], renamed["after"]) == (
        {"name": "Audit AG"},
        {"name": "Audit Holding"},
    )
    assert datetime.fromisoformat(renamed["at"]) > started
    member = items[0]
    assert member["target"] == {"type": "member", "id": collab.user_id}
    assert member["before"]["products"] == []
    assert member["after"]["products"] == ["vps-3"]

    # Filters and paging.
    only = httpx.get(
        f"{base}/audit", params={"action": "invitation.created"}, headers=owner.headers
    ).json()["items"]
    assert [i["actor"] for i in only] == [admin.user_id, owner.user_id]
    by_admin = httpx.get(f"{base}/audit", params={"by": admin.user_id}, headers=owner.headers)
    assert {i["actor"] for i in by_admin.json()["items"]} == {admin.user_id}
    seen: list[str] = []
    cursor: str | None = None
    while True:
        params = {"limit": 4, **({"cursor": cursor} if cursor else {})}
        body = httpx.get(f"{base}/audit", params=params, headers=admin.headers).json()
        seen += [i["id"] for i in body["items"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert seen == [i["id"] for i in items]

    # Managers only.
    assert httpx.get(f"{base}/audit", headers=collab.headers).status_code == 403
    assert httpx.get(f"{base}/audit", params={"limit": 0}, headers=owner.headers).status_code == 422
