"""AUTH-10 over the real servers: the mail product deletes the mailbox that was someone's login
id (`konto.mail.mailbox.deleted.v1` on Kafka); auth gives the account a generated username and
ends its sessions, notify mails the recovery address and texts the mobile in the person's
language; the old id fails like any unknown one, the username with the same password must set
a new identifier first, and then the new one works.

A notify of this module's own, restricted to its mail domain and phone numbers, reads the
events, so Mailpit and the SMS sink show only this module's messages."""

import asyncio
import random
import time
import uuid
from collections.abc import Iterator

import httpx
import pyotp
import pytest

from konto.common.events import (
    LoginIdChangedV1,
    LoginIdRetiredV1,
    MailboxDeleted,
    MailboxDeletedV1,
    RecoveryEmailConfirmationRequestedV1,
    utcnow,
)
from tests.support import mailpit
from tests.support.auth_events import wait_for_events
from tests.support.identity import FIREFOX, PASSWORD
from tests.support.kafka import produce
from tests.support.own_notify import OwnNotify, start_own_notify
from tests.support.processes import ServiceProcess

pytestmark = [pytest.mark.servers, pytest.mark.timeout(180)]


@pytest.fixture(scope="module")
def prefix(run_id: str) -> str:
    """Mobile numbers of this module: +4176 and four digits of the run."""
    return f"+4176{int(run_id, 16) % 10_000:04d}"


@pytest.fixture(scope="module")
def own_notify(auth: ServiceProcess, run_id: str, prefix: str) -> Iterator[OwnNotify]:
    domain = f"retired{run_id}.example.ch".replace(".", "[.]")
    only = f"(@{domain}$|^[+]{prefix[1:]}[0-9]{{3}}$)"
    own = start_own_notify(auth, run_id, "retired", only_recipients=only)
    yield own
    own.process.stop()


def _login(auth: ServiceProcess, login_id: str, device_id: str | None = None) -> httpx.Response:
    return httpx.post(
        f"{auth.url}/v1/sessions",
        json={"email": login_id, "password": PASSWORD, "device_id": device_id},
        headers={"user-agent": FIREFOX},
    )


def _register(auth: ServiceProcess, email: str, mobile: str, name: str) -> str:
    answer = httpx.post(
        f"{auth.url}/v1/users",
        json={"email": email, "password": PASSWORD, "name": name, "mobile": mobile, "locale": "fr"},
    )
    assert answer.status_code == 201, answer.text
    user_id: str = answer.json()["id"]
    return user_id


def _set_recovery_email(auth: ServiceProcess, user_id: str, token: str, address: str) -> None:
    headers = {"authorization": f"Bearer {token}"}
    asked = httpx.put(f"{auth.url}/v1/me/recovery-email", json={"email": address}, headers=headers)
    assert asked.status_code == 202, asked.text
    [event] = wait_for_events(user_id, "konto.auth.recovery_email.confirmation_requested.v1")
    assert isinstance(event, RecoveryEmailConfirmationRequestedV1)
    link_token = event.data.confirm_url.rsplit("/recovery-email/", 1)[1]
    confirmed = httpx.post(f"{auth.url}/v1/recovery-email/confirm", json={"token": link_token})
    assert confirmed.status_code == 200, confirmed.text


def _delete_mailbox(address: str) -> None:
    event = MailboxDeletedV1(
        subject=f"mbx-{uuid.uuid4().hex[:12]}",
        data=MailboxDeleted(address=address, mailbox_id=uuid.uuid4().hex, deleted_at=utcnow()),
    )
    for _ in range(2):  # delivered at least once: the same record twice changes nothing more
        asyncio.run(produce(event.topic, event.to_json(), key=event.subject.encode()))


def test_deleted_login_mailbox_retires_the_id_and_forces_a_new_one_AUTH_10(
    auth: ServiceProcess, own_notify: OwnNotify, prefix: str
) -> None:
    login_email = own_notify.address("zoe")
    recovery = own_notify.address("zoe-private")
    mobile = f"{prefix}{random.randint(0, 999):03d}"
    user_id = _register(auth, login_email, mobile, "Zoë Élise Müller")
    first = _login(auth, login_email)
    assert first.status_code == 201, first.text
    tokens = first.json()
    _set_recovery_email(auth, user_id, tokens["access_token"], recovery)
    other_email = own_notify.address("taken")
    _register(auth, other_email, f"{prefix}{random.randint(0, 999):03d}", "Other Person")

    _delete_mailbox(login_email.upper())  # the mail product's spelling; normalised as AUTH-1

    [retired] = wait_for_events(user_id, "konto.auth.login_id.retired.v1", timeout=30.0)
    assert isinstance(retired, LoginIdRetiredV1)
    username = retired.data.username
    assert username.startswith("zem")
    assert username[3:].isdigit()
    assert (retired.data.retired_login_id, retired.data.recovery_email) == (login_email, recovery)
    assert retired.data.sessions_ended == 1

    # The person hears it on the recovery address and the mobile, in French, with the username.
    # (The first mail there was the link that confirmed it as the recovery address.)
    mails = own_notify.wait_for_mails(recovery, 2, timeout=60.0)
    [mail] = [m for m in mails if m["Subject"] == "Votre identifiant Konto a changé"]
    assert username in mailpit.message(str(mail["ID"]))["Text"]
    [sms] = own_notify.wait_for_sms(mobile, 1, timeout=60.0)
    assert username in sms["text"]
    assert sms["text"].startswith("Konto : votre boîte de connexion a été supprimée")

    # The id's sessions ended; the old id is unknown now, answered like any unknown one.
    refreshed = httpx.post(
        f"{auth.url}/v1/sessions/refresh", json={"refresh_token": tokens["refresh_token"]}
    )
    assert refreshed.status_code == 401
    old = _login(auth, login_email)
    assert old.status_code == 401
    assert old.json()["type"].endswith("/invalid-credentials")
    wrong = httpx.post(
        f"{auth.url}/v1/sessions", json={"email": username, "password": "not the password"}
    )
    assert wrong.status_code == 401

    # The username and the unchanged password: no tokens, a new identifier first.
    forced = _login(auth, username.upper(), device_id=tokens["device_id"])
    assert forced.status_code == 403, forced.text
    problem = forced.json()
    assert problem["type"].endswith("/login-id-required")
    assert problem["href"] == "/v1/login-id"
    assert "access_token" not in problem
    change_token = problem["change_token"]

    url = f"{auth.url}/v1/login-id"
    bad_token = httpx.post(url, json={"change_token": "nope", "email": own_notify.address("x")})
    assert bad_token.status_code == 400
    assert bad_token.json()["type"].endswith("/invalid-change-token")
    not_an_address = httpx.post(url, json={"change_token": change_token, "email": "zoe"})
    assert not_an_address.status_code == 422
    assert not_an_address.json()["errors"][0]["field"] == "email"
    taken = httpx.post(url, json={"change_token": change_token, "email": other_email})
    assert taken.status_code == 409
    assert taken.json()["type"].endswith("/email-taken")

    new_email = own_notify.address("zoe-new")
    done = httpx.post(
        url,
        json={"change_token": change_token, "email": new_email.upper()},
        headers={"user-agent": FIREFOX},
    )
    assert done.status_code == 201, done.text
    session = done.json()
    assert session["access_token"]
    assert session["device_id"] == tokens["device_id"]  # the device of the forced login
    spent = httpx.post(url, json={"change_token": change_token, "email": own_notify.address("y")})
    assert spent.status_code == 400

    me = httpx.get(
        f"{auth.url}/v1/me", headers={"authorization": f"Bearer {session['access_token']}"}
    )
    assert me.json()["email"] == new_email
    [changed] = wait_for_events(user_id, "konto.auth.login_id.changed.v1")
    assert isinstance(changed, LoginIdChangedV1)
    assert (changed.data.login_id, changed.data.previous) == (new_email, username)
    [confirm] = own_notify.wait_for_mails(new_email, 1, timeout=60.0)
    assert confirm["Subject"] == "Votre nouvel identifiant Konto"

    # The new id logs in at once, with the same password; the username is gone too.
    assert _login(auth, new_email).status_code == 201
    assert _login(auth, username).status_code == 401


def test_second_factor_is_asked_after_the_new_id_is_set_AUTH_10_AUTH_9(
    auth: ServiceProcess, own_notify: OwnNotify, prefix: str
) -> None:
    """The change token proves the password only: the new id is set, and tokens still need
    the second factor."""
    login_email = own_notify.address("tom")
    user_id = _register(auth, login_email, f"{prefix}{random.randint(0, 999):03d}", "Tom")
    headers = {"authorization": f"Bearer {_login(auth, login_email).json()['access_token']}"}
    enrol = httpx.post(f"{auth.url}/v1/me/mfa/totp", headers=headers)
    assert enrol.status_code == 201, enrol.text
    totp = pyotp.TOTP(enrol.json()["secret"])
    confirmed = httpx.post(
        f"{auth.url}/v1/me/mfa/totp/confirm", json={"code": totp.now()}, headers=headers
    )
    assert confirmed.status_code == 200, confirmed.text

    _delete_mailbox(login_email)
    [retired] = wait_for_events(user_id, "konto.auth.login_id.retired.v1", timeout=30.0)
    assert isinstance(retired, LoginIdRetiredV1)
    assert retired.data.username.startswith("to")  # a one-word name: its first two letters

    forced = _login(auth, retired.data.username)
    assert forced.status_code == 403, forced.text
    new_email = own_notify.address("tom-new")
    challenge = httpx.post(
        f"{auth.url}/v1/login-id",
        json={"change_token": forced.json()["change_token"], "email": new_email},
    )
    assert challenge.status_code == 202, challenge.text
    answer = httpx.post(
        f"{auth.url}/v1/sessions/mfa",
        json={"challenge_id": challenge.json()["challenge_id"], "code": totp.at(time.time() + 30)},
    )
    assert answer.status_code == 201, answer.text
    assert _login(auth, new_email).status_code == 202  # the new id, still with 2FA
