"""Organizations over the real servers: the personal one from a lone registration (ORG-2),
creating further ones (ORG-6), listing, reading and renaming them (ORG-1), and the events."""

import httpx
import pytest

from konto.common.events import (
    MembershipAddedV1,
    OrganizationCreatedV1,
    OrganizationRenamedV1,
)
from tests.support.identity import new_person
from tests.support.orgs import my_orgs, personal_org, wait_for_event
from tests.support.processes import ServiceProcess

pytestmark = pytest.mark.servers


def test_lone_registration_founds_personal_org_ORG_2(
    auth: ServiceProcess, orgs: ServiceProcess
) -> None:
    person = new_person(auth, name="Lea Keller")
    org = personal_org(orgs, person)
    assert org["name"] == "Lea Keller"
    assert org["role"] == "legal_representative"
    assert org["billing"] is True

    members = httpx.get(f"{orgs.url}/v1/orgs/{org['id']}/members", headers=person.headers)
    assert members.status_code == 200
    [me] = members.json()
    assert me["user_id"] == person.user_id
    assert me["email"] == person.email
    assert me["name"] == "Lea Keller"

    created = wait_for_event(
        lambda e: isinstance(e, OrganizationCreatedV1) and e.data.org_id == org["id"],
        org_id=org["id"],
    )
    assert isinstance(created, OrganizationCreatedV1)
    assert created.subject == org["id"]
    assert created.data.personal is True
    assert created.data.created_by == person.user_id
    added = wait_for_event(
        lambda e: isinstance(e, MembershipAddedV1) and e.data.org_id == org["id"], org_id=org["id"]
    )
    assert isinstance(added, MembershipAddedV1)
    assert added.data.user_id == person.user_id
    assert added.data.role == "legal_representative"


def test_create_list_get_rename_ORG_1_ORG_6(auth: ServiceProcess, orgs: ServiceProcess) -> None:
    person = new_person(auth)
    personal = personal_org(orgs, person)

    created = httpx.post(
        f"{orgs.url}/v1/orgs", json={"name": "  Acme   AG "}, headers=person.headers
    )
    assert created.status_code == 201, created.text
    acme = created.json()
    assert acme["name"] == "Acme AG"
    assert acme["role"] == "legal_representative"
    assert acme["personal"] is False

    listed = {o["id"]: o for o in my_orgs(orgs, person)}
    assert set(listed) == {personal["id"], acme["id"]}
    assert listed[acme["id"]]["role"] == "legal_representative"

    got = httpx.get(f"{orgs.url}/v1/orgs/{acme['id']}", headers=person.headers)
    assert got.status_code == 200
    assert got.json()["name"] == "Acme AG"

    renamed = httpx.patch(
        f"{orgs.url}/v1/orgs/{acme['id']}", json={"name": "Acme Holding"}, headers=person.headers
    )
    assert renamed.status_code == 200
    assert renamed.json()["name"] == "Acme Holding"
    event = wait_for_event(
        lambda e: isinstance(e, OrganizationRenamedV1) and e.data.org_id == acme["id"],
        org_id=acme["id"],
    )
    assert isinstance(event, OrganizationRenamedV1)
    assert (event.data.previous_name, event.data.name) == ("Acme AG", "Acme Holding")
    assert event.data.actor_id == person.user_id


def test_bad_input_names_the_field_and_tokens_are_required_X_5(
    auth: ServiceProcess, orgs: ServiceProcess
) -> None:
    person = new_person(auth)
    blank = httpx.post(f"{orgs.url}/v1/orgs", json={"name": "   "}, headers=person.headers)
    assert blank.status_code == 422
    assert blank.headers["content-type"] == "application/problem+json"
    assert [e["field"] for e in blank.json()["errors"]] == ["name"]
    assert httpx.get(f"{orgs.url}/v1/orgs").status_code == 401


def test_stranger_gets_404_not_403_X_4(auth: ServiceProcess, orgs: ServiceProcess) -> None:
    owner, stranger = new_person(auth), new_person(auth)
    org = httpx.post(f"{orgs.url}/v1/orgs", json={"name": "Secret"}, headers=owner.headers).json()
    for method, suffix in [("GET", ""), ("PATCH", ""), ("GET", "/members")]:
        answer = httpx.request(
            method,
            f"{orgs.url}/v1/orgs/{org['id']}{suffix}",
            json={"name": "x"},
            headers=stranger.headers,
        )
        assert answer.status_code == 404, (method, suffix, answer.text)
    missing = httpx.get(f"{orgs.url}/v1/orgs/no-such-org", headers=stranger.headers)
    assert missing.json() == {**missing.json(), "status": 404, "title": "Not found"}


def test_asyncapi_documents_orgs_topics_in_and_out_X_1(orgs: ServiceProcess) -> None:
    doc = httpx.get(f"{orgs.url}/asyncapi.json").text
    assert "konto.auth.events" in doc  # in: registrations
    assert "konto.orgs.events" in doc
    for name in ("organization.created", "membership.changed", "invitation.created"):
        assert f"konto.orgs.{name}.v1" in doc
