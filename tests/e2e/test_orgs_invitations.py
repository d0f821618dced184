"""Invitations over the real servers (ORG-4): an existing user accepts and joins; an unknown
address registers first and then joins; revoke, resend, single use and expiry."""

import uuid

import httpx
import pytest

from konto.common.events import (
    InvitationAcceptedV1,
    InvitationCreatedV1,
    MembershipAddedV1,
)
from tests.support.identity import Person, login, new_person, register
from tests.support.orgs import (
    accept,
    create_org,
    invitation_token,
    invite,
    my_orgs,
    personal_org,
    wait_for_event,
)
from tests.support.processes import ServiceProcess, start_service

pytestmark = pytest.mark.servers


def _invitations(orgs: ServiceProcess, actor: Person, org: str) -> dict[str, dict[str, object]]:
    answer = httpx.get(f"{orgs.url}/v1/orgs/{org}/invitations", headers=actor.headers)
    assert answer.status_code == 200, answer.text
    return {i["id"]: i for i in answer.json()}


def test_existing_user_accepts_and_joins_once_ORG_4(
    auth: ServiceProcess, orgs: ServiceProcess
) -> None:
    owner, guest = new_person(auth, name="Olga Owner"), new_person(auth)
    org = create_org(orgs, owner, "Invite AG")
    personal_org(orgs, guest)  # orgs has read the guest's registration
    invitation = invite(orgs, owner, org, guest.email.upper(), "collaborator", products=["vps-9"])
    assert invitation["status"] == "pending"
    assert invitation["email"] == guest.email
    assert "token" not in str(invitation)

    event = wait_for_event(
        lambda e: isinstance(e, InvitationCreatedV1) and e.data.invitation_id == invitation["id"],
        org_id=org,
    )
    assert isinstance(event, InvitationCreatedV1)
    assert event.subject == org
    assert event.data.accept_url.startswith("http://localhost:3000/invitations/")
    assert (event.data.org_name, event.data.role, event.data.products) == (
        "Invite AG",
        "collaborator",
        ["vps-9"],
    )
    assert event.data.invited_by == owner.user_id
    assert event.data.existing_user_id == guest.user_id  # notify's cue for "join", not "register"
    token = event.data.accept_url.rsplit("/", 1)[1]

    joined = accept(orgs, guest, token)
    assert joined.status_code == 201, joined.text
    assert joined.json()["id"] == org
    assert joined.json()["role"] == "collaborator"
    assert org in {o["id"] for o in my_orgs(orgs, guest)}
    added = wait_for_event(
        lambda e: isinstance(e, MembershipAddedV1) and e.data.invitation_id == invitation["id"],
        org_id=org,
    )
    assert isinstance(added, MembershipAddedV1)
    assert (added.data.user_id, added.data.products) == (guest.user_id, ["vps-9"])
    assert isinstance(
        wait_for_event(
            lambda e: (
                isinstance(e, InvitationAcceptedV1) and e.data.invitation_id == invitation["id"]
            ),
            org_id=org,
        ),
        InvitationAcceptedV1,
    )

    assert accept(orgs, new_person(auth), token).status_code == 404  # single use
    again = httpx.post(
        f"{orgs.url}/v1/orgs/{org}/invitations", json={"email": guest.email}, headers=owner.headers
    )
    assert again.status_code == 409  # orgs knows the address from auth's events: a member
    assert _invitations(orgs, owner, org)[invitation["id"]]["status"] == "accepted"
    assert httpx.post(f"{orgs.url}/v1/invitations/{token}/accept").status_code == 401


def test_unknown_address_registers_then_joins_ORG_4(
    auth: ServiceProcess, orgs: ServiceProcess
) -> None:
    owner = new_person(auth)
    org = create_org(orgs, owner, "Newcomers GmbH")
    email = f"new.{uuid.uuid4().hex[:10]}@example.ch"
    invitation = invite(orgs, owner, org, email, "administrator")
    event = wait_for_event(
        lambda e: isinstance(e, InvitationCreatedV1) and e.data.invitation_id == invitation["id"],
        org_id=org,
    )
    assert isinstance(event, InvitationCreatedV1)
    assert event.data.existing_user_id is None  # notify's cue for "register first" (AUTH-1)
    token = event.data.accept_url.rsplit("/", 1)[1]

    user = register(auth, email, name="Nina Neu")
    tokens = login(auth, email)
    newcomer = Person(
        user_id=user["id"],
        email=email,
        access_token=tokens["access_token"],
        refresh_token=tokens["refresh_token"],
        session_id=tokens["session_id"],
        device_id=tokens["device_id"],
    )
    joined = accept(orgs, newcomer, token)
    assert joined.status_code == 201, joined.text
    assert joined.json()["role"] == "administrator"
    assert joined.json()["billing"] is True


def test_revoke_and_resend_ORG_4(auth: ServiceProcess, orgs: ServiceProcess) -> None:
    owner, guest = new_person(auth), new_person(auth)
    org = create_org(orgs, owner, "Revoke SA")
    url = f"{orgs.url}/v1/orgs/{org}/invitations"

    revoked = invite(orgs, owner, org, guest.email)
    revoked_token = invitation_token(org, revoked["id"])
    assert httpx.delete(f"{url}/{revoked['id']}", headers=owner.headers).status_code == 204
    assert httpx.delete(f"{url}/{revoked['id']}", headers=owner.headers).status_code == 409
    assert _invitations(orgs, owner, org)[revoked["id"]]["status"] == "revoked"
    assert accept(orgs, guest, revoked_token).status_code == 404

    resent = invite(orgs, owner, org, guest.email, "external", products=["web-1"])
    old_token = invitation_token(org, resent["id"])
    again = httpx.post(f"{url}/{resent['id']}/resend", headers=owner.headers)
    assert again.status_code == 200, again.text
    assert again.json()["expires_at"] >= resent["expires_at"]
    new_token = invitation_token(org, resent["id"], resent=True)
    assert new_token != old_token
    assert accept(orgs, guest, old_token).status_code == 404  # the old link stopped working
    assert accept(orgs, guest, new_token).status_code == 201
    assert httpx.post(f"{url}/{resent['id']}/resend", headers=owner.headers).status_code == 409
    assert httpx.post(f"{url}/nope/resend", headers=owner.headers).status_code == 404


def test_expired_invitation_is_refused_ORG_4(
    auth: ServiceProcess, servers: None, run_id: str
) -> None:
    # A second orgs whose invitations expire at once (its own database and consumer group).
    orgs = start_service(
        "orgs",
        f"{run_id}ttl",
        extra_env={
            "KONTO_ORGS_JWKS_URL": f"{auth.url}/.well-known/jwks.json",
            "KONTO_ORGS_INVITATION_TTL_HOURS": "0",
            "KONTO_ORGS_CONSOLE_URL": "https://console.example",
        },
    )
    try:
        owner, guest = new_person(auth), new_person(auth)
        org = create_org(orgs, owner, "Hurry AG")
        invitation = invite(orgs, owner, org, guest.email)
        event = wait_for_event(
            lambda e: (
                isinstance(e, InvitationCreatedV1) and e.data.invitation_id == invitation["id"]
            ),
            org_id=org,
        )
        assert isinstance(event, InvitationCreatedV1)
        assert event.data.accept_url.startswith("https://console.example/invitations/")
        expired = accept(orgs, guest, event.data.accept_url.rsplit("/", 1)[1])
        assert expired.status_code == 410
        assert _invitations(orgs, owner, org)[invitation["id"]]["status"] == "expired"
    finally:
        orgs.stop()


def test_only_managers_invite_and_only_legal_reps_invite_legal_reps_ORG_3_ORG_4(
    auth: ServiceProcess, orgs: ServiceProcess
) -> None:
    owner, admin = new_person(auth), new_person(auth)
    org = create_org(orgs, owner, "Rules AG")
    invitation = invite(orgs, owner, org, admin.email, "administrator")
    assert accept(orgs, admin, invitation_token(org, invitation["id"])).status_code == 201
    url = f"{orgs.url}/v1/orgs/{org}/invitations"
    body = {"email": "x@example.ch", "role": "legal_representative"}
    assert httpx.post(url, json=body, headers=admin.headers).status_code == 403
    assert httpx.post(url, json=body, headers=owner.headers).status_code == 201
    bad = httpx.post(url, json={"email": "not-an-address"}, headers=owner.headers)
    assert bad.status_code == 422
    assert [e["field"] for e in bad.json()["errors"]] == ["email"]
    role = httpx.post(url, json={"email": "x@example.ch", "role": "boss"}, headers=owner.headers)
    assert [e["field"] for e in role.json()["errors"]] == ["role"]
