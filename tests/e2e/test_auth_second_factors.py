"""AUTH-9 beyond the TOTP app, over the real servers: SMS codes (sealed command → notify → the
SMS gateway double), an authenticator device enrolled by QR code that approves or denies a
login by signature after a push (notify → the push gateway double), its TOTP when offline (no
replay), several methods at once and removing them one by one.

notify here is a process of this module's own whose SMS and push gateway is a sink of its own
(scripts/sms_sink.py on a free port)."""

import asyncio
import time
from collections.abc import Iterator

import httpx
import pyotp
import pytest

from konto.common.events import (
    CaseDecided,
    CaseDecidedV1,
    DeviceEnrolledV1,
    MfaDisabledV1,
    MfaEnabledV1,
    OpenCaseV1,
    utcnow,
)
from konto.common.events.verification import VERIFICATION_COMMANDS
from tests.support.auth_commands import wait_for_command
from tests.support.auth_events import wait_for_events
from tests.support.devices import (
    Device,
    Sink,
    b64url,
    enrol_device,
    new_person_with_mobile,
    own_sink,
)
from tests.support.identity import FIREFOX, PASSWORD, Person
from tests.support.kafka import produce
from tests.support.own_notify import OwnNotify, start_own_notify
from tests.support.processes import ServiceProcess

pytestmark = [pytest.mark.servers, pytest.mark.timeout(180)]


@pytest.fixture(scope="module")
def sink() -> Iterator[Sink]:
    with own_sink() as sink:
        yield sink


@pytest.fixture(scope="module")
def notify(auth: ServiceProcess, run_id: str, sink: Sink) -> Iterator[OwnNotify]:
    own = start_own_notify(auth, run_id, "f2a", sms_gateway_url=sink.url, push_gateway_url=sink.url)
    yield own
    own.process.stop()


def _password_step(auth: ServiceProcess, person: Person) -> httpx.Response:
    return httpx.post(
        f"{auth.url}/v1/sessions",
        json={"email": person.email, "password": PASSWORD, "device_id": person.device_id},
        headers={"user-agent": FIREFOX},
    )


def _challenge(auth: ServiceProcess, person: Person, methods: list[str]) -> str:
    answer = _password_step(auth, person)
    assert answer.status_code == 202, answer.text
    assert answer.json()["methods"] == methods
    challenge_id: str = answer.json()["challenge_id"]
    return challenge_id


def _answer(auth: ServiceProcess, challenge_id: str, **body: str) -> httpx.Response:
    return httpx.post(
        f"{auth.url}/v1/sessions/mfa",
        json={"challenge_id": challenge_id, **body},
        headers={"user-agent": FIREFOX},
    )


def _amr(auth: ServiceProcess, tokens: dict[str, str]) -> list[str]:
    sessions = httpx.get(
        f"{auth.url}/v1/sessions", headers={"authorization": f"Bearer {tokens['access_token']}"}
    ).json()
    [current] = [s for s in sessions if s["current"]]
    amr: list[str] = current["amr"]
    return amr


def _methods(auth: ServiceProcess, person: Person) -> list[str]:
    status = httpx.get(f"{auth.url}/v1/me/mfa", headers=person.headers).json()
    methods: list[str] = status["methods"]
    return methods


def _enable_sms(
    auth: ServiceProcess, sink: Sink, person: Person, mobile: str, sent: int
) -> list[str]:
    """SMS on with the code sent to the profile's mobile; the backup codes it returned. `sent`:
    SMS this number got before."""
    assert httpx.post(f"{auth.url}/v1/me/mfa/sms", headers=person.headers).status_code == 202
    code = sink.sms_codes(mobile, sent + 1)[-1]
    confirmed = httpx.post(
        f"{auth.url}/v1/me/mfa/sms/confirm", json={"code": code}, headers=person.headers
    )
    assert confirmed.status_code == 200, confirmed.text
    codes: list[str] = confirmed.json()["backup_codes"]
    return codes


def test_sms_code_login_AUTH_9(auth: ServiceProcess, notify: OwnNotify, sink: Sink) -> None:
    person, mobile = new_person_with_mobile(auth)
    backup = _enable_sms(auth, sink, person, mobile, sent=0)
    assert len(backup) == 10  # the first method starts 2FA: backup codes, once
    assert _methods(auth, person) == ["sms", "backup_code"]
    [enabled] = wait_for_events(person.user_id, "konto.auth.mfa.enabled.v1")
    assert isinstance(enabled, MfaEnabledV1)
    assert enabled.data.method == "sms"

    challenge = _challenge(auth, person, ["sms", "backup_code"])
    sent = httpx.post(f"{auth.url}/v1/sessions/mfa/sms", json={"challenge_id": challenge})
    assert sent.status_code == 202, sent.text
    assert 0 < sent.json()["expires_in"] <= 300
    code = sink.sms_codes(mobile, 2)[-1]
    assert (
        "sign-in code"
        in httpx.get(f"{sink.url}/v1/messages", params={"to": mobile}).json()["messages"][-1][
            "text"
        ]
    )

    wrong = "000000" if code != "000000" else "111111"
    assert _answer(auth, challenge, method="sms", code=wrong).status_code == 401
    done = _answer(auth, challenge, method="sms", code=code)
    assert done.status_code == 201, done.text
    assert _amr(auth, done.json()) == ["pwd", "sms"]

    # The code belonged to that login: it opens no other.
    other = _challenge(auth, person, ["sms", "backup_code"])
    assert _answer(auth, other, method="sms", code=code).status_code == 401


def test_sms_codes_have_limited_guesses_and_sends_AUTH_9(
    auth: ServiceProcess, notify: OwnNotify, sink: Sink
) -> None:
    person, mobile = new_person_with_mobile(auth)
    assert httpx.post(f"{auth.url}/v1/me/mfa/sms", headers=person.headers).status_code == 202
    [code] = sink.sms_codes(mobile, 1)
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(5):
        bad = httpx.post(
            f"{auth.url}/v1/me/mfa/sms/confirm", json={"code": wrong}, headers=person.headers
        )
        assert bad.status_code == 400
    spent = httpx.post(
        f"{auth.url}/v1/me/mfa/sms/confirm", json={"code": code}, headers=person.headers
    )
    assert spent.status_code == 400  # out of guesses: even the right code no longer works

    for _ in range(2):  # three codes per window in all
        assert httpx.post(f"{auth.url}/v1/me/mfa/sms", headers=person.headers).status_code == 202
    limited = httpx.post(f"{auth.url}/v1/me/mfa/sms", headers=person.headers)
    assert limited.status_code == 429
    assert limited.json()["type"].endswith("/too-many-codes")
    latest = sink.sms_codes(mobile, 3)[-1]
    confirmed = httpx.post(
        f"{auth.url}/v1/me/mfa/sms/confirm", json={"code": latest}, headers=person.headers
    )
    assert confirmed.status_code == 200, confirmed.text


def test_device_enrolled_by_qr_approves_a_pushed_login_AUTH_9(
    auth: ServiceProcess, notify: OwnNotify, sink: Sink
) -> None:
    person, _ = new_person_with_mobile(auth)
    device = Device()
    backup = enrol_device(auth, person, device)
    assert len(backup) == 10
    assert _methods(auth, person) == ["push", "device_totp", "backup_code"]
    listed = httpx.get(f"{auth.url}/v1/me/mfa/devices", headers=person.headers).json()
    assert [(d["id"], d["name"], d["push"]) for d in listed] == [
        (device.device_id, "Anna's phone", True)
    ]
    [enrolled] = wait_for_events(person.user_id, "konto.auth.device.enrolled.v1")
    assert isinstance(enrolled, DeviceEnrolledV1)
    assert enrolled.data.push is True
    assert device.push_token not in enrolled.model_dump_json()

    challenge = _challenge(auth, person, ["push", "device_totp", "backup_code"])
    early = _answer(auth, challenge, method="push")
    assert early.status_code == 409  # nobody asked the device yet
    started = httpx.post(
        f"{auth.url}/v1/sessions/mfa/push",
        json={"challenge_id": challenge},
        headers={"user-agent": FIREFOX},
    )
    assert started.status_code == 202, started.text
    assert started.json()["pushed"] == 1
    approval_id = started.json()["approval_id"]

    pending = _answer(auth, challenge, method="push")
    assert pending.status_code == 202
    assert pending.json()["status"] == "pending"

    assert device.push_token
    [push] = sink.pushes(device.push_token)
    assert push["data"] == {"kind": "login_approval", "approval_id": approval_id}
    assert push["title"] == "Approve sign-in?"
    assert "Firefox" in push["body"] or "Mozilla" in push["body"]

    waiting = device.approvals(auth)
    assert waiting.status_code == 200, waiting.text
    [shown] = waiting.json()
    assert shown["approval_id"] == approval_id
    assert shown["user_agent"] == FIREFOX
    assert shown["ip"] == "127.0.0.1"

    path = f"/v1/devices/{device.device_id}/approvals"
    stale = httpx.get(f"{auth.url}{path}", headers=device.headers("GET", path, time.time() - 300))
    assert stale.status_code == 401
    forged = Device(device_id=device.device_id).approvals(auth)  # another key, same id
    assert forged.status_code == 401

    assert device.decide(auth, approval_id, "approve").status_code == 204
    done = _answer(auth, challenge, method="push")
    assert done.status_code == 201, done.text
    assert _amr(auth, done.json()) == ["pwd", "swk"]
    assert device.decide(auth, approval_id, "deny").status_code == 404  # decided once
    assert _answer(auth, challenge, method="push").status_code == 401  # login used up


def test_denied_push_fails_the_login_AUTH_9(
    auth: ServiceProcess, notify: OwnNotify, sink: Sink
) -> None:
    person, _ = new_person_with_mobile(auth)
    device = Device(push_token=None)  # no push token: the device polls
    enrol_device(auth, person, device)
    challenge = _challenge(auth, person, ["push", "device_totp", "backup_code"])
    started = httpx.post(f"{auth.url}/v1/sessions/mfa/push", json={"challenge_id": challenge})
    assert started.json()["pushed"] == 0
    approval_id = started.json()["approval_id"]
    [shown] = device.approvals(auth).json()
    assert shown["approval_id"] == approval_id

    path = f"/v1/devices/{device.device_id}/approvals/{approval_id}"
    flipped = httpx.post(  # a signature over "deny" does not approve
        f"{auth.url}{path}",
        json={"decision": "approve", "signature": _decision_signature(device, approval_id)},
        headers=device.headers("POST", path),
    )
    assert flipped.status_code == 401
    assert device.decide(auth, approval_id, "deny").status_code == 204

    denied = _answer(auth, challenge, method="push")
    assert denied.status_code == 401
    assert denied.json()["type"].endswith("/login-denied")
    again = _answer(auth, challenge, method="push")
    assert again.status_code == 401
    assert again.json()["type"].endswith("/challenge-invalid")
    assert device.approvals(auth).json() == []


def _decision_signature(device: Device, approval_id: str) -> str:
    return b64url(device.key.sign(f"konto-approval\n{approval_id}\ndeny".encode()))


def test_offline_device_totp_works_once_AUTH_9(auth: ServiceProcess, notify: OwnNotify) -> None:
    person, _ = new_person_with_mobile(auth)
    device = Device()
    enrol_device(auth, person, device)
    code = device.totp().now()
    done = _answer(
        auth,
        _challenge(auth, person, ["push", "device_totp", "backup_code"]),
        method="device_totp",
        code=code,
    )
    assert done.status_code == 201, done.text
    assert _amr(auth, done.json()) == ["pwd", "otp"]
    replay = _answer(
        auth, _challenge(auth, person, ["push", "device_totp", "backup_code"]), code=code
    )
    assert replay.status_code == 401
    assert replay.json()["type"].endswith("/invalid-code")


def test_several_methods_at_once_and_removing_them_AUTH_9(
    auth: ServiceProcess, notify: OwnNotify, sink: Sink
) -> None:
    person, mobile = new_person_with_mobile(auth)
    enrol = httpx.post(f"{auth.url}/v1/me/mfa/totp", headers=person.headers).json()
    app = pyotp.TOTP(enrol["secret"])
    first = httpx.post(
        f"{auth.url}/v1/me/mfa/totp/confirm", json={"code": app.now()}, headers=person.headers
    )
    assert len(first.json()["backup_codes"]) == 10
    assert _enable_sms(auth, sink, person, mobile, sent=0) == []  # 2FA was on already
    device = Device()
    assert enrol_device(auth, person, device) == []
    every = ["totp", "sms", "push", "device_totp", "backup_code"]
    assert _methods(auth, person) == every
    _challenge(auth, person, every)

    def remove(path: str, **body: str) -> httpx.Response:
        return httpx.request(
            "DELETE", f"{auth.url}/v1/me/mfa/{path}", json=body or None, headers=person.headers
        )

    assert remove("sms").status_code == 403
    assert remove("sms", code="000000", method="totp").status_code == 403
    assert remove("sms", code=app.at(time.time() + 30), method="totp").status_code == 204
    assert _methods(auth, person) == ["totp", "push", "device_totp", "backup_code"]

    assert remove(f"devices/{device.device_id}", code=device.totp().now()).status_code == 204
    assert _methods(auth, person) == ["totp", "backup_code"]
    assert httpx.get(f"{auth.url}/v1/me/mfa/devices", headers=person.headers).json() == []

    backup = first.json()["backup_codes"]
    assert remove("totp", code=backup[0]).status_code == 204  # the last method: 2FA ends
    status = httpx.get(f"{auth.url}/v1/me/mfa", headers=person.headers).json()
    assert status == {"enabled": False, "methods": [], "backup_codes_remaining": 0}
    assert _password_step(auth, person).status_code == 201

    disabled = wait_for_events(person.user_id, "konto.auth.mfa.disabled.v1", expect=3)
    assert [
        (e.data.method, e.data.mfa_enabled) for e in disabled if isinstance(e, MfaDisabledV1)
    ] == [
        ("sms", True),
        ("push", True),
        ("totp", False),
    ]
    removed = wait_for_events(person.user_id, "konto.auth.device.removed.v1")
    assert len(removed) == 1


def test_without_a_working_factor_an_approved_verification_removes_all_AUTH_9_VER_3(
    auth: ServiceProcess, notify: OwnNotify, sink: Sink
) -> None:
    person, mobile = new_person_with_mobile(auth)
    _enable_sms(auth, sink, person, mobile, sent=0)
    device = Device()
    enrol_device(auth, person, device)
    lost = httpx.request(
        "DELETE",
        f"{auth.url}/v1/me/mfa/devices/{device.device_id}",
        json={"code": "000000"},
        headers=person.headers,
    )
    assert lost.status_code == 403
    assert lost.json()["verification"]["href"] == "/v1/me/mfa/verification"

    asked = httpx.post(f"{auth.url}/v1/me/mfa/verification", headers=person.headers)
    assert asked.status_code == 202
    case = wait_for_command(
        VERIFICATION_COMMANDS, person.user_id, "konto.verification.case.open.v1"
    )
    assert isinstance(case, OpenCaseV1)
    assert (case.data.reason, case.data.requested_by) == ("mfa_deactivation", "auth")

    decided = CaseDecidedV1(
        subject=person.user_id,
        data=CaseDecided(
            case_id="case-" + person.user_id,
            reason="mfa_deactivation",
            requested_by="auth",
            reference=person.user_id,
            user_id=person.user_id,
            email=person.email,
            locale="en",
            outcome="approved",
            decision_reason="identity confirmed",
            decided_at=utcnow(),
        ),
    )
    asyncio.run(produce(decided.topic, decided.to_json(), key=person.user_id.encode()))
    deadline = time.monotonic() + 30
    while _methods(auth, person) and time.monotonic() < deadline:
        time.sleep(0.3)
    assert _methods(auth, person) == []
    assert device.approvals(auth).status_code == 401  # the device is gone
    assert _password_step(auth, person).status_code == 201


def test_sink_records_a_push_once_per_idempotency_key_AUTH_9(sink: Sink) -> None:
    token = f"t-{time.time_ns()}"
    push = {"token": token, "title": "t", "body": "b", "data": {"approval_id": "a"}}
    first = httpx.post(f"{sink.url}/v1/push", json=push, headers={"Idempotency-Key": "k1"})
    again = httpx.post(f"{sink.url}/v1/push", json=push, headers={"Idempotency-Key": "k1"})
    assert first.status_code == again.status_code == 201
    assert first.json()["id"] == again.json()["id"]
    assert len(sink.pushes(token)) == 1
    bad = httpx.post(f"{sink.url}/v1/push", json={"title": "t", "body": "b"})
    assert bad.status_code == 400
    assert bad.json()["field"] == "token"
