"""The five services of a fault session on its private Kafka and MongoDB-wire server, each on a
fixed port so that a killed one comes back where the others expect it, and what the fault tests
observe of them: readiness, mails and SMS of the session, and a snapshot of every service
database."""

import signal
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
from bson import json_util
from pymongo import MongoClient

from tests.support.fault_kafka import consumer_lag
from tests.support.fault_servers import PrivateServers
from tests.support.identity import FIREFOX, PASSWORD
from tests.support.processes import ServiceProcess, free_port, start_service
from tests.support.servers import MAILPIT_API, SMS_SINK

SERVICES = ("auth", "orgs", "billing", "verification", "notify")
# Delivery bookkeeping of the outbox and the idempotent consumers, not effects.
BOOKKEEPING = frozenset({"outbox", "consumed_events"})
NEW_SIGN_IN = "New sign-in to your Konto account"


@dataclass
class Snapshot:
    """Everything a consumer's effect can change: service data, mails and SMS of the session."""

    databases: dict[str, list[str]]
    mails: Counter[tuple[str, str]]
    sms: Counter[str]
    unsent: int  # outbox rows of every service not published yet

    def differences(self, other: "Snapshot") -> list[str]:
        found = []
        for name in sorted(set(self.databases) | set(other.databases)):
            before, after = self.databases.get(name, []), other.databases.get(name, [])
            if before != after:
                extra = [d for d in after if d not in before][:3]
                found.append(
                    f"{name}: {len(before)} -> {len(after)} documents, new/changed {extra}"
                )
        if self.mails != other.mails:
            found.append(f"mails: {(other.mails - self.mails) or (self.mails - other.mails)}")
        if self.sms != other.sms:
            found.append(f"sms: {(other.sms - self.sms) or (self.sms - other.sms)}")
        return found


@dataclass
class FaultStack:
    servers: PrivateServers
    run_id: str
    ports: dict[str, int] = field(default_factory=dict)
    processes: dict[str, ServiceProcess] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.ports = self.ports or {name: free_port() for name in SERVICES}
        self.domain = f"fault{self.run_id}.example.ch"
        self.sender = f"fault-{self.run_id}@konto.local"
        self.sms_sender = f"F{self.run_id}"

    def url(self, service: str) -> str:
        return f"http://127.0.0.1:{self.ports[service]}"

    def address(self, label: str) -> str:
        return f"{label}.{uuid.uuid4().hex[:8]}@{self.domain}"

    def db_name(self, service: str) -> str:
        return f"t{self.run_id}_{service}"

    # --- processes ------------------------------------------------------------------------
    def ensure(self, *names: str) -> None:
        """The named services running, the missing ones started."""
        self.start(*(name for name in names if name not in self.processes))

    def start(self, *names: str) -> None:
        """Start the named services in parallel, each until it is ready."""
        errors: list[BaseException] = []

        def one(name: str) -> None:
            try:
                self.processes[name] = start_service(
                    name,
                    self.run_id,
                    extra_env=self._env(name),
                    port=self.ports[name],
                    # Five interpreters importing at once on a busy machine take their time.
                    timeout=240,
                )
            except BaseException as exc:
                errors.append(exc)

        threads = [threading.Thread(target=one, args=(n,)) for n in names]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        if errors:
            raise errors[0]

    def kill(self, name: str) -> None:
        process = self.processes.pop(name).process
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)

    def stop_all(self) -> None:
        for process in self.processes.values():
            process.stop()
        self.processes.clear()

    def _env(self, name: str) -> dict[str, str]:
        prefix = f"KONTO_{name.upper()}_"
        env = {
            **self.servers.service_env(name),
            f"{prefix}OUTBOX_RELAY_GRACE_SECONDS": "2",
        }
        if name != "auth":
            env[f"{prefix}JWKS_URL"] = f"{self.url('auth')}/.well-known/jwks.json"
        if name == "notify":
            env |= {
                f"{prefix}MAIL_FROM": f"Konto <{self.sender}>",
                f"{prefix}SMS_SENDER": self.sms_sender,
                f"{prefix}SMTP_TIMEOUT_SECONDS": "3",
                f"{prefix}ONLY_RECIPIENTS": f"@{self.domain.replace('.', '[.]')}$",
                f"{prefix}DELIVERY_POLL_SECONDS": "0.2",
            }
        return env

    # --- readiness ------------------------------------------------------------------------
    def readiness(self, name: str) -> tuple[int, dict[str, Any]]:
        """`/readyz` of a service: (status, body); (0, {}) when nothing answers."""
        try:
            answer = httpx.get(f"{self.url(name)}/readyz", timeout=5)
        except httpx.HTTPError:
            return 0, {}
        body: dict[str, Any] = answer.json()
        return answer.status_code, body

    def wait_until(
        self, check: Callable[[int, dict[str, Any]], bool], what: str, timeout: float
    ) -> None:
        """Until `check(status, body)` holds for the `/readyz` of every running service."""
        deadline = time.monotonic() + timeout
        states: dict[str, tuple[int, dict[str, Any]]] = {}
        while time.monotonic() < deadline:
            states = {name: self.readiness(name) for name in self.processes}
            if all(check(status, body) for status, body in states.values()):
                return
            time.sleep(0.3)
        raise AssertionError(f"services not {what} within {timeout} s: {states}")

    def wait_ready(self, timeout: float = 60) -> None:
        self.wait_until(lambda status, _: status == 200, "ready", timeout)

    # --- people ---------------------------------------------------------------------------
    def register(self, email: str, *, timeout: float = 30) -> httpx.Response:
        return httpx.post(
            f"{self.url('auth')}/v1/users",
            json={
                "email": email,
                "password": PASSWORD,
                "name": "Fault Tester",
                "mobile": "+41 79 123 45 67",
                "locale": "en",
            },
            timeout=timeout,
        )

    def login(self, email: str, *, timeout: float = 30) -> httpx.Response:
        """From a device auth has never seen: a "new sign-in" mail."""
        return httpx.post(
            f"{self.url('auth')}/v1/sessions",
            json={"email": email, "password": PASSWORD},
            headers={"user-agent": FIREFOX},
            timeout=timeout,
        )

    # --- what the session's notify sent ---------------------------------------------------
    def mails(self) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = []
        while True:
            answer = httpx.get(
                f"{MAILPIT_API}/api/v1/search",
                params={"query": f'from:"{self.sender}"', "limit": 500, "start": len(found)},
                timeout=10,
            )
            answer.raise_for_status()
            page: list[dict[str, Any]] = answer.json()["messages"]
            found.extend(page)
            if len(page) < 500:
                return found

    def wait_for_mails(
        self, expected: dict[str, int], subject: str, *, timeout: float, settle: float = 2.0
    ) -> dict[str, int]:
        """Mails with `subject` per address once each has its `expected` count (or the timeout
        passed), after `settle` more seconds in which a duplicate would show up too."""
        deadline = time.monotonic() + timeout
        while True:
            counts = self._counts(subject)
            if all(counts[a] >= n for a, n in expected.items()) or time.monotonic() > deadline:
                break
            time.sleep(0.5)
        time.sleep(settle)
        counts = self._counts(subject)
        return {address: counts[address] for address in expected}

    def _counts(self, subject: str) -> Counter[str]:
        return Counter(
            to["Address"] for m in self.mails() if m["Subject"] == subject for to in m["To"]
        )

    def sms(self) -> list[dict[str, Any]]:
        answer = httpx.get(f"{SMS_SINK}/v1/messages", timeout=10)
        answer.raise_for_status()
        return [m for m in answer.json()["messages"] if m["sender"] == self.sms_sender]

    # --- state ----------------------------------------------------------------------------
    def snapshot(self) -> Snapshot:
        client: MongoClient[dict[str, Any]] = MongoClient(
            self.servers.mongo_url, serverSelectionTimeoutMS=5000
        )
        try:
            databases = {}
            for service in SERVICES:
                db = client[self.db_name(service)]
                for name in sorted(set(db.list_collection_names()) - BOOKKEEPING):
                    databases[f"{service}.{name}"] = sorted(
                        json_util.dumps(doc, sort_keys=True) for doc in db[name].find()
                    )
            unsent = sum(
                client[self.db_name(s)].outbox.count_documents({"sent_at": None}) for s in SERVICES
            )
        finally:
            client.close()
        mails = Counter((to["Address"], m["Subject"]) for m in self.mails() for to in m["To"])
        sms = Counter(str(m["to"]) for m in self.sms())
        return Snapshot(databases, mails, sms, unsent)

    def wait_quiet(self, *, timeout: float = 60, stable: float = 3.0) -> Snapshot:
        """The state once every consumer group has committed everything on its topics, every
        outbox row is sent, and nothing changed for `stable` seconds."""
        deadline = time.monotonic() + timeout
        last: Snapshot | None = None
        since = time.monotonic()
        lag: dict[str, int] = {}
        while time.monotonic() < deadline:
            lag = consumer_lag(self.servers.kafka)
            current = self.snapshot()
            busy = any(lag.values()) or current.unsent > 0
            if busy or last is None or current.differences(last):
                last, since = current, time.monotonic()
            elif time.monotonic() - since >= stable:
                return current
            time.sleep(0.5)
        raise AssertionError(f"never quiet within {timeout} s; consumer lag {lag}")
