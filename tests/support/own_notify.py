"""Helpers for notify's e2e tests: a notify process of a test's own, behind a switchable SMTP
path, its CLI, and reads of its delivery log and of Mailpit.

Such a process consumes the same shared topics as every other run's notify. Its consumer groups
start at the topics' ends (`start_service`), it is restricted (`KONTO_NOTIFY_ONLY_RECIPIENTS`)
to addresses under its own domain, and its mails and SMS carry their own sender: counts cannot
be disturbed by, nor disturb, other runs."""

import os
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from typing import Any

import httpx

from tests.support.identity import Person, login, register
from tests.support.processes import ServiceProcess, start_service
from tests.support.servers import KAFKA, MAILPIT_API, MONGO_URL, SMS_SINK
from tests.support.tcp_switch import TcpSwitch


@dataclass
class OwnNotify:
    process: ServiceProcess
    run_id: str
    domain: str
    sender: str
    sms_sender: str

    @property
    def url(self) -> str:
        return self.process.url

    def address(self, label: str) -> str:
        return f"{label}.{uuid.uuid4().hex[:8]}@{self.domain}"

    def cli(self, *args: str) -> str:
        env = {
            **os.environ,
            "KONTO_NOTIFY_ENVIRONMENT": "test",
            "KONTO_NOTIFY_MONGO_URL": MONGO_URL,
            "KONTO_NOTIFY_MONGO_DB": f"t{self.run_id}_notify",
            "KONTO_NOTIFY_KAFKA_BOOTSTRAP": KAFKA,
            "KONTO_NOTIFY_KAFKA_GROUP_PREFIX": f"t{self.run_id}.",
        }
        done = subprocess.run(
            [sys.executable, "-m", "konto.notify.cli", *args],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    def deliveries(self, headers: dict[str, str], **params: Any) -> httpx.Response:
        return httpx.get(f"{self.url}/v1/deliveries", params=params, headers=headers, timeout=10)

    def wait_for_delivery(
        self, headers: dict[str, str], user_id: str, predicate: Any, timeout: float = 30.0
    ) -> list[dict[str, Any]]:
        """The person's deliveries once `predicate(items)` holds."""
        deadline = time.monotonic() + timeout
        items: list[dict[str, Any]] = []
        while time.monotonic() < deadline:
            answer = self.deliveries(headers, user_id=user_id)
            assert answer.status_code == 200, answer.text
            items = answer.json()["items"]
            if predicate(items):
                return items
            time.sleep(0.3)
        raise AssertionError(f"deliveries of {user_id} never matched: {items}")

    def sms_to(self, mobile: str) -> list[dict[str, Any]]:
        """What reached the SMS sink for `mobile` from this process (its own sender id)."""
        response = httpx.get(f"{SMS_SINK}/v1/messages", params={"to": mobile})
        response.raise_for_status()
        found: list[dict[str, Any]] = response.json()["messages"]
        return [m for m in found if m["sender"] == self.sms_sender]

    def wait_for_sms(
        self, mobile: str, count: int, timeout: float = 30.0, settle: float = 2.0
    ) -> list[dict[str, Any]]:
        deadline = time.monotonic() + timeout
        found: list[dict[str, Any]] = []
        while time.monotonic() < deadline:
            found = self.sms_to(mobile)
            if len(found) >= count:
                time.sleep(settle)
                return self.sms_to(mobile)
            time.sleep(0.3)
        raise AssertionError(f"expected {count} SMS to {mobile}, got {len(found)}")

    def mails_to(self, address: str) -> list[dict[str, Any]]:
        response = httpx.get(
            f"{MAILPIT_API}/api/v1/search",
            params={"query": f'from:"{self.sender}" to:"{address}"', "limit": 200},
        )
        response.raise_for_status()
        found: list[dict[str, Any]] = response.json()["messages"]
        return found

    def wait_for_mails(
        self, address: str, count: int, timeout: float = 30.0, settle: float = 2.0
    ) -> list[dict[str, Any]]:
        deadline = time.monotonic() + timeout
        found: list[dict[str, Any]] = []
        while time.monotonic() < deadline:
            found = self.mails_to(address)
            if len(found) >= count:
                time.sleep(settle)
                return self.mails_to(address)
            time.sleep(0.3)
        raise AssertionError(f"expected {count} mails to {address}, got {len(found)}")


def start_own_notify(
    auth: ServiceProcess,
    run_id: str,
    label: str,
    smtp: TcpSwitch | None = None,
    *,
    only_recipients: str | None = None,
    **settings: str,
) -> OwnNotify:
    own_run = f"{run_id}{label}"
    domain = f"{label}{run_id}.example.ch"
    sender = f"{label}-{run_id}@konto.local"
    env = {
        "JWKS_URL": f"{auth.url}/.well-known/jwks.json",
        "SMTP_PORT": str(smtp.port if smtp else 1025),
        "SMTP_TIMEOUT_SECONDS": "3",
        "MAIL_FROM": f"Konto <{sender}>",
        "SMS_SENDER": f"T{run_id}",
        "ONLY_RECIPIENTS": only_recipients or f"@{domain.replace('.', '[.]')}$",
        "DELIVERY_POLL_SECONDS": "0.2",
        **{name.upper(): value for name, value in settings.items()},
    }
    process = start_service(
        "notify", own_run, extra_env={f"KONTO_NOTIFY_{k}": v for k, v in env.items()}
    )
    return OwnNotify(
        process=process, run_id=own_run, domain=domain, sender=sender, sms_sender=f"T{run_id}"
    )


def person_at(auth: ServiceProcess, email: str, locale: str = "en") -> Person:
    """Registered and logged in once (a new device: one "new sign-in" message)."""
    user = register(auth, email, locale=locale)
    tokens = login(auth, email)
    return Person(
        user_id=user["id"],
        email=user["email"],
        access_token=tokens["access_token"],
        refresh_token=tokens["refresh_token"],
        session_id=tokens["session_id"],
        device_id=tokens["device_id"],
    )


def make_staff(notify: OwnNotify, person: Person) -> dict[str, str]:
    assert "added" in notify.cli("add-staff", person.user_id)
    return person.headers
