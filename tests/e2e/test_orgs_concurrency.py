"""Concurrent member changes over the real servers (ORG-3): two changes at the same moment
conflict on the organization document; the loser runs again against the winner's state (or
answers 409 problem+json), never a 500, and the organization keeps a legal representative."""

import asyncio

import httpx
import pytest

from tests.support.identity import Person, new_person
from tests.support.orgs import create_org, join
from tests.support.processes import ServiceProcess

pytestmark = pytest.mark.servers


async def _both(orgs: ServiceProcess, a: Person, b: Person, org: str) -> list[httpx.Response]:
    """a demotes b and b demotes a, sent together."""
    async with httpx.AsyncClient(base_url=orgs.url, timeout=30) as client:
        return list(
            await asyncio.gather(
                client.patch(
                    f"/v1/orgs/{org}/members/{b.user_id}",
                    json={"role": "administrator"},
                    headers=a.headers,
                ),
                client.patch(
                    f"/v1/orgs/{org}/members/{a.user_id}",
                    json={"role": "administrator"},
                    headers=b.headers,
                ),
            )
        )


def test_two_concurrent_role_changes_keep_a_legal_rep_and_never_fail_ORG_3(
    auth: ServiceProcess, orgs: ServiceProcess
) -> None:
    first, second = new_person(auth, name="Fritz"), new_person(auth, name="Sina")
    org = create_org(orgs, first, "Race AG")
    join(orgs, first, org, second, "legal_representative")

    answers = asyncio.run(_both(orgs, first, second, org))
    statuses = sorted(a.status_code for a in answers)
    assert 500 not in statuses, [a.text for a in answers]
    # Exactly one demotion passes; the other, run again after the conflict, finds the last
    # legal representative (or, after too many conflicts, asks to try again).
    assert statuses[0] == 200, [a.text for a in answers]
    assert statuses[1] in {403, 409}, [a.text for a in answers]
    refused = next(a for a in answers if a.status_code != 200)
    assert refused.headers["content-type"].startswith("application/problem+json")
    # 403: already demoted by the winner; 409: the last legal representative, or too busy.
    assert refused.json()["type"].rsplit("/", 1)[1] in {
        "forbidden",
        "last-legal-representative",
        "concurrent-change",
    }

    members = httpx.get(f"{orgs.url}/v1/orgs/{org}/members", headers=first.headers).json()
    roles = sorted(m["role"] for m in members)
    assert roles == ["administrator", "legal_representative"]


def test_two_managers_change_two_members_at_once_both_pass_ORG_3(
    auth: ServiceProcess, orgs: ServiceProcess
) -> None:
    owner, admin, one, two = (new_person(auth, name=n) for n in ("Olga", "Adam", "Ida", "Tom"))
    org = create_org(orgs, owner, "Busy AG")
    join(orgs, owner, org, admin, "administrator")
    join(orgs, owner, org, one, "collaborator")
    join(orgs, owner, org, two, "collaborator")

    async def both() -> list[httpx.Response]:
        async with httpx.AsyncClient(base_url=orgs.url, timeout=30) as client:
            return list(
                await asyncio.gather(
                    client.patch(
                        f"/v1/orgs/{org}/members/{one.user_id}",
                        json={"role": "external", "products": ["web-1"]},
                        headers=owner.headers,
                    ),
                    client.patch(
                        f"/v1/orgs/{org}/members/{two.user_id}",
                        json={"billing": True},
                        headers=admin.headers,
                    ),
                )
            )

    answers = asyncio.run(both())
    # Both write the organization document, so they conflict; the loser is run again.
    assert [a.status_code for a in answers] == [200, 200], [a.text for a in answers]
    members = httpx.get(f"{orgs.url}/v1/orgs/{org}/members", headers=owner.headers).json()
    by_id = {m["user_id"]: m for m in members}
    assert (by_id[one.user_id]["role"], by_id[one.user_id]["products"]) == ("external", ["web-1"])
    assert by_id[two.user_id]["billing"] is True
