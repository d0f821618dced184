"""The walking skeleton, over real Kafka, MongoDB-wire and Mailpit: register and log in on
auth, the outbox publishes, notify sends the "new sign-in" mail (AUTH-1, AUTH-3, AUTH-4, NOT-4).

Mails are counted from a notify of this module's own (own sender, own address domain): every
test session on the shared Kafka runs a notify that mails every new sign-in, so counts of
mails to an address regardless of sender see other sessions' copies."""

import uuid
from collections.abc import Iterator

import pytest

from konto.common.events import AUTH_EVENTS, parse_event
from konto.common.jwt import JwksVerifier
from tests.support import mailpit
from tests.support.identity import login as _login
from tests.support.identity import register as _register
from tests.support.kafka import produce, read_topic
from tests.support.own_notify import OwnNotify, start_own_notify
from tests.support.processes import ServiceProcess

pytestmark = pytest.mark.servers


@pytest.fixture(scope="module")
def skeleton(auth: ServiceProcess, run_id: str) -> Iterator[OwnNotify]:
    own = start_own_notify(auth, run_id, "login")
    yield own
    own.process.stop()


def _event_ids(messages: list[dict[str, object]]) -> list[str]:
    return [mailpit.headers(str(m["ID"]))["X-Konto-Event-Id"][0] for m in messages]


def test_new_location_mail_once_per_location_AUTH_4(
    auth: ServiceProcess, skeleton: OwnNotify
) -> None:
    email = skeleton.address("Anna").replace(".example.ch", ".Example.CH")
    _register(auth, email)
    normalized = email.lower()

    first = _login(auth, email)  # a device auth has never seen
    [mail] = skeleton.wait_for_mails(normalized, 1, timeout=15, settle=0)
    assert mail["Subject"] == "New sign-in to your Konto account"
    body = mailpit.message(str(mail["ID"]))
    assert "Firefox" in body["Text"]
    assert "/security/password" in body["Text"]
    assert "/security/two-factor" in body["Text"]
    assert 'href="http://localhost:3000/security/two-factor"' in body["HTML"]

    _login(auth, email, device_id=first["device_id"])  # the same device again: no mail
    _login(auth, email)  # another new device: a mail
    # Events of one user share a partition, so once the third login's mail is there the
    # second login was handled too.
    mails = skeleton.wait_for_mails(normalized, 2, timeout=15, settle=2)
    assert len(mails) == 2
    assert len(set(_event_ids(mails))) == 2


async def test_same_kafka_message_twice_sends_one_mail_NOT_4(
    auth: ServiceProcess, skeleton: OwnNotify
) -> None:
    email = skeleton.address("bruno")
    user = _register(auth, email, locale="de")
    _login(auth, email)
    [mail] = skeleton.wait_for_mails(email, 1, timeout=15, settle=0)
    assert mail["Subject"] == "Neue Anmeldung bei Ihrem Konto"
    [login_event_id] = _event_ids([mail])

    records = await read_topic(AUTH_EVENTS, expect=10**9, timeout=5, settle=0)
    [original] = [r for r in records if parse_event(r.value).id == login_event_id]
    assert original.key == user["id"].encode()
    for _ in range(2):  # Kafka redelivers: the exact same record, twice more
        await produce(AUTH_EVENTS, original.value, key=original.key, headers=list(original.headers))

    _login(auth, email)  # a later event on the same partition marks the copies as handled
    mails = skeleton.wait_for_mails(email, 2, timeout=15, settle=2)
    assert len(mails) == 2
    assert _event_ids(mails).count(login_event_id) == 1


async def test_access_token_verifies_against_jwks_AUTH_3(auth: ServiceProcess) -> None:
    email = f"carla.{uuid.uuid4().hex[:8]}@example.ch"
    user = _register(auth, email)
    tokens = _login(auth, email)
    assert tokens["refresh_token"]
    assert tokens["token_type"] == "Bearer"
    verifier = JwksVerifier(f"{auth.url}/.well-known/jwks.json", issuer="http://127.0.0.1:8001")
    try:
        claims = await verifier.verify(tokens["access_token"])
    finally:
        await verifier.close()
    assert claims.sub == user["id"]
    assert claims.sid == tokens["session_id"]
    assert claims.amr == ["pwd"]
