"""Kafka SIGKILLed and restarted in the middle of a burst of logins (X-2, AUTH-4, NOT-4): every
login the client saw succeed gets its "new sign-in" mail exactly once. Logins made while the
broker is down still succeed: the outbox keeps their events until it is back."""

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from tests.support.fault_servers import PrivateServers
from tests.support.fault_stack import NEW_SIGN_IN, FaultStack

pytestmark = [pytest.mark.fault, pytest.mark.servers, pytest.mark.timeout(240)]

LOGINS = 40
INTERVAL = 0.25  # seconds between two logins: 4 per second
KILL_AFTER = 8  # logins before the broker is killed
DOWN_FOR = 3.0  # seconds before it is started again


def test_kafka_sigkill_during_login_burst_mails_every_login_once_X_2_NOT_4(
    stack: FaultStack, private_servers: PrivateServers
) -> None:
    people = [stack.address(f"burst{i}") for i in range(LOGINS)]
    with ThreadPoolExecutor(4) as pool:
        assert {a.status_code for a in pool.map(stack.register, people)} == {201}

    outcomes: dict[str, int | str] = {}
    started: dict[str, float] = {}
    outage: dict[str, float] = {}

    def log_in(email: str) -> None:
        started[email] = time.monotonic()
        try:
            outcomes[email] = stack.login(email, timeout=60).status_code
        except httpx.HTTPError as exc:
            outcomes[email] = type(exc).__name__

    def crash_broker() -> None:
        private_servers.kill("kafka")
        outage["killed"] = time.monotonic()
        time.sleep(DOWN_FOR)
        private_servers.start("kafka")
        outage["back"] = time.monotonic()

    threads = []
    for i, email in enumerate(people):
        if i == KILL_AFTER:
            threads.append(threading.Thread(target=crash_broker))
            threads[-1].start()
        threads.append(threading.Thread(target=log_in, args=(email,)))
        threads[-1].start()
        time.sleep(INTERVAL)
    for thread in threads:
        thread.join(timeout=150)

    during = [e for e in people if outage["killed"] <= started[e] <= outage["back"]]
    assert during, "no login was made while the broker was down"
    succeeded = [e for e in people if outcomes.get(e) == 201]
    assert set(during) & set(succeeded), f"no login succeeded during the outage: {outcomes}"

    mails = stack.wait_for_mails(dict.fromkeys(people, 1), NEW_SIGN_IN, timeout=90, settle=3)
    assert {e: mails[e] for e in succeeded} == dict.fromkeys(succeeded, 1)
    # A login the client never saw answered may or may not have committed, but never mails twice.
    assert all(mails[e] <= 1 for e in people), mails
