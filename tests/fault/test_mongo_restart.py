"""The MongoDB-wire server SIGKILLed and started again (X-6, X-2): every service's `/readyz`
turns 503 naming mongo, then 200 again; requests made during the outage are answered 503 with
Retry-After (not 500) and, retried by the client, succeed once; their events are handled once,
and what was written before is still there.

The private server fsyncs every commit (`KONTO_MONGO_SYNC_ON_COMMIT`): SecantusDB 0.7.0b3 in
its default mode forgets its last acknowledged commits when SIGKILLed."""

import threading
import time
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from tests.support.fault_servers import PrivateServers
from tests.support.fault_stack import NEW_SIGN_IN, FaultStack

pytestmark = [pytest.mark.fault, pytest.mark.servers, pytest.mark.timeout(240)]

# Longer than the services' 5 s MongoDB server selection timeout: clients see the outage.
DOWN_FOR = 6.0


def _unready_naming_mongo(status: int, body: dict[str, Any]) -> bool:
    return status == 503 and body["checks"]["mongo"] is False and "mongo" in body["detail"]


class Retried:
    """A write the client repeats until it is answered 2xx (or the deadline passes)."""

    def __init__(self, request: Callable[[], httpx.Response], timeout: float = 90) -> None:
        self.request = request
        self.timeout = timeout
        self.answers: list[int | str] = []
        self.thread = threading.Thread(target=self._run)
        self.thread.start()

    def _run(self) -> None:
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            try:
                status = self.request().status_code
            except httpx.HTTPError as exc:
                self.answers.append(type(exc).__name__)
            else:
                self.answers.append(status)
                if status < 300:
                    return
            time.sleep(0.5)

    def result(self) -> list[int | str]:
        self.thread.join(timeout=self.timeout + 30)
        return self.answers


def test_mongo_restart_unready_then_ready_and_nothing_lost_X_6_X_2(
    stack: FaultStack, private_servers: PrivateServers
) -> None:
    earlier = stack.address("earlier")
    assert stack.register(earlier).status_code == 201
    assert stack.login(earlier).status_code == 201

    private_servers.kill("mongo")
    stack.wait_until(_unready_naming_mongo, "unready naming mongo", timeout=30)

    newcomer = stack.address("newcomer")
    registration = Retried(lambda: stack.register(newcomer, timeout=20))
    login = Retried(lambda: stack.login(earlier, timeout=20))
    time.sleep(DOWN_FOR)
    private_servers.start("mongo")
    stack.wait_ready(timeout=90)

    registered, logged_in = registration.result(), login.result()
    # The outage is transient and says so (503 with Retry-After), it is no internal error.
    assert 503 in registered + logged_in, (registered, logged_in)
    assert 500 not in registered + logged_in, (registered, logged_in)
    # Answered once with success, and never "already registered": no attempt made during the
    # outage committed behind the client's back.
    assert registered[-1] == 201, registered
    assert 409 not in registered, registered
    assert logged_in[-1] == 201, logged_in
    assert stack.login(newcomer).status_code == 201

    mails = stack.wait_for_mails({earlier: 2, newcomer: 1}, NEW_SIGN_IN, timeout=90, settle=3)
    assert mails == {earlier: 2, newcomer: 1}
