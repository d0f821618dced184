"""Acting on identity verifications over the real servers (AUTH-5, AUTH-6, AUTH-9, VER-3): a
locked account asks for a case, a support agent approves it in the real verification service,
and auth unlocks; approved cases of auth's also remove 2FA and send a reset link."""

import asyncio
import time
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pyotp
import pytest

from konto.common.events import (
    AccountUnlockedV1,
    CaseOpenedV1,
    MfaDisabledV1,
    PasswordResetRequestedV1,
)
from tests.support.auth_events import events_of
from tests.support.identity import PASSWORD, new_person, register
from tests.support.processes import ServiceProcess, start_service
from tests.support.verification import (
    CaseClient,
    open_case_command,
    opened_by,
    run_cli,
    send_open_case,
    token_of,
    wait_for_events,
)

pytestmark = [pytest.mark.servers, pytest.mark.timeout(240)]

LOCK_AFTER = 2


@pytest.fixture(scope="module")
def locking_auth(verification: ServiceProcess, run_id: str) -> Iterator[ServiceProcess]:
    """An auth of its own that locks after two failures; started after verification, so the
    unlock command it sends reaches a consuming verification."""
    service = start_service(
        "auth", f"{run_id}vr", extra_env={"KONTO_AUTH_LOCKOUT_THRESHOLD": str(LOCK_AFTER)}
    )
    yield service
    service.stop()


async def _post(url: str, **kwargs: Any) -> httpx.Response:
    async with httpx.AsyncClient(timeout=20) as client:
        return await client.post(url, **kwargs)


async def _login(auth: ServiceProcess, email: str, password: str) -> httpx.Response:
    return await _post(f"{auth.url}/v1/sessions", json={"email": email, "password": password})


async def _approve(
    auth: ServiceProcess, verification: ServiceProcess, run_id: str, user_id: str, reason: str
) -> None:
    """The person fills the case on their phone, a support agent approves it."""
    [opened] = await wait_for_events(
        opened_by(verification, lambda e: e.data.reference == user_id and e.data.reason == reason),
    )
    assert isinstance(opened, CaseOpenedV1)
    case = CaseClient(verification, opened.data.case_id, token_of(opened.data.case_url))
    await case.fill_and_submit("passport")
    agent = new_person(auth)
    run_cli(run_id, "add-agent", agent.user_id)
    decided = await _post(
        f"{verification.url}/v1/review/cases/{case.case_id}/decision",
        json={"outcome": "approve", "reason": "document and selfie match"},
        headers=agent.headers,
    )
    assert decided.status_code == 200, decided.text


async def test_locked_account_unlocks_after_approved_verification_AUTH_5_VER_3(
    auth: ServiceProcess, verification: ServiceProcess, locking_auth: ServiceProcess, run_id: str
) -> None:
    email = f"lock.{uuid.uuid4().hex[:10]}@example.ch"
    user_id = register(locking_auth, email)["id"]
    for _ in range(LOCK_AFTER):
        locked = await _login(locking_auth, email, "not the password")
    assert locked.status_code == 423
    assert locked.json()["unlock"]["href"] == "/v1/account-unlocks"

    unlocks = f"{locking_auth.url}/v1/account-unlocks"
    asked = await _post(unlocks, json={"email": email})
    other = await _post(unlocks, json={"email": f"nobody.{uuid.uuid4().hex[:8]}@example.ch"})
    assert (asked.status_code, other.status_code) == (202, 202)
    assert asked.json() == other.json()

    await _approve(auth, verification, run_id, user_id, "account_unlock")
    deadline = time.monotonic() + 30
    while (answer := await _login(locking_auth, email, PASSWORD)).status_code == 423:
        assert time.monotonic() < deadline, "the approval never unlocked the account"
        await asyncio.sleep(0.5)
    assert answer.status_code == 201, answer.text
    [event] = await events_of(user_id, "konto.auth.account.unlocked.v1")
    assert isinstance(event, AccountUnlockedV1)
    assert event.data.by == "verification"


async def test_approved_cases_remove_2fa_and_send_a_reset_link_AUTH_6_AUTH_9_VER_3(
    auth: ServiceProcess, verification: ServiceProcess, run_id: str
) -> None:
    person = new_person(auth)
    enrol = (await _post(f"{auth.url}/v1/me/mfa/totp", headers=person.headers)).json()
    confirmed = await _post(
        f"{auth.url}/v1/me/mfa/totp/confirm",
        json={"code": pyotp.TOTP(enrol["secret"]).now()},
        headers=person.headers,
    )
    assert confirmed.status_code == 200, confirmed.text

    # The commands auth sends for these reasons (a lost second factor, no recovery option).
    for reason in ("mfa_deactivation", "forgotten_password"):
        await send_open_case(
            open_case_command(reason, person.user_id, user_id=person.user_id, email=person.email)
        )
        await _approve(auth, verification, run_id, person.user_id, reason)

    [disabled] = await events_of(person.user_id, "konto.auth.mfa.disabled.v1", timeout=30)
    assert isinstance(disabled, MfaDisabledV1)
    assert disabled.data.mfa_enabled is False
    alone = await _login(auth, person.email, PASSWORD)
    assert alone.status_code == 201, alone.text  # a password alone again, no challenge

    [reset] = await events_of(person.user_id, "konto.auth.password_reset.requested.v1", timeout=30)
    assert isinstance(reset, PasswordResetRequestedV1)
    assert reset.data.requested_via == "verification"
    token = reset.data.reset_url.rsplit("/", 1)[1]
    done = await _post(
        f"{auth.url}/v1/password-resets/confirm",
        json={"token": token, "new_password": "verified and renewed"},
    )
    assert done.status_code == 204, done.text
