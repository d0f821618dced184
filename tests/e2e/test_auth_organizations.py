"""Organizations in tokens over the real servers (ORG-1, AUTH-11): auth's projection of orgs'
membership events, `GET /v1/me/organizations`, switch-org, and a removal reaching the token at
the next refresh."""

import time
from typing import Any

import httpx
import jwt
import pytest

from tests.support.identity import Person, new_person
from tests.support.orgs import create_org, join, personal_org
from tests.support.processes import ServiceProcess

pytestmark = pytest.mark.servers


def _claims(access_token: str) -> dict[str, Any]:
    claims: dict[str, Any] = jwt.decode(access_token, options={"verify_signature": False})
    return claims


def _my_orgs(auth: ServiceProcess, headers: dict[str, str]) -> list[dict[str, Any]]:
    answer = httpx.get(f"{auth.url}/v1/me/organizations", headers=headers)
    assert answer.status_code == 200, answer.text
    body: list[dict[str, Any]] = answer.json()
    return body


def _listed(
    auth: ServiceProcess, person: Person, org_id: str, timeout: float = 30.0
) -> dict[str, Any]:
    """auth projects orgs' events, a moment after orgs wrote them: poll."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = [o for o in _my_orgs(auth, person.headers) if o["org_id"] == org_id]
        if found:
            return found[0]
        time.sleep(0.3)
    raise AssertionError(f"{org_id} never reached auth's projection")


def _switch(auth: ServiceProcess, headers: dict[str, str], org_id: str) -> httpx.Response:
    return httpx.post(
        f"{auth.url}/v1/sessions/switch-org", json={"org_id": org_id}, headers=headers, timeout=15
    )


def _refresh(auth: ServiceProcess, refresh_token: str) -> dict[str, Any]:
    answer = httpx.post(f"{auth.url}/v1/sessions/refresh", json={"refresh_token": refresh_token})
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    return body


def test_tokens_carry_the_organization_and_switch_to_another_ORG_1_AUTH_11(
    auth: ServiceProcess, orgs: ServiceProcess
) -> None:
    person = new_person(auth)
    founded = personal_org(orgs, person)  # orgs founds it from auth's registration event
    personal = _listed(auth, person, founded["id"])
    assert (personal["personal"], personal["role"]) == (True, "legal_representative")

    # The login raced orgs' founding; the next refresh picks a personal organization up. (On
    # the shared test Kafka other runs' orgs found one for this person too, hence "a".)
    refreshed = _refresh(auth, person.refresh_token)
    claims = _claims(refreshed["access_token"])
    headers = {"authorization": f"Bearer {refreshed['access_token']}"}
    listing = {o["org_id"]: o for o in _my_orgs(auth, headers)}
    assert listing[claims["org"]]["personal"] is True
    assert claims["role"] == "legal_representative"
    assert [o for o in listing.values() if o["current"]] == [listing[claims["org"]]]

    second = create_org(orgs, person, "Muster Treuhand AG")
    switched = _switch(auth, headers, second)  # right after: auth waits for the projection
    assert switched.status_code == 200, switched.text
    body = switched.json()
    claims = _claims(body["access_token"])
    assert (claims["org"], claims["role"], claims["sub"]) == (
        second,
        "legal_representative",
        person.user_id,
    )
    assert body["session_id"] == person.session_id
    # The refresh token rotated with the switch; the new one keeps the organization.
    old = httpx.post(
        f"{auth.url}/v1/sessions/refresh", json={"refresh_token": refreshed["refresh_token"]}
    )
    assert old.status_code == 401
    assert _claims(_refresh(auth, body["refresh_token"])["access_token"])["org"] == second

    switched_headers = {"authorization": f"Bearer {body['access_token']}"}
    current = {o["org_id"]: o["current"] for o in _my_orgs(auth, switched_headers)}
    assert current[second] is True
    assert current[personal["org_id"]] is False
    assert sum(current.values()) == 1

    # A fresh login speaks for the organization last switched to.
    again = httpx.post(
        f"{auth.url}/v1/sessions",
        json={"email": person.email, "password": "correct horse battery staple"},
    )
    assert _claims(again.json()["access_token"])["org"] == second


def test_switch_to_a_foreign_organization_is_not_found_ORG_1(
    auth: ServiceProcess, orgs: ServiceProcess
) -> None:
    owner, stranger = new_person(auth), new_person(auth)
    org_id = create_org(orgs, owner, "Fremd GmbH")
    answer = _switch(auth, stranger.headers, org_id)
    assert answer.status_code == 404
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert answer.json()["type"].endswith("/org-not-found")


def test_removed_membership_leaves_the_token_at_next_refresh_ORG_1(
    auth: ServiceProcess, orgs: ServiceProcess
) -> None:
    owner, member = new_person(auth), new_person(auth)
    org_id = create_org(orgs, owner, "Wechsel AG")
    join(orgs, owner, org_id, member, "collaborator", products=["billing"])
    switched = _switch(auth, member.headers, org_id)
    assert switched.status_code == 200, switched.text
    tokens = switched.json()
    assert _claims(tokens["access_token"])["role"] == "collaborator"

    removed = httpx.delete(
        f"{orgs.url}/v1/orgs/{org_id}/members/{member.user_id}", headers=owner.headers
    )
    assert removed.status_code == 204, removed.text
    deadline = time.monotonic() + 20
    refresh_token = tokens["refresh_token"]
    while True:
        tokens = _refresh(auth, refresh_token)
        refresh_token = tokens["refresh_token"]
        if _claims(tokens["access_token"]).get("org") is None:
            break
        assert time.monotonic() < deadline, "the removal never reached the token"
        time.sleep(0.5)
    assert "role" not in _claims(tokens["access_token"])
    assert org_id not in {o["org_id"] for o in _my_orgs(auth, member.headers)}
