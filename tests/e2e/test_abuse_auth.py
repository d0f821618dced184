"""Issue 9: attacks on auth over the real servers. A TOTP code replayed, sequentially and by
concurrent answers (AUTH-9); one backup code raced by 20 concurrent answers (AUTH-9, X-3); a
stolen refresh token replayed after the leeway (AUTH-3); 1,000 wrong passwords on one id
(AUTH-5); the time a login takes for an unknown id against a wrong password (AUTH-5, X-3).

Every attack sends its own client address (auth trusts X-Forwarded-For from 127.0.0.1, as
from a proxy), so its failures never throttle the other tests' logins from 127.0.0.1. The
brute-force and timing attacks run against an auth process of their own with short limits."""

import asyncio
import os
import statistics
import subprocess
import sys
import time
import uuid
from collections import Counter
from collections.abc import Iterator

import httpx
import pyotp
import pytest

from konto.common.events import SessionReuseDetectedV1
from tests.support.abuse_people import login, someone
from tests.support.auth_events import wait_for_events
from tests.support.identity import FIREFOX, PASSWORD, Person, register
from tests.support.processes import ServiceProcess, start_service
from tests.support.servers import KAFKA, MONGO_URL

pytestmark = [pytest.mark.servers, pytest.mark.abuse]

LEEWAY = 2.0  # KONTO_AUTH_REFRESH_REUSE_LEEWAY_SECONDS default
WINDOW = 2
PER_ID = 3
LOCK_AFTER = 6
WRONG = "not the password at all"


def _fresh_address() -> str:
    n = uuid.uuid4().int
    return f"100.{64 + n % 64}.{(n >> 8) % 256}.{(n >> 16) % 254 + 1}"


def _headers(address: str) -> dict[str, str]:
    return {"user-agent": FIREFOX, "x-forwarded-for": address}


# -- second factors (AUTH-9) -------------------------------------------------------------------


def _enable_totp(auth: ServiceProcess, person: Person) -> tuple[pyotp.TOTP, list[str]]:
    enrol = httpx.post(f"{auth.url}/v1/me/mfa/totp", headers=person.headers, timeout=30)
    assert enrol.status_code == 201, enrol.text
    totp = pyotp.TOTP(enrol.json()["secret"])
    confirmed = httpx.post(
        f"{auth.url}/v1/me/mfa/totp/confirm",
        json={"code": totp.now()},
        headers=person.headers,
        timeout=30,
    )
    assert confirmed.status_code == 200, confirmed.text
    codes: list[str] = confirmed.json()["backup_codes"]
    return totp, codes


async def _challenges(auth: ServiceProcess, person: Person, count: int, address: str) -> list[str]:
    async with httpx.AsyncClient(base_url=auth.url, timeout=60) as client:
        answers = await asyncio.gather(
            *(
                client.post(
                    "/v1/sessions",
                    json={"email": person.email, "password": PASSWORD},
                    headers=_headers(address),
                )
                for _ in range(count)
            )
        )
    assert [a.status_code for a in answers] == [202] * count, answers[0].text
    return [a.json()["challenge_id"] for a in answers]


def _race(
    auth: ServiceProcess, person: Person, count: int, code: str, address: str
) -> list[httpx.Response]:
    """`count` password logins, then one answer with `code` to each challenge, all at once."""
    challenges = asyncio.run(_challenges(auth, person, count, address))
    return asyncio.run(_answer_all(auth, challenges, code, address))


async def _answer_all(
    auth: ServiceProcess, challenges: list[str], code: str, address: str
) -> list[httpx.Response]:
    async with httpx.AsyncClient(base_url=auth.url, timeout=60) as client:
        return list(
            await asyncio.gather(
                *(
                    client.post(
                        "/v1/sessions/mfa",
                        json={"challenge_id": c, "code": code},
                        headers=_headers(address),
                    )
                    for c in challenges
                )
            )
        )


def test_totp_code_is_not_accepted_twice_AUTH_9(auth: ServiceProcess) -> None:
    person = someone(auth)
    totp, _ = _enable_totp(auth, person)
    address = _fresh_address()
    # The confirmation used the current step; the next one (within the ±1 drift) is fresh.
    code = totp.at(time.time() + 30)
    [first] = _race(auth, person, 1, code, address)
    assert first.status_code == 201, first.text
    [replay] = _race(auth, person, 1, code, address)
    assert replay.status_code == 401, replay.text
    assert replay.json()["type"].endswith("/invalid-code")


def test_one_totp_code_raced_by_10_answers_works_once_AUTH_9(auth: ServiceProcess) -> None:
    person = someone(auth)
    totp, _ = _enable_totp(auth, person)
    address = _fresh_address()
    code = totp.at(time.time() + 30)

    raced = _race(auth, person, 10, code, address)
    statuses = Counter(a.status_code for a in raced)
    assert statuses[201] == 1, statuses
    assert set(statuses) <= {201, 401, 429, 423}, statuses  # losers: refused, never a 5xx


def test_one_backup_code_raced_by_20_answers_works_once_AUTH_9_X_3(
    auth: ServiceProcess,
) -> None:
    person = someone(auth)
    _, codes = _enable_totp(auth, person)
    address = _fresh_address()
    raced = _race(auth, person, 20, codes[0], address)
    statuses = Counter(a.status_code for a in raced)
    assert statuses[201] == 1, statuses
    assert set(statuses) <= {201, 401, 429, 423}, statuses  # losers: refused, never a 5xx
    status = httpx.get(f"{auth.url}/v1/me/mfa", headers=person.headers, timeout=30).json()
    assert status["backup_codes_remaining"] == 9


# -- refresh token reuse (AUTH-3) ----------------------------------------------------------------


def _refresh(auth: ServiceProcess, token: str, address: str) -> httpx.Response:
    return httpx.post(
        f"{auth.url}/v1/sessions/refresh",
        json={"refresh_token": token},
        headers=_headers(address),
        timeout=30,
    )


def _bearer(token: str) -> dict[str, str]:
    return {"authorization": f"Bearer {token}"}


def test_reused_refresh_token_revokes_every_token_of_its_family_AUTH_3(
    auth: ServiceProcess,
) -> None:
    person = someone(auth)
    other = login(auth, person.email)  # a second session of the same person
    thief = _fresh_address()
    first = _refresh(auth, person.refresh_token, thief)
    assert first.status_code == 200, first.text
    second = _refresh(auth, first.json()["refresh_token"], thief)
    assert second.status_code == 200, second.text
    live = second.json()
    time.sleep(LEEWAY + 0.5)

    stolen = _refresh(auth, person.refresh_token, thief)  # spent twice over, after the leeway
    assert stolen.status_code == 401
    assert stolen.json()["type"].endswith("/invalid-refresh-token")
    # Every token of the family stops working: the newest refresh token and every access token.
    assert _refresh(auth, live["refresh_token"], thief).status_code == 401
    for access in (person.access_token, first.json()["access_token"], live["access_token"]):
        answer = httpx.get(f"{auth.url}/v1/sessions", headers=_bearer(access), timeout=30)
        assert answer.status_code == 401
    # The person's other session is another family: untouched.
    mine = httpx.get(f"{auth.url}/v1/sessions", headers=_bearer(other["access_token"]), timeout=30)
    assert mine.status_code == 200
    assert person.session_id not in {s["id"] for s in mine.json()}
    assert _refresh(auth, other["refresh_token"], thief).status_code == 200

    [event] = wait_for_events(person.user_id, "konto.auth.session.reuse_detected.v1")
    assert isinstance(event, SessionReuseDetectedV1)  # the security event, for notify to mail
    assert event.data.family_id == person.session_id
    assert event.data.ip == thief


# -- brute force and timing (AUTH-5) -------------------------------------------------------------


@pytest.fixture(scope="module")
def guarded_run(run_id: str) -> str:
    return f"{run_id}ab"


@pytest.fixture(scope="module")
def guarded_auth(servers: None, guarded_run: str) -> Iterator[ServiceProcess]:
    service = start_service(
        "auth",
        guarded_run,
        extra_env={
            "KONTO_AUTH_LOGIN_WINDOW_SECONDS": str(WINDOW),
            "KONTO_AUTH_LOGIN_MAX_FAILURES_PER_IDENTIFIER": str(PER_ID),
            "KONTO_AUTH_LOCKOUT_THRESHOLD": str(LOCK_AFTER),
        },
    )
    yield service
    service.stop()


def _email() -> str:
    return f"ab.{uuid.uuid4().hex[:10]}@example.ch"


async def _hammer(auth: ServiceProcess, email: str, attempts: int, parallel: int) -> list[int]:
    """`attempts` wrong passwords on one id, `parallel` in flight, each from its own address
    (an attacker with a botnet: only the per-identifier rules can stop it)."""
    gate = asyncio.Semaphore(parallel)
    async with httpx.AsyncClient(base_url=auth.url, timeout=120) as client:

        async def attempt() -> int:
            async with gate:
                for _ in range(3):
                    try:
                        answer = await client.post(
                            "/v1/sessions",
                            json={"email": email, "password": WRONG},
                            headers=_headers(_fresh_address()),
                        )
                        return answer.status_code
                    except httpx.ReadError:
                        # A kept-alive connection the server closed just as it was reused:
                        # the request never reached a handler. A crash would not pass twice.
                        continue
                raise AssertionError("auth stopped answering")

        return list(await asyncio.gather(*(attempt() for _ in range(attempts))))


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
        timeout=120,
    )


def test_a_thousand_wrong_passwords_throttle_then_lock_never_5xx_AUTH_5(
    guarded_auth: ServiceProcess, guarded_run: str
) -> None:
    email = _email()
    register(guarded_auth, email)
    parallel = 10

    statuses = asyncio.run(_hammer(guarded_auth, email, 1000, parallel))
    counts = Counter(statuses)
    assert set(counts) <= {401, 423, 429}, counts  # never a 5xx, never a success
    assert counts[429] > 0, counts
    if counts[423] == 0:  # the hammering outran the window: wait it out and fail once more
        time.sleep(WINDOW + 0.5)
        more = Counter(asyncio.run(_hammer(guarded_auth, email, LOCK_AFTER * 3, 1)))
        assert set(more) <= {401, 423, 429}, more
        counts += more
    assert counts[423] > 0, counts
    # Passwords really tried: the lock stops them, give or take the requests already in flight.
    assert counts[401] <= LOCK_AFTER + parallel, counts

    right = httpx.post(
        f"{guarded_auth.url}/v1/sessions",
        json={"email": email, "password": PASSWORD},
        headers=_headers(_fresh_address()),
        timeout=30,
    )
    assert right.status_code == 423, right.text  # the right password is refused as well
    assert _unlock(guarded_run, email).returncode == 0
    unlocked = httpx.post(
        f"{guarded_auth.url}/v1/sessions",
        json={"email": email, "password": PASSWORD},
        headers=_headers(_fresh_address()),
        timeout=30,
    )
    assert unlocked.status_code == 201, unlocked.text


def _timed_login(auth: ServiceProcess, client: httpx.Client, email: str) -> float:
    started = time.perf_counter()
    answer = client.post(
        f"{auth.url}/v1/sessions",
        json={"email": email, "password": WRONG},
        headers=_headers(_fresh_address()),
    )
    elapsed = time.perf_counter() - started
    assert answer.status_code == 401, answer.text
    return elapsed


def test_unknown_id_takes_as_long_as_a_wrong_password_AUTH_5_X_3(
    guarded_auth: ServiceProcess,
) -> None:
    """Unknown ids are checked against a dummy hash: without it an unknown id would answer in
    a fraction of the time and tell an attacker which addresses have accounts."""
    rounds = 30
    # Below the per-identifier throttle: PER_ID - 1 failures on each existing account.
    per_account = PER_ID - 1
    accounts = [_email() for _ in range(rounds // per_account)]
    for email in accounts:
        register(guarded_auth, email)
    existing = [email for email in accounts for _ in range(per_account)]

    unknown_times, existing_times = [], []
    with httpx.Client(timeout=60) as client:
        _timed_login(guarded_auth, client, _email())  # warm the connection and the code paths
        for i in range(rounds):
            pair = [(unknown_times, _email()), (existing_times, existing[i])]
            for times, email in pair if i % 2 else reversed(pair):  # interleaved, both orders
                times.append(_timed_login(guarded_auth, client, email))

    ratio = statistics.median(unknown_times) / statistics.median(existing_times)
    assert 0.8 <= ratio <= 1.25, (ratio, statistics.median(unknown_times))
