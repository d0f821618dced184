"""NOT-4 over the real servers: SMTP away for a while (a switchable TCP path to Mailpit), mails
out once it is back, none lost and none doubled; the delivery log for support staff."""

from collections.abc import Iterator

import httpx
import pytest

from tests.support import mailpit
from tests.support.identity import login, new_person
from tests.support.own_notify import OwnNotify, make_staff, person_at, start_own_notify
from tests.support.processes import ServiceProcess
from tests.support.tcp_switch import TcpSwitch

pytestmark = [pytest.mark.servers, pytest.mark.timeout(180)]


@pytest.fixture(scope="module")
def smtp() -> Iterator[TcpSwitch]:
    switch = TcpSwitch(1025)
    switch.on()
    yield switch
    switch.off()


@pytest.fixture(scope="module")
def flaky(auth: ServiceProcess, run_id: str, smtp: TcpSwitch) -> Iterator[OwnNotify]:
    """Retries quickly and often enough to outlast a short outage."""
    own = start_own_notify(
        auth,
        run_id,
        "retry",
        smtp,
        delivery_max_attempts="50",
        delivery_retry_base_seconds="0.3",
        delivery_retry_max_seconds="1.0",
    )
    yield own
    own.process.stop()


@pytest.fixture(scope="module")
def staff(auth: ServiceProcess, flaky: OwnNotify) -> dict[str, str]:
    return make_staff(flaky, new_person(auth))


def test_smtp_down_for_a_while_mails_go_out_once_when_back_NOT_4(
    auth: ServiceProcess, flaky: OwnNotify, smtp: TcpSwitch, staff: dict[str, str]
) -> None:
    smtp.off()
    try:
        email = flaky.address("anna")
        person = person_at(auth, email)
        login(auth, email)  # a second new device: a second message, queued the same way
        pending = flaky.wait_for_delivery(
            staff,
            person.user_id,
            lambda items: (
                len(items) == 2
                and all(d["status"] == "pending" and d["attempts"] >= 2 for d in items)
            ),
        )
        assert all(d["next_attempt_at"] and "Connect" in d["last_error"] for d in pending)
        assert flaky.mails_to(email) == []
        # The consumer was not held up: a later event was handled while SMTP was still away.
        assert httpx.get(f"{flaky.url}/readyz").status_code == 200
    finally:
        smtp.on()

    mails = flaky.wait_for_mails(email, 2, settle=3)
    assert len(mails) == 2
    event_ids = {mailpit.headers(str(m["ID"]))["X-Konto-Event-Id"][0] for m in mails}
    assert event_ids == {d["event_id"] for d in pending}
    sent = flaky.wait_for_delivery(
        staff, person.user_id, lambda items: all(d["status"] == "sent" for d in items)
    )
    assert all(d["message_id"] and d["attempts"] >= 3 for d in sent)


def test_delivery_log_is_for_support_staff_only_NOT_4(
    auth: ServiceProcess, flaky: OwnNotify, staff: dict[str, str]
) -> None:
    outsider = person_at(auth, flaky.address("bruno"))
    flaky.wait_for_mails(outsider.email, 1, settle=0)

    assert flaky.deliveries({}).status_code == 401
    refused = flaky.deliveries(outsider.headers, user_id=outsider.user_id)
    assert refused.status_code == 403
    assert refused.headers["content-type"].startswith("application/problem+json")

    [mine] = flaky.wait_for_delivery(
        staff, outsider.user_id, lambda items: [d["status"] for d in items] == ["sent"]
    )
    assert (mine["channel"], mine["template"], mine["locale"]) == ("email", "new_location", "en")
    assert mine["event_type"] == "konto.auth.login.succeeded.v1"
    by_type = flaky.deliveries(
        staff, user_id=outsider.user_id, event_type="konto.auth.login.succeeded.v1", status="sent"
    ).json()
    assert [d["id"] for d in by_type["items"]] == [mine["id"]]
    assert flaky.deliveries(staff, user_id=outsider.user_id, status="failed").json()["items"] == []

    first = flaky.deliveries(staff, per_page=1).json()
    assert len(first["items"]) == 1
    assert first["next_page"] == 2
    second = flaky.deliveries(staff, per_page=1, page=2).json()
    assert second["items"][0]["id"] != first["items"][0]["id"]

    bad = flaky.deliveries(staff, status="lost")
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "status"


def test_opt_outs_never_silence_security_messages_NOT_1(
    auth: ServiceProcess, flaky: OwnNotify
) -> None:
    email = flaky.address("dora")
    person = person_at(auth, email)
    flaky.wait_for_mails(email, 1, settle=0)
    url = f"{flaky.url}/v1/me/preferences"
    assert httpx.get(url).status_code == 401
    initial = httpx.get(url, headers=person.headers).json()
    assert initial["opt_out"] == []
    assert initial["always_sent"] == ["security"]

    chosen = httpx.put(
        url, json={"opt_out": ["organization", "billing", "billing"]}, headers=person.headers
    )
    assert chosen.status_code == 200, chosen.text
    assert chosen.json()["opt_out"] == ["billing", "organization"]
    for refused_value in (["security"], ["newsletter"]):
        refused = httpx.put(url, json={"opt_out": refused_value}, headers=person.headers)
        assert refused.status_code == 422
        assert refused.json()["errors"][0]["field"] == "opt_out"
    everything = initial["optional_categories"]
    assert httpx.put(url, json={"opt_out": everything}, headers=person.headers).is_success
    assert httpx.get(url, headers=person.headers).json()["opt_out"] == sorted(everything)

    login(auth, email)  # a new device: the security mail comes regardless
    assert len(flaky.wait_for_mails(email, 2)) == 2
