"""Registration through an invitation link over the real servers (ORG-4, AUTH-1, ORG-2): auth
passes the invitation on in `user.registered`, orgs joins the newcomer to the inviting
organization instead of founding a personal one; a bogus link founds the personal one."""

import time
import uuid
from typing import Any

import httpx
import pytest

from konto.common.events import InvitationAcceptedV1, InvitationCreatedV1, MembershipAddedV1
from tests.support.identity import PASSWORD, Person, login, new_person
from tests.support.orgs import (
    create_org,
    invitation_token,
    invite,
    my_orgs,
    personal_org,
    wait_for_event,
)
from tests.support.processes import ServiceProcess

pytestmark = pytest.mark.servers


def _register(auth: ServiceProcess, email: str, token: str) -> Person:
    answer = httpx.post(
        f"{auth.url}/v1/users",
        json={
            "email": email,
            "password": PASSWORD,
            "name": "Ines Invited",
            "mobile": "+41 79 123 45 67",
            "locale": "fr",
            "invitation_token": token,
        },
    )
    assert answer.status_code == 201, answer.text
    tokens = login(auth, email)
    return Person(
        user_id=answer.json()["id"],
        email=email,
        access_token=tokens["access_token"],
        refresh_token=tokens["refresh_token"],
        session_id=tokens["session_id"],
        device_id=tokens["device_id"],
    )


def _wait_for_orgs(orgs: ServiceProcess, person: Person, timeout: float = 30.0) -> list[Any]:
    """orgs acts on auth's registration event a moment after registering: poll."""
    deadline = time.monotonic() + timeout
    while True:
        found = my_orgs(orgs, person)
        if found:
            return found
        if time.monotonic() > deadline:
            raise AssertionError(f"no organization for {person.email} in {timeout} s")
        time.sleep(0.2)


def test_registration_through_an_invitation_joins_without_a_personal_org_ORG_4(
    auth: ServiceProcess, orgs: ServiceProcess
) -> None:
    owner = new_person(auth, name="Olga Owner")
    org = create_org(orgs, owner, "Welcome AG")
    email = f"inv.{uuid.uuid4().hex[:10]}@example.ch"
    invitation = invite(orgs, owner, org, email, "collaborator", products=["vps-7"], locale="fr")
    assert invitation["locale"] == "fr"
    created = wait_for_event(
        lambda e: isinstance(e, InvitationCreatedV1) and e.data.invitation_id == invitation["id"],
        org_id=org,
    )
    assert isinstance(created, InvitationCreatedV1)
    assert created.data.locale == "fr"  # notify mails the invitee in French
    token = created.data.accept_url.rsplit("/", 1)[1]

    newcomer = _register(auth, email, token)
    found = _wait_for_orgs(orgs, newcomer)
    assert [(o["id"], o["role"], o["products"], o["personal"]) for o in found] == [
        (org, "collaborator", ["vps-7"], False)
    ]  # joined, and no personal organization
    added = wait_for_event(
        lambda e: isinstance(e, MembershipAddedV1) and e.data.user_id == newcomer.user_id,
        org_id=org,
    )
    assert isinstance(added, MembershipAddedV1)
    assert added.data.invitation_id == invitation["id"]
    assert isinstance(
        wait_for_event(
            lambda e: (
                isinstance(e, InvitationAcceptedV1) and e.data.invitation_id == invitation["id"]
            ),
            org_id=org,
        ),
        InvitationAcceptedV1,
    )
    listed = httpx.get(f"{orgs.url}/v1/orgs/{org}/invitations", headers=owner.headers).json()
    assert {i["id"]: i["status"] for i in listed}[invitation["id"]] == "accepted"
    audit = httpx.get(
        f"{orgs.url}/v1/orgs/{org}/audit", params={"by": newcomer.user_id}, headers=owner.headers
    ).json()["items"]
    assert {row["action"] for row in audit} == {"invitation.accepted", "membership.added"}
    # The console may still send the link's accept: the same person gets the same answer, and
    # nobody else can use the link any more.
    again = httpx.post(f"{orgs.url}/v1/invitations/{token}/accept", headers=newcomer.headers)
    assert again.status_code == 201, again.text
    assert again.json()["id"] == org
    stranger = httpx.post(f"{orgs.url}/v1/invitations/{token}/accept", headers=owner.headers)
    assert stranger.status_code == 404
    assert [o["id"] for o in my_orgs(orgs, newcomer)] == [org]  # still no personal org


def test_registration_with_a_bogus_or_revoked_invitation_founds_a_personal_org_ORG_2_ORG_4(
    auth: ServiceProcess, orgs: ServiceProcess
) -> None:
    bogus = _register(auth, f"bog.{uuid.uuid4().hex[:10]}@example.ch", "not-a-real-token")
    assert personal_org(orgs, bogus)["role"] == "legal_representative"

    owner = new_person(auth, name="Olga Owner")
    org = create_org(orgs, owner, "Changed Mind AG")
    email = f"rev.{uuid.uuid4().hex[:10]}@example.ch"
    invitation = invite(orgs, owner, org, email)
    token = invitation_token(org, invitation["id"])
    url = f"{orgs.url}/v1/orgs/{org}/invitations/{invitation['id']}"
    assert httpx.delete(url, headers=owner.headers).status_code == 204
    revoked = _register(auth, email, token)
    assert personal_org(orgs, revoked)["personal"] is True
    assert org not in {o["id"] for o in my_orgs(orgs, revoked)}
