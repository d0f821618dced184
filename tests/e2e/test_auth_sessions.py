"""Sessions over the real servers: refresh rotation, reuse detection, listing, revoking and
logging out (AUTH-3)."""

import asyncio

import httpx
import pytest

from konto.common.events import SessionReuseDetectedV1
from tests.support.auth_events import events_of
from tests.support.identity import Person, login, new_person
from tests.support.processes import ServiceProcess

pytestmark = pytest.mark.servers

LEEWAY = 2.0  # KONTO_AUTH_REFRESH_REUSE_LEEWAY_SECONDS default


def _refresh(auth: ServiceProcess, token: str) -> httpx.Response:
    return httpx.post(f"{auth.url}/v1/sessions/refresh", json={"refresh_token": token})


def _sessions(auth: ServiceProcess, access_token: str) -> httpx.Response:
    return httpx.get(f"{auth.url}/v1/sessions", headers={"authorization": f"Bearer {access_token}"})


def test_refresh_rotates_the_token_AUTH_3(auth: ServiceProcess) -> None:
    person = new_person(auth)
    answer = _refresh(auth, person.refresh_token)
    assert answer.status_code == 200, answer.text
    tokens = answer.json()
    assert tokens["refresh_token"] != person.refresh_token
    assert tokens["session_id"] == person.session_id
    assert _sessions(auth, tokens["access_token"]).status_code == 200

    # The old token is spent; within the leeway that is refused without ending the session.
    again = _refresh(auth, person.refresh_token)
    assert again.status_code == 401
    assert again.headers["content-type"] == "application/problem+json"
    assert again.json()["type"].endswith("/invalid-refresh-token")
    assert _refresh(auth, tokens["refresh_token"]).status_code == 200
    assert _refresh(auth, "not-a-token").status_code == 401


async def test_reused_refresh_token_revokes_the_family_AUTH_3(auth: ServiceProcess) -> None:
    person = new_person(auth)
    rotated = _refresh(auth, person.refresh_token).json()
    await asyncio.sleep(LEEWAY + 0.5)

    stolen = _refresh(auth, person.refresh_token)  # replayed after the leeway: theft
    assert stolen.status_code == 401
    assert _refresh(auth, rotated["refresh_token"]).status_code == 401  # the family is over
    assert _sessions(auth, rotated["access_token"]).status_code == 401

    [event] = await events_of(person.user_id, "konto.auth.session.reuse_detected.v1")
    assert isinstance(event, SessionReuseDetectedV1)
    assert event.data.session_id == person.session_id
    assert event.data.family_id == person.session_id


async def test_concurrent_refreshes_with_one_token_exactly_one_wins_AUTH_3(
    auth: ServiceProcess,
) -> None:
    person = new_person(auth)
    async with httpx.AsyncClient(base_url=auth.url) as client:
        answers = await asyncio.gather(
            *(
                client.post("/v1/sessions/refresh", json={"refresh_token": person.refresh_token})
                for _ in range(2)
            )
        )
    assert sorted(a.status_code for a in answers) == [200, 401]
    [winner] = [a.json() for a in answers if a.status_code == 200]
    # A client's own race is no theft: the winner's token keeps working.
    assert _refresh(auth, winner["refresh_token"]).status_code == 200


def _second_session(auth: ServiceProcess, person: Person) -> dict[str, str]:
    return login(auth, person.email)


def test_list_and_revoke_my_sessions_AUTH_3(auth: ServiceProcess) -> None:
    person = new_person(auth)
    other = _second_session(auth, person)
    listed = _sessions(auth, person.access_token)
    assert listed.status_code == 200
    by_id = {s["id"]: s for s in listed.json()}
    assert set(by_id) == {person.session_id, other["session_id"]}
    assert by_id[person.session_id]["current"] is True
    assert by_id[other["session_id"]]["current"] is False
    assert by_id[person.session_id]["device_id"] == person.device_id

    stranger = new_person(auth)
    foreign = httpx.delete(
        f"{auth.url}/v1/sessions/{other['session_id']}", headers=stranger.headers
    )
    assert foreign.status_code == 404
    assert foreign.headers["content-type"] == "application/problem+json"

    revoked = httpx.delete(f"{auth.url}/v1/sessions/{other['session_id']}", headers=person.headers)
    assert revoked.status_code == 204
    assert [s["id"] for s in _sessions(auth, person.access_token).json()] == [person.session_id]
    assert _refresh(auth, other["refresh_token"]).status_code == 401
    again = httpx.delete(f"{auth.url}/v1/sessions/{other['session_id']}", headers=person.headers)
    assert again.status_code == 404


def test_logout_ends_the_current_session_AUTH_3(auth: ServiceProcess) -> None:
    person = new_person(auth)
    answer = httpx.delete(f"{auth.url}/v1/sessions/{person.session_id}", headers=person.headers)
    assert answer.status_code == 204
    assert _refresh(auth, person.refresh_token).status_code == 401
    ended = _sessions(auth, person.access_token)
    assert ended.status_code == 401
    assert ended.json()["type"].endswith("/session-ended")

    other = new_person(auth)
    current = httpx.delete(f"{auth.url}/v1/sessions/current", headers=other.headers)
    assert current.status_code == 204
    assert _refresh(auth, other.refresh_token).status_code == 401
