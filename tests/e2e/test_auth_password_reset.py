"""Password reset and change over the real servers (AUTH-6): a link by mail (its event for
notify), a code by SMS (a sealed command to notify), the same answer for unknown accounts, a
rate limit per identifier, and every other session ends."""

import uuid

import httpx
import pytest

from konto.common.events import (
    NOTIFY_COMMANDS,
    PasswordChangedV1,
    PasswordResetRequestedV1,
    SendSmsCodeV1,
)
from tests.support.auth_commands import opened_code, wait_for_command
from tests.support.auth_events import wait_for_events
from tests.support.identity import PASSWORD, Person, new_person
from tests.support.processes import ServiceProcess

pytestmark = pytest.mark.servers

NEW_PASSWORD = "a brand new passphrase"


def _login(auth: ServiceProcess, email: str, password: str) -> httpx.Response:
    return httpx.post(f"{auth.url}/v1/sessions", json={"email": email, "password": password})


def _ask(auth: ServiceProcess, email: str, channel: str) -> httpx.Response:
    return httpx.post(f"{auth.url}/v1/password-resets", json={"email": email, "channel": channel})


def _confirm(auth: ServiceProcess, **body: str) -> httpx.Response:
    return httpx.post(
        f"{auth.url}/v1/password-resets/confirm", json={**body, "new_password": NEW_PASSWORD}
    )


def _assert_reset_done(auth: ServiceProcess, person: Person) -> None:
    # The session that was open before the reset has ended, refresh token included.
    assert httpx.get(f"{auth.url}/v1/me", headers=person.headers).status_code == 401
    old_refresh = httpx.post(
        f"{auth.url}/v1/sessions/refresh", json={"refresh_token": person.refresh_token}
    )
    assert old_refresh.status_code == 401
    assert _login(auth, person.email, PASSWORD).status_code == 401
    assert _login(auth, person.email, NEW_PASSWORD).status_code == 201
    [event] = wait_for_events(person.user_id, "konto.auth.password.changed.v1")
    assert isinstance(event, PasswordChangedV1)
    assert (event.data.reason, event.data.sessions_ended) == ("reset", 1)


def test_reset_by_mailed_link_ends_every_session_AUTH_6(auth: ServiceProcess) -> None:
    person = new_person(auth)
    asked = _ask(auth, person.email.upper(), "email")
    unknown = _ask(auth, f"nobody.{uuid.uuid4().hex[:8]}@example.ch", "email")
    assert (asked.status_code, unknown.status_code) == (202, 202)
    assert asked.json() == unknown.json()  # nothing tells whether the account exists

    [event] = wait_for_events(person.user_id, "konto.auth.password_reset.requested.v1")
    assert isinstance(event, PasswordResetRequestedV1)
    assert event.data.email == person.email
    assert event.data.requested_via == "self_service"
    token = event.data.reset_url.rsplit("/password-reset/", 1)[1]

    weak = httpx.post(
        f"{auth.url}/v1/password-resets/confirm", json={"token": token, "new_password": "short"}
    )
    assert weak.status_code == 422
    assert weak.json()["errors"][0]["field"] == "new_password"
    assert _confirm(auth, token=token).status_code == 204
    again = _confirm(auth, token=token)
    assert again.status_code == 400
    assert again.json()["type"].endswith("/invalid-reset")
    _assert_reset_done(auth, person)


def test_reset_by_sms_code_sealed_for_notify_AUTH_6(auth: ServiceProcess) -> None:
    person = new_person(auth)
    assert _ask(auth, person.email, "sms").status_code == 202
    command = wait_for_command(NOTIFY_COMMANDS, person.user_id, "konto.notify.sms_code.send.v1")
    assert isinstance(command, SendSmsCodeV1)
    assert command.data.mobile == "+41791234567"
    assert command.source == "konto/auth"
    code = opened_code(command)
    assert code not in command.to_json().decode()  # sealed, never plain in Kafka

    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    assert _confirm(auth, email=person.email, code=wrong).status_code == 400
    assert _confirm(auth, email=person.email, code=code).status_code == 204
    _assert_reset_done(auth, person)


def test_reset_requests_are_limited_per_identifier_AUTH_6(auth: ServiceProcess) -> None:
    email = f"flood.{uuid.uuid4().hex[:8]}@example.ch"  # unknown: treated exactly like a real one
    answers = [_ask(auth, email, "email").status_code for _ in range(3)]
    assert answers == [202, 202, 202]
    limited = _ask(auth, email, "sms")
    assert limited.status_code == 429
    assert int(limited.headers["Retry-After"]) > 0


def test_change_password_with_the_current_one_AUTH_6(auth: ServiceProcess) -> None:
    person = new_person(auth)
    other = _login(auth, person.email, PASSWORD).json()
    url = f"{auth.url}/v1/me/password"
    wrong = httpx.post(
        url,
        json={"current_password": "not my password", "new_password": NEW_PASSWORD},
        headers=person.headers,
    )
    assert wrong.status_code == 403
    changed = httpx.post(
        url,
        json={"current_password": PASSWORD, "new_password": NEW_PASSWORD},
        headers=person.headers,
    )
    assert changed.status_code == 204, changed.text
    assert httpx.get(f"{auth.url}/v1/me", headers=person.headers).status_code == 200
    ended = {"authorization": f"Bearer {other['access_token']}"}
    assert httpx.get(f"{auth.url}/v1/me", headers=ended).status_code == 401
    [event] = wait_for_events(person.user_id, "konto.auth.password.changed.v1")
    assert isinstance(event, PasswordChangedV1)
    assert (event.data.reason, event.data.sessions_ended) == ("change", 1)
