"""The profile over the real servers (AUTH-11): read it, change name, mobile and locale, and
the change is announced."""

import httpx
import pytest

from konto.common.events import UserUpdatedV1
from tests.support.auth_events import wait_for_events
from tests.support.identity import new_person
from tests.support.processes import ServiceProcess

pytestmark = pytest.mark.servers


def test_read_and_change_my_profile_AUTH_11(auth: ServiceProcess) -> None:
    person = new_person(auth, name="Anna Muster")
    me = httpx.get(f"{auth.url}/v1/me", headers=person.headers)
    assert me.status_code == 200
    assert me.json()["email"] == person.email
    assert me.json()["name"] == "Anna Muster"
    assert me.json()["mfa_enabled"] is False

    changed = httpx.patch(
        f"{auth.url}/v1/me",
        json={"name": " Anna Beispiel ", "mobile": "+41 78 765 43 21", "locale": "fr"},
        headers=person.headers,
    )
    assert changed.status_code == 200, changed.text
    body = changed.json()
    assert (body["name"], body["mobile"], body["locale"]) == ("Anna Beispiel", "+41787654321", "fr")
    assert httpx.get(f"{auth.url}/v1/me", headers=person.headers).json() == body

    [event] = wait_for_events(person.user_id, "konto.auth.user.updated.v1")
    assert isinstance(event, UserUpdatedV1)
    assert event.data.changes == {"name": "Anna Beispiel", "mobile": "+41787654321", "locale": "fr"}


def test_profile_errors_name_the_field_AUTH_11(auth: ServiceProcess) -> None:
    person = new_person(auth)
    bad = httpx.patch(f"{auth.url}/v1/me", json={"mobile": "12"}, headers=person.headers)
    assert bad.status_code == 422
    assert bad.headers["content-type"] == "application/problem+json"
    assert [e["field"] for e in bad.json()["errors"]] == ["mobile"]
    locale = httpx.patch(f"{auth.url}/v1/me", json={"locale": "es"}, headers=person.headers)
    assert [e["field"] for e in locale.json()["errors"]] == ["locale"]
    assert httpx.get(f"{auth.url}/v1/me").status_code == 401
