"""auth SIGKILLed after its writes committed but before their events reached Kafka (X-2): after
a restart the outbox relay publishes each event once, and notify mails once."""

import threading
import time
from collections import Counter
from typing import Any

import httpx
import pytest
from pymongo import MongoClient

from konto.common.events import AUTH_EVENTS, parse_event
from tests.support.fault_kafka import all_records
from tests.support.fault_servers import PrivateServers
from tests.support.fault_stack import NEW_SIGN_IN, FaultStack

pytestmark = [pytest.mark.fault, pytest.mark.servers, pytest.mark.timeout(240)]

REGISTERED = "konto.auth.user.registered.v1"
LOGGED_IN = "konto.auth.login.succeeded.v1"


def _unsent(stack: FaultStack, match: Any, timeout: float = 30) -> dict[str, Any]:
    """The first unsent outbox row of auth that `match` accepts, once it is committed."""
    client: MongoClient[dict[str, Any]] = MongoClient(stack.servers.mongo_url)
    try:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for row in client[stack.db_name("auth")].outbox.find({"sent_at": None}):
                if match(row):
                    return row
            time.sleep(0.1)
    finally:
        client.close()
    raise AssertionError("no matching unsent outbox row")


def _rows(stack: FaultStack, ids: list[str]) -> list[dict[str, Any]]:
    client: MongoClient[dict[str, Any]] = MongoClient(stack.servers.mongo_url)
    try:
        return list(client[stack.db_name("auth")].outbox.find({"_id": {"$in": ids}}))
    finally:
        client.close()


def test_service_killed_between_commit_and_publish_delivers_once_after_restart_X_2(
    stack: FaultStack, private_servers: PrivateServers
) -> None:
    email = stack.address("crash")
    private_servers.kill("kafka")  # nothing can be published from here on
    outcomes: list[int | str] = []

    def call(request: Any) -> None:
        try:
            outcomes.append(request(email, timeout=60).status_code)
        except httpx.HTTPError as exc:
            outcomes.append(type(exc).__name__)

    requests = [threading.Thread(target=call, args=(stack.register,))]
    requests[0].start()
    registered = _unsent(
        stack, lambda row: row["type"] == REGISTERED and email.encode() in row["payload"]
    )
    requests.append(threading.Thread(target=call, args=(stack.login,)))
    requests[1].start()
    logged_in = _unsent(
        stack, lambda row: row["type"] == LOGGED_IN and row["key"] == registered["key"]
    )

    stack.kill("auth")  # committed, not published
    for request in requests:
        request.join(timeout=60)
    ids = [registered["_id"], logged_in["_id"]]
    assert [row["sent_at"] for row in _rows(stack, ids)] == [None, None]

    private_servers.start("kafka")
    stack.start("auth")

    mails = stack.wait_for_mails({email: 1}, NEW_SIGN_IN, timeout=90, settle=3)
    assert mails == {email: 1}, f"client saw {outcomes}"
    assert all(row["sent_at"] is not None for row in _rows(stack, ids))
    on_topic = Counter(
        parse_event(r.value).id for r in all_records(private_servers.kafka, [AUTH_EVENTS])
    )
    assert {i: on_topic[i] for i in ids} == dict.fromkeys(ids, 1)
