"""Brute-force protection over the real servers (AUTH-5): throttling per identifier and per
client address, the lock after N consecutive failures, the same answers for unknown ids, and
the admin unlock from the CLI. A separate auth process with small limits keeps it quick."""

import asyncio
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator

import httpx
import pytest

from konto.common.events import AccountLockedV1
from tests.support.auth_events import events_of
from tests.support.identity import FIREFOX, PASSWORD, register
from tests.support.processes import ServiceProcess, start_service
from tests.support.servers import KAFKA, MONGO_URL

pytestmark = pytest.mark.servers

WINDOW = 6
PER_ID = 3
PER_ADDRESS = 6
LOCK_AFTER = 4
WRONG = "not the password"


@pytest.fixture(scope="module")
def guarded_run(run_id: str) -> str:
    return f"{run_id}bf"


@pytest.fixture(scope="module")
def guarded_auth(servers: None, guarded_run: str) -> Iterator[ServiceProcess]:
    service = start_service(
        "auth",
        guarded_run,
        extra_env={
            "KONTO_AUTH_LOGIN_WINDOW_SECONDS": str(WINDOW),
            "KONTO_AUTH_LOGIN_MAX_FAILURES_PER_IDENTIFIER": str(PER_ID),
            "KONTO_AUTH_LOGIN_MAX_FAILURES_PER_ADDRESS": str(PER_ADDRESS),
            "KONTO_AUTH_LOCKOUT_THRESHOLD": str(LOCK_AFTER),
        },
    )
    yield service
    service.stop()


def _address() -> str:
    return f"198.51.100.{uuid.uuid4().int % 250 + 1}"


def _login(
    auth: ServiceProcess, email: str, secret: str = WRONG, ip: str | None = None
) -> httpx.Response:
    return httpx.post(
        f"{auth.url}/v1/sessions",
        json={"email": email, "password": secret},
        headers={"user-agent": FIREFOX, "x-forwarded-for": ip or _address()},
        timeout=10,
    )


def _email() -> str:
    return f"bf.{uuid.uuid4().hex[:10]}@example.ch"


def test_failures_per_identifier_are_throttled_AUTH_5(guarded_auth: ServiceProcess) -> None:
    email = _email()
    for _ in range(PER_ID):
        assert _login(guarded_auth, email).status_code == 401
    throttled = _login(guarded_auth, email)  # even from yet another address
    assert throttled.status_code == 429
    assert throttled.headers["content-type"] == "application/problem+json"
    assert throttled.json()["type"].endswith("/too-many-attempts")
    assert 1 <= int(throttled.headers["retry-after"]) <= WINDOW


def test_failures_per_address_are_throttled_AUTH_5(guarded_auth: ServiceProcess) -> None:
    address = "203.0.113.7"
    for _ in range(PER_ADDRESS):
        assert _login(guarded_auth, _email(), ip=address).status_code == 401
    throttled = _login(guarded_auth, _email(), ip=address)
    assert throttled.status_code == 429
    assert int(throttled.headers["retry-after"]) >= 1
    assert _login(guarded_auth, _email(), ip="203.0.113.8").status_code == 401


async def _fail_until_locked(auth: ServiceProcess, email: str) -> httpx.Response:
    """LOCK_AFTER consecutive failures, waiting out the throttle on the way."""
    answer = None
    for _ in range(LOCK_AFTER):
        answer = _login(auth, email)
        if answer.status_code == 429:
            await asyncio.sleep(int(answer.headers["retry-after"]) + 0.2)
            answer = _login(auth, email)
    assert answer is not None
    return answer


def _unlock(run: str, email: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "KONTO_AUTH_MONGO_URL": MONGO_URL,
        "KONTO_AUTH_MONGO_DB": f"t{run}_auth",
        "KONTO_AUTH_KAFKA_BOOTSTRAP": KAFKA,
    }
    return subprocess.run(
        [sys.executable, "-m", "konto.auth.cli", "unlock", email],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


async def test_account_locks_after_consecutive_failures_and_admin_unlocks_AUTH_5(
    guarded_auth: ServiceProcess, guarded_run: str
) -> None:
    email = _email()
    user = register(guarded_auth, email)
    locked = await _fail_until_locked(guarded_auth, email)
    assert locked.status_code == 423
    assert locked.headers["content-type"] == "application/problem+json"
    assert locked.json()["detail"] == "account locked, verify your identity"
    assert _login(guarded_auth, email, secret=PASSWORD).status_code == 423

    [event] = await events_of(user["id"], "konto.auth.account.locked.v1")
    assert isinstance(event, AccountLockedV1)
    assert event.data.failed_attempts == LOCK_AFTER

    done = _unlock(guarded_run, email)
    assert done.returncode == 0, done.stderr
    assert _login(guarded_auth, email, secret=PASSWORD).status_code == 201
    assert await events_of(user["id"], "konto.auth.account.unlocked.v1")
    assert _unlock(guarded_run, email).returncode == 1  # nothing left to unlock


async def test_unknown_identifier_gets_the_same_lock_AUTH_5(guarded_auth: ServiceProcess) -> None:
    email = _email()  # never registered
    locked = await _fail_until_locked(guarded_auth, email)
    assert locked.status_code == 423
    assert locked.json()["detail"] == "account locked, verify your identity"
    assert _login(guarded_auth, email, secret=PASSWORD).status_code == 423
