"""Second factors over the real servers (AUTH-9): TOTP enrolment with QR code, backup codes,
the login's second step, no replay of a TOTP step, single-use backup codes under concurrency,
regeneration as a text file, and disabling 2FA only with a working code."""

import asyncio
import time

import httpx
import pyotp
import pytest

from konto.common.events import BackupCodeUsedV1, MfaDisabledV1, MfaEnabledV1
from tests.support.auth_events import wait_for_events
from tests.support.identity import FIREFOX, PASSWORD, Person, new_person
from tests.support.processes import ServiceProcess

pytestmark = pytest.mark.servers


def _enable_totp(auth: ServiceProcess, person: Person) -> tuple[pyotp.TOTP, list[str]]:
    enrol = httpx.post(f"{auth.url}/v1/me/mfa/totp", headers=person.headers)
    assert enrol.status_code == 201, enrol.text
    body = enrol.json()
    assert body["otpauth_uri"].startswith("otpauth://totp/Konto:")
    assert f"secret={body['secret']}" in body["otpauth_uri"]
    assert body["qr_svg"].startswith("<svg")
    totp = pyotp.TOTP(body["secret"])

    wrong = httpx.post(
        f"{auth.url}/v1/me/mfa/totp/confirm", json={"code": "000000"}, headers=person.headers
    )
    if totp.now() != "000000":
        assert wrong.status_code == 400
    confirmed = httpx.post(
        f"{auth.url}/v1/me/mfa/totp/confirm", json={"code": totp.now()}, headers=person.headers
    )
    assert confirmed.status_code == 200, confirmed.text
    codes: list[str] = confirmed.json()["backup_codes"]
    assert len(codes) == 10
    assert len(set(codes)) == 10
    return totp, codes


def _password_step(auth: ServiceProcess, person: Person) -> httpx.Response:
    return httpx.post(
        f"{auth.url}/v1/sessions",
        json={"email": person.email, "password": PASSWORD, "device_id": person.device_id},
        headers={"user-agent": FIREFOX},
    )


def _challenge(auth: ServiceProcess, person: Person) -> str:
    answer = _password_step(auth, person)
    assert answer.status_code == 202, answer.text
    assert answer.json()["methods"] == ["totp", "backup_code"]
    challenge_id: str = answer.json()["challenge_id"]
    return challenge_id


def _second_step(auth: ServiceProcess, challenge_id: str, code: str) -> httpx.Response:
    return httpx.post(
        f"{auth.url}/v1/sessions/mfa",
        json={"challenge_id": challenge_id, "code": code},
        headers={"user-agent": FIREFOX},
    )


def test_totp_login_and_no_replay_AUTH_9(auth: ServiceProcess) -> None:
    person = new_person(auth)
    totp, _ = _enable_totp(auth, person)
    status = httpx.get(f"{auth.url}/v1/me/mfa", headers=person.headers).json()
    assert status == {
        "enabled": True,
        "methods": ["totp", "backup_code"],
        "backup_codes_remaining": 10,
    }
    [enabled] = wait_for_events(person.user_id, "konto.auth.mfa.enabled.v1")
    assert isinstance(enabled, MfaEnabledV1)
    assert enabled.data.method == "totp"
    again = httpx.post(f"{auth.url}/v1/me/mfa/totp", headers=person.headers)
    assert again.status_code == 409

    # The confirmation used the current step; the next one (within the ±1 drift) is fresh.
    code = totp.at(time.time() + 30)
    done = _second_step(auth, _challenge(auth, person), code)
    assert done.status_code == 201, done.text
    tokens = done.json()
    me = httpx.get(
        f"{auth.url}/v1/sessions", headers={"authorization": f"Bearer {tokens['access_token']}"}
    )
    [current] = [s for s in me.json() if s["current"]]
    assert current["amr"] == ["pwd", "otp"]

    replay = _second_step(auth, _challenge(auth, person), code)
    assert replay.status_code == 401
    assert replay.json()["type"].endswith("/invalid-code")
    assert _second_step(auth, "no-such-challenge", code).status_code == 401


async def _race(auth: ServiceProcess, challenges: list[str], code: str) -> list[int]:
    async with httpx.AsyncClient(base_url=auth.url) as client:
        answers = await asyncio.gather(
            *(
                client.post("/v1/sessions/mfa", json={"challenge_id": c, "code": code})
                for c in challenges
            )
        )
    return sorted(a.status_code for a in answers)


def test_backup_code_works_once_even_concurrently_AUTH_9(auth: ServiceProcess) -> None:
    person = new_person(auth)
    _, codes = _enable_totp(auth, person)
    first = _second_step(auth, _challenge(auth, person), codes[0].upper())
    assert first.status_code == 201
    assert _second_step(auth, _challenge(auth, person), codes[0]).status_code == 401

    challenges = [_challenge(auth, person) for _ in range(2)]
    assert asyncio.run(_race(auth, challenges, codes[1])) == [201, 401]
    status = httpx.get(f"{auth.url}/v1/me/mfa", headers=person.headers).json()
    assert status["backup_codes_remaining"] == 8

    used = wait_for_events(person.user_id, "konto.auth.backup_code.used.v1", expect=2)
    assert len(used) == 2
    assert all(isinstance(e, BackupCodeUsedV1) for e in used)


def test_regenerated_backup_codes_download_as_text_AUTH_9(auth: ServiceProcess) -> None:
    person = new_person(auth)
    _, old_codes = _enable_totp(auth, person)
    answer = httpx.post(
        f"{auth.url}/v1/me/mfa/backup-codes",
        headers={**person.headers, "accept": "text/plain"},
    )
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/plain")
    assert "attachment" in answer.headers["content-disposition"]
    new_codes = [line for line in answer.text.splitlines() if "-" in line and " " not in line]
    assert len(new_codes) == 10
    assert _second_step(auth, _challenge(auth, person), old_codes[2]).status_code == 401
    assert _second_step(auth, _challenge(auth, person), new_codes[0]).status_code == 201

    as_json = httpx.post(f"{auth.url}/v1/me/mfa/backup-codes", headers=person.headers)
    assert len(as_json.json()["backup_codes"]) == 10


def test_disabling_2fa_needs_a_working_code_AUTH_9(auth: ServiceProcess) -> None:
    person = new_person(auth)
    _, codes = _enable_totp(auth, person)
    without = httpx.delete(f"{auth.url}/v1/me/mfa/totp", headers=person.headers)
    assert without.status_code == 403
    assert without.json()["type"].endswith("/second-factor-required")
    wrong = httpx.request(
        "DELETE", f"{auth.url}/v1/me/mfa/totp", json={"code": "zzzzz-zzzzz"}, headers=person.headers
    )
    assert wrong.status_code == 403

    removed = httpx.request(
        "DELETE", f"{auth.url}/v1/me/mfa/totp", json={"code": codes[0]}, headers=person.headers
    )
    assert removed.status_code == 204
    assert httpx.get(f"{auth.url}/v1/me/mfa", headers=person.headers).json()["enabled"] is False
    assert _password_step(auth, person).status_code == 201  # no second step any more
    [disabled] = wait_for_events(person.user_id, "konto.auth.mfa.disabled.v1")
    assert isinstance(disabled, MfaDisabledV1)
    assert disabled.data.mfa_enabled is False
