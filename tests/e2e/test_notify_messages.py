"""NOT-1 / NOT-2 / NOT-4 over real Kafka, MongoDB-wire, Mailpit and the SMS sink: every mapped
event, published three times to its real topic, yields exactly one message to the right
address in the right language (the profile's, kept current from `user.updated`; else the
event's or the fallback); and the main flows through the producing services themselves.

A notify process of this module's own, restricted to its own mail domain and phone numbers,
started (consumer groups at the topics' ends) before anything is published."""

import asyncio
import random
import re
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import replace

import httpx
import pyotp
import pytest
from pymongo import MongoClient

from konto.notify.domain.mapping import plan
from konto.notify.domain.messages import Person
from konto.notify.rendering import Renderer
from tests.support import mailpit
from tests.support.billing import add_address, add_product, post, wait_for_status
from tests.support.kafka import produce
from tests.support.notify_events import (
    CONSOLE,
    Expected,
    Who,
    auth_events,
    billing_events,
    locale_changed,
    orgs_events,
    registered,
    verification_events,
    who,
)
from tests.support.orgs import accept, create_org, invite
from tests.support.own_notify import OwnNotify, person_at, start_own_notify
from tests.support.processes import ServiceProcess
from tests.support.servers import MONGO_URL

pytestmark = [pytest.mark.servers, pytest.mark.timeout(240)]


@pytest.fixture(scope="module")
def prefix(run_id: str) -> str:
    """Mobile numbers of this module: +4178 and four digits of the run."""
    return f"+4178{int(run_id, 16) % 10_000:04d}"


@pytest.fixture(scope="module")
def mapper(auth: ServiceProcess, run_id: str, prefix: str) -> Iterator[OwnNotify]:
    domain = re.escape(f"map{run_id}.example.ch")
    only = f"(@{domain}$|^[+]{prefix[1:]}[0-9]{{3}}$)"
    own = start_own_notify(auth, run_id, "map", only_recipients=only)
    yield own
    own.process.stop()


def _wait_for_people(notify: OwnNotify, locales: dict[str, str], timeout: float = 30.0) -> None:
    """Until notify's people projection holds each user id with the given language."""
    with MongoClient(MONGO_URL) as client:
        people = client[f"t{notify.run_id}_notify"]["people"]
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = {d["_id"]: d["locale"] for d in people.find({"_id": {"$in": list(locales)}})}
            if found == locales:
                return
            time.sleep(0.3)
    raise AssertionError(f"people projection never reached {locales}: {found}")


def _subject(item: Expected, people: dict[str, Person]) -> str:
    [out] = plan(item.event, people, CONSOLE)
    return Renderer().render(item.template, item.locale, out.context).subject


def _person(p: Who) -> Person:
    return Person(p.user_id, p.email, p.name, p.locale, p.mobile)


async def test_every_mapped_event_once_in_the_right_language_NOT_1_NOT_2_NOT_4(
    mapper: OwnNotify, prefix: str
) -> None:
    mobile, annas_mobile = (f"{prefix}{n:03d}" for n in random.sample(range(1000), 2))
    anna = who(mapper.address("anna"), "Anna Muster", "de", mobile=annas_mobile)
    bruno = who(mapper.address("bruno"), "Bruno Keller", "it")
    stranger, carla = mapper.address("stranger"), mapper.address("carla")
    code = f"{random.randint(0, 999_999):06d}"
    for event in (registered(anna), registered(bruno), locale_changed(anna, "fr")):
        await produce(event.topic, event.to_json(), key=event.subject.encode())
    _wait_for_people(mapper, {anna.user_id: "fr", bruno.user_id: "it"})  # user.updated applied

    anna = replace(anna, locale="fr")
    expected = [
        *auth_events(anna),
        *orgs_events(bruno, anna, stranger),
        *verification_events(anna, carla, mobile, code),
        *billing_events(anna, bruno),
    ]
    for item in expected:
        for _ in range(3):  # Kafka delivers at least once: the very same record, three times
            await produce(item.event.topic, item.event.to_json(), key=item.event.subject.encode())

    people = {p.user_id: _person(p) for p in (anna, bruno)}
    mails = [item for item in expected if item.channel == "email"]
    per_address = Counter(item.address for item in mails)
    for address, count in per_address.items():
        received = await asyncio.to_thread(mapper.wait_for_mails, address, count, 60.0, 3.0)
        assert len(received) == count, address
        by_event = {
            mailpit.headers(str(m["ID"]))["X-Konto-Event-Id"][0]: m["Subject"] for m in received
        }
        assert len(by_event) == count  # one message per event, none twice
        for item in (i for i in mails if i.address == address):
            subject = _subject(item, people)
            assert by_event[item.event.id] == subject, item.template
            if item.locale != "en":  # the language is the expected one, not the fallback
                assert subject != _subject(replace(item, locale="en"), people)

    [sms] = await asyncio.to_thread(mapper.wait_for_sms, mobile, 1, 30.0, 3.0)
    assert code in sms["text"]
    assert "Bestätigungscode" in sms["text"]  # the case's language
    [login_id] = await asyncio.to_thread(mapper.wait_for_sms, annas_mobile, 1, 30.0, 1.0)
    assert anna.email in login_id["text"]
    assert "votre identifiant" in login_id["text"]  # the language auth's event carries


def _template_of(message: dict[str, object]) -> str:
    return mailpit.headers(str(message["ID"]))["X-Konto-Template"][0]


def _by_template(notify: OwnNotify, address: str, count: int) -> dict[str, dict[str, object]]:
    found = notify.wait_for_mails(address, count, timeout=60, settle=2)
    by_template = {_template_of(m): m for m in found}
    assert len(by_template) == len(found) == count, sorted(by_template)
    return by_template


def test_invitation_mail_link_lets_a_new_person_join_ORG_4_NOT_1(
    auth: ServiceProcess, orgs: ServiceProcess, mapper: OwnNotify
) -> None:
    inviter = person_at(auth, mapper.address("ida"), locale="de")
    org_name = f"Treuhand {uuid.uuid4().hex[:6]}"
    org_id = create_org(orgs, inviter, org_name)
    address = mapper.address("jan")
    invite(orgs, inviter, org_id, address, "collaborator", products=["vps-9"])

    [mail] = mapper.wait_for_mails(address, 1, timeout=60, settle=0)
    assert mail["Subject"] == f"Invitation to join {org_name} on Konto"  # no account: fallback
    body = mailpit.message(str(mail["ID"]))
    [link] = re.findall(r"https?://\S+/invitations/\S+", body["Text"])
    assert f'href="{link}"' in body["HTML"]

    invitee = person_at(auth, address, locale="it")  # registers, then signs in once
    mapper.wait_for_mails(address, 2, timeout=60, settle=0)  # notify knows the person now
    answer = accept(orgs, invitee, link.rsplit("/", 1)[1])
    assert answer.status_code == 201, answer.text
    mails = _by_template(mapper, address, 3)
    assert set(mails) == {"invitation", "new_location", "membership_added"}
    assert mails["membership_added"]["Subject"] == f"Benvenuto in {org_name}"


def test_enabling_totp_mails_the_owner_in_their_language_AUTH_9_NOT_1(
    auth: ServiceProcess, mapper: OwnNotify
) -> None:
    person = person_at(auth, mapper.address("tom"), locale="de")
    enrol = httpx.post(f"{auth.url}/v1/me/mfa/totp", headers=person.headers)
    assert enrol.status_code == 201, enrol.text
    totp = pyotp.TOTP(enrol.json()["secret"])
    confirmed = httpx.post(
        f"{auth.url}/v1/me/mfa/totp/confirm", json={"code": totp.now()}, headers=person.headers
    )
    assert confirmed.status_code == 200, confirmed.text

    mails = _by_template(mapper, person.email, 2)
    assert set(mails) == {"new_location", "mfa_enabled"}
    assert mails["mfa_enabled"]["Subject"] == "Zwei-Faktor-Authentisierung aktiviert"
    text = mailpit.message(str(mails["mfa_enabled"]["ID"]))["Text"]
    assert text.startswith("Guten Tag Anna Muster")


def test_reset_link_mailed_by_notify_is_accepted_by_auth_AUTH_6_NOT_1(
    auth: ServiceProcess, mapper: OwnNotify
) -> None:
    """auth's reset event → notify → Mailpit: the link in the mail resets the password, and the
    reset is then told to the owner, in the profile's language."""
    person = person_at(auth, mapper.address("rita"), locale="it")
    asked = httpx.post(
        f"{auth.url}/v1/password-resets", json={"email": person.email, "channel": "email"}
    )
    assert asked.status_code == 202, asked.text

    mail = _by_template(mapper, person.email, 2)["password_reset_link"]
    assert mail["Subject"] == "Reimposta la password di Konto"
    body = mailpit.message(str(mail["ID"]))
    [link] = re.findall(r"https?://\S+/password-reset/\S+", body["Text"])
    assert f'href="{link}"' in body["HTML"]
    confirmed = httpx.post(
        f"{auth.url}/v1/password-resets/confirm",
        json={"token": link.rsplit("/", 1)[1], "new_password": "a brand new passphrase"},
    )
    assert confirmed.status_code == 204, confirmed.text

    changed = _by_template(mapper, person.email, 3)["password_changed"]
    assert changed["Subject"] == "La password di Konto è stata reimpostata"


def test_paid_invoice_is_mailed_to_the_payer_BIL_5_NOT_1(
    auth: ServiceProcess, orgs: ServiceProcess, billing: ServiceProcess, mapper: OwnNotify
) -> None:
    payer = person_at(auth, mapper.address("paul"), locale="de")
    org_id = create_org(orgs, payer, f"Rechnung {uuid.uuid4().hex[:6]} AG")
    wait_for_status(billing, payer, org_id, 200)
    add_address(billing, payer, org_id)
    product = add_product(billing, payer, org_id, "domain.ch", "paul.ch", renews_on="2030-01-15")
    paid = post(
        billing,
        payer,
        f"/v1/orgs/{org_id}/payments",
        {
            "items": [{"product_id": product["id"], "months": 12}],
            "method": "card",
            "card_token": "tok_visa",
        },
    )
    assert paid.status_code == 201, paid.text
    number = paid.json()["invoice"]["number"]

    mail = _by_template(mapper, payer.email, 2)["invoice_issued"]
    assert mail["Subject"] == f"Rechnung {number} von Konto"
    text = mailpit.message(str(mail["ID"]))["Text"]
    assert "bezahlt" in text
    assert f"/orgs/{org_id}/invoices" in text


def test_invitation_in_the_language_the_inviter_chose_ORG_4_NOT_2(
    auth: ServiceProcess, orgs: ServiceProcess, mapper: OwnNotify
) -> None:
    """An invitee without an account gets the invitation in the invitation's `locale`."""
    inviter = person_at(auth, mapper.address("vera"), locale="de")
    org_name = f"Fiduciaire {uuid.uuid4().hex[:6]}"
    org_id = create_org(orgs, inviter, org_name)
    address = mapper.address("leo")
    invite(orgs, inviter, org_id, address, "collaborator", products=["vps-9"], locale="fr")

    [mail] = mapper.wait_for_mails(address, 1, timeout=60, settle=1)
    assert mail["Subject"] == f"Invitation à rejoindre {org_name} sur Konto"
