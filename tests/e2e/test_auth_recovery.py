"""Recovery e-mail (AUTH-7) and forgotten login id (AUTH-8) over the real servers: the links
and reminders go out as events for notify, nothing-matched requests as verification commands,
and the answers never tell whether an account matched."""

import asyncio
import random
import uuid
from typing import Any

import httpx
import pytest

from konto.common.events import (
    LoginIdRequestedV1,
    OpenCaseV1,
    PasswordResetRequestedV1,
    RecoveryEmailChangedV1,
    RecoveryEmailConfirmationRequestedV1,
)
from konto.common.events.verification import VERIFICATION_COMMANDS
from tests.support.auth_commands import find_command
from tests.support.auth_events import events_of, wait_for_events
from tests.support.identity import PASSWORD, Person, login, new_person
from tests.support.processes import ServiceProcess

pytestmark = pytest.mark.servers


def _mobile() -> str:
    return f"+4179{random.randint(0, 9_999_999):07d}"


def _register(auth: ServiceProcess, mobile: str) -> Person:
    email = f"r.{uuid.uuid4().hex[:10]}@example.ch"
    answer = httpx.post(
        f"{auth.url}/v1/users",
        json={"email": email, "password": PASSWORD, "name": "Rea", "mobile": mobile},
    )
    assert answer.status_code == 201, answer.text
    tokens = login(auth, email)
    return Person(
        answer.json()["id"], email, tokens["access_token"], tokens["refresh_token"], "", ""
    )


def _set_recovery_email(auth: ServiceProcess, person: Person, address: str) -> str:
    """Ask, then open the link from the event, as the mail's reader would; the token."""
    url = f"{auth.url}/v1/me/recovery-email"
    asked = httpx.put(url, json={"email": address}, headers=person.headers)
    assert asked.status_code == 202, asked.text
    [event] = wait_for_events(person.user_id, "konto.auth.recovery_email.confirmation_requested.v1")
    assert isinstance(event, RecoveryEmailConfirmationRequestedV1)
    token = event.data.confirm_url.rsplit("/recovery-email/", 1)[1]
    confirmed = httpx.post(f"{auth.url}/v1/recovery-email/confirm", json={"token": token})
    assert confirmed.status_code == 200, confirmed.text
    return token


def test_recovery_email_counts_once_its_link_is_opened_AUTH_7(auth: ServiceProcess) -> None:
    person = new_person(auth)
    url = f"{auth.url}/v1/me/recovery-email"
    assert httpx.get(url, headers=person.headers).json() == {
        "recovery_email": None,
        "pending_email": None,
    }
    bad = httpx.put(url, json={"email": "no-at-sign"}, headers=person.headers)
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "email"

    asked = httpx.put(url, json={"email": "Anna.Private@Example.ORG"}, headers=person.headers)
    assert asked.status_code == 202
    assert asked.json() == {"recovery_email": None, "pending_email": "anna.private@example.org"}
    [event] = wait_for_events(person.user_id, "konto.auth.recovery_email.confirmation_requested.v1")
    assert isinstance(event, RecoveryEmailConfirmationRequestedV1)
    assert event.data.email == "anna.private@example.org"
    token = event.data.confirm_url.rsplit("/recovery-email/", 1)[1]

    confirm = f"{auth.url}/v1/recovery-email/confirm"
    assert httpx.post(confirm, json={"token": token}).status_code == 200
    again = httpx.post(confirm, json={"token": token})
    assert again.status_code == 400
    assert again.json()["type"].endswith("/invalid-confirmation")
    assert httpx.get(url, headers=person.headers).json() == {
        "recovery_email": "anna.private@example.org",
        "pending_email": None,
    }
    [changed] = wait_for_events(person.user_id, "konto.auth.recovery_email.changed.v1")
    assert isinstance(changed, RecoveryEmailChangedV1)
    assert (changed.data.recovery_email, changed.data.previous) == (
        "anna.private@example.org",
        None,
    )

    # A reset link now goes to the recovery address (AUTH-6).
    reset = httpx.post(
        f"{auth.url}/v1/password-resets", json={"email": person.email, "channel": "email"}
    )
    assert reset.status_code == 202
    [link] = wait_for_events(person.user_id, "konto.auth.password_reset.requested.v1")
    assert isinstance(link, PasswordResetRequestedV1)
    assert link.data.email == "anna.private@example.org"


def _recover(auth: ServiceProcess, **body: Any) -> httpx.Response:
    return httpx.post(f"{auth.url}/v1/login-recovery", json=body)


def test_forgotten_login_id_by_sms_or_recovery_email_AUTH_8(auth: ServiceProcess) -> None:
    alone_mobile = _mobile()
    alone = _register(auth, alone_mobile)
    shared = _mobile()
    first, second = _register(auth, shared), _register(auth, shared)
    _set_recovery_email(auth, second, f"second.{uuid.uuid4().hex[:8]}@private.ch")

    one = _recover(auth, mobile=alone_mobile)
    ambiguous = _recover(auth, mobile=shared)
    assert (one.status_code, ambiguous.status_code) == (202, 202)
    assert one.json() == ambiguous.json()  # the same answer whatever matched

    [sms] = wait_for_events(alone.user_id, "konto.auth.login_id.requested.v1")
    assert isinstance(sms, LoginIdRequestedV1)
    assert (sms.data.channel, sms.data.login_id) == ("sms", alone.email)

    recovery = httpx.get(f"{auth.url}/v1/me/recovery-email", headers=second.headers).json()
    by_mail = _recover(auth, mobile=shared, recovery_email=recovery["recovery_email"])
    assert by_mail.status_code == 202
    [mail] = wait_for_events(second.user_id, "konto.auth.login_id.requested.v1")
    assert isinstance(mail, LoginIdRequestedV1)
    assert (mail.data.channel, mail.data.login_id, mail.data.email) == (
        "email",
        second.email,
        recovery["recovery_email"],
    )
    # The shared number alone identified nobody, so the other account heard nothing.
    silent = asyncio.run(events_of(first.user_id, "konto.auth.login_id.requested.v1", timeout=2.0))
    assert silent == []


def test_nobody_identified_asks_for_a_verification_AUTH_8(auth: ServiceProcess) -> None:
    address = f"lost.{uuid.uuid4().hex[:8]}@private.ch"
    answer = _recover(auth, mobile=_mobile(), recovery_email=address, locale="fr")
    assert answer.status_code == 202
    command = find_command(
        VERIFICATION_COMMANDS,
        lambda e: isinstance(e, OpenCaseV1) and e.data.email == address,
    )
    assert isinstance(command, OpenCaseV1)
    assert (command.data.reason, command.data.requested_by, command.data.locale) == (
        "forgotten_login_id",
        "auth",
        "fr",
    )
    bad = _recover(auth, mobile="12")
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "mobile"
