"""NOT-4 over the real servers: a delivery that keeps failing ends in
`konto.notify.deliveries.dlq` with its error, and `replay-dlq` brings it back once."""

from collections.abc import Iterator

import pytest

from konto.common.events import DeliveryFailedV1, parse_event
from tests.support.identity import new_person
from tests.support.kafka import header_map, read_topic
from tests.support.own_notify import OwnNotify, make_staff, person_at, start_own_notify
from tests.support.processes import ServiceProcess
from tests.support.tcp_switch import TcpSwitch

pytestmark = [pytest.mark.servers, pytest.mark.timeout(180)]


@pytest.fixture(scope="module")
def smtp() -> Iterator[TcpSwitch]:
    switch = TcpSwitch(1025)  # off: every try fails
    yield switch
    switch.off()


@pytest.fixture(scope="module")
def giving_up(auth: ServiceProcess, run_id: str, smtp: TcpSwitch) -> Iterator[OwnNotify]:
    own = start_own_notify(
        auth,
        run_id,
        "dlq",
        smtp,
        delivery_max_attempts="2",
        delivery_retry_base_seconds="0.2",
        delivery_retry_max_seconds="0.5",
    )
    yield own
    own.process.stop()


async def test_failing_delivery_goes_to_dlq_and_replays_once_NOT_4(
    auth: ServiceProcess, giving_up: OwnNotify, smtp: TcpSwitch
) -> None:
    staff = make_staff(giving_up, new_person(auth))
    email = giving_up.address("carla")
    person = person_at(auth, email, locale="fr")
    [failed] = giving_up.wait_for_delivery(
        staff,
        person.user_id,
        lambda items: len(items) == 1 and items[0]["status"] == "failed",
    )
    assert failed["attempts"] == 2
    assert "Connect" in failed["last_error"]

    records = await read_topic("konto.notify.deliveries.dlq", expect=10**9, timeout=6, settle=0)
    [dead] = [r for r in records if r.key == failed["id"].encode()]
    letter = parse_event(dead.value)
    assert isinstance(letter, DeliveryFailedV1)
    assert (letter.data.event_id, letter.data.recipient) == (failed["event_id"], person.user_id)
    assert letter.data.attempts == 2
    headers = header_map(dead)
    assert headers["x-konto-original-topic"] == "konto.notify.deliveries"
    assert "Connect" in headers["x-konto-error"]

    smtp.on()  # the cause is fixed; nothing retries on its own any more
    assert giving_up.mails_to(email) == []
    output = giving_up.cli("replay-dlq", "konto.notify.deliveries")
    assert f"key={failed['id']}" in output
    [mail] = giving_up.wait_for_mails(email, 1, settle=2)
    assert mail["Subject"] == "Nouvelle connexion à votre compte Konto"

    again = giving_up.cli("replay-dlq", "konto.notify.deliveries")  # its offset is committed
    assert failed["id"] not in again
    [sent] = giving_up.wait_for_delivery(
        staff, person.user_id, lambda items: items[0]["status"] == "sent"
    )
    assert sent["replays"] == 1
    assert len(giving_up.wait_for_mails(email, 1, settle=2)) == 1
