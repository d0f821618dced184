"""Registering through an invitation over the real servers (AUTH-1, ORG-4): auth tells orgs
the invitation's reference in `user.registered`, and orgs founds no personal organization."""

import hashlib
import time
import uuid

import httpx
import pytest

from konto.common.events import UserRegisteredV1
from tests.support.auth_events import wait_for_events
from tests.support.identity import PASSWORD, Person, login, new_person
from tests.support.orgs import accept, create_org, invitation_token, invite, my_orgs
from tests.support.processes import ServiceProcess

pytestmark = pytest.mark.servers


def test_registration_through_an_invitation_skips_the_personal_org_AUTH_1_ORG_4(
    auth: ServiceProcess, orgs: ServiceProcess
) -> None:
    owner = new_person(auth)
    org_id = create_org(orgs, owner, "Einladend AG")
    email = f"i.{uuid.uuid4().hex[:10]}@example.ch"
    invitation = invite(orgs, owner, org_id, email, "collaborator")
    token = invitation_token(org_id, invitation["id"])

    registered = httpx.post(
        f"{auth.url}/v1/users",
        json={
            "email": email,
            "password": PASSWORD,
            "name": "Ina Eingeladen",
            "mobile": "+41 79 123 45 67",
            "invitation_token": token,
        },
    )
    assert registered.status_code == 201, registered.text
    user_id = registered.json()["id"]
    [event] = wait_for_events(user_id, "konto.auth.user.registered.v1")
    assert isinstance(event, UserRegisteredV1)
    # orgs' own token hash: orgs can find the invitation, the token stays out of the log.
    assert event.data.invitation_id == hashlib.sha256(token.encode()).hexdigest()

    tokens = login(auth, email)
    person = Person(
        user_id, email, tokens["access_token"], tokens["refresh_token"], tokens["session_id"], ""
    )
    joined = accept(orgs, person, token)
    assert joined.status_code == 201, joined.text
    time.sleep(2)  # orgs has long consumed the registration by now (it came before the accept)
    assert [(o["id"], o["personal"]) for o in my_orgs(orgs, person)] == [(org_id, False)]


def test_malformed_invitation_token_names_the_field_AUTH_1(auth: ServiceProcess) -> None:
    answer = httpx.post(
        f"{auth.url}/v1/users",
        json={
            "email": f"m.{uuid.uuid4().hex[:10]}@example.ch",
            "password": PASSWORD,
            "name": "Max",
            "mobile": "+41 79 123 45 67",
            "invitation_token": "not a token!",
        },
    )
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["field"].endswith("invitation_token")
