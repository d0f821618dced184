"""A simulated authenticator device for AUTH-9 e2e tests: its own Ed25519 key, enrolment from
the QR code's URI, signed requests and decisions, its TOTP; and a push/SMS sink of a test's own
(`scripts/sms_sink.py` on a free port), so nobody else's messages reach it."""

import base64
import re
import secrets
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pyotp
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from tests.support.identity import PASSWORD, Person
from tests.support.processes import ROOT, ServiceProcess, free_port


def b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


@dataclass
class Device:
    name: str = "Anna's phone"
    push_token: str | None = field(default_factory=lambda: f"push-{secrets.token_hex(12)}")
    key: Ed25519PrivateKey = field(default_factory=Ed25519PrivateKey.generate)
    device_id: str = ""
    totp_secret: str = ""

    @property
    def public_key(self) -> str:
        return b64url(self.key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw))

    def enrol(self, auth: ServiceProcess, enrol_uri: str) -> httpx.Response:
        """What the device does with the scanned QR code."""
        query = parse_qs(urlsplit(enrol_uri).query)
        assert query["api"][0].startswith("http")  # auth's public URL; tests call the process
        answer = httpx.post(
            f"{auth.url}/v1/devices",
            json={
                "enrolment_token": query["token"][0],
                "public_key": self.public_key,
                "name": self.name,
                "push_token": self.push_token,
            },
        )
        if answer.status_code == 201:
            self.device_id = answer.json()["device_id"]
            self.totp_secret = answer.json()["totp_secret"]
        return answer

    def headers(self, method: str, path: str, timestamp: float | None = None) -> dict[str, str]:
        stamp = str(int(time.time() if timestamp is None else timestamp))
        signature = self.key.sign(f"{method}\n{path}\n{stamp}".encode())
        return {"x-konto-device-timestamp": stamp, "x-konto-device-signature": b64url(signature)}

    def approvals(self, auth: ServiceProcess) -> httpx.Response:
        path = f"/v1/devices/{self.device_id}/approvals"
        return httpx.get(f"{auth.url}{path}", headers=self.headers("GET", path))

    def decide(self, auth: ServiceProcess, approval_id: str, decision: str) -> httpx.Response:
        path = f"/v1/devices/{self.device_id}/approvals/{approval_id}"
        signature = self.key.sign(f"konto-approval\n{approval_id}\n{decision}".encode())
        return httpx.post(
            f"{auth.url}{path}",
            json={"decision": decision, "signature": b64url(signature)},
            headers=self.headers("POST", path),
        )

    def totp(self) -> pyotp.TOTP:
        return pyotp.TOTP(self.totp_secret)


def enrol_device(auth: ServiceProcess, person: Person, device: Device) -> list[str]:
    """Enrolled through the console's QR code; the backup codes the device got (if first)."""
    started = httpx.post(f"{auth.url}/v1/me/mfa/devices", headers=person.headers)
    assert started.status_code == 201, started.text
    assert started.json()["qr_svg"].startswith("<svg")
    enrolled = device.enrol(auth, started.json()["enrol_uri"])
    assert enrolled.status_code == 201, enrolled.text
    codes: list[str] = enrolled.json()["backup_codes"]
    return codes


def new_person_with_mobile(auth: ServiceProcess) -> tuple[Person, str]:
    """Registered with a mobile number of its own (the SMS sink is searched by number)."""
    mobile = f"+4179{secrets.randbelow(10_000_000):07d}"
    email = f"p.{uuid.uuid4().hex[:10]}@example.ch"
    user = httpx.post(
        f"{auth.url}/v1/users",
        json={
            "email": email,
            "password": PASSWORD,
            "name": "Anna Muster",
            "mobile": mobile,
            "locale": "en",
        },
    )
    assert user.status_code == 201, user.text
    tokens = httpx.post(f"{auth.url}/v1/sessions", json={"email": email, "password": PASSWORD})
    assert tokens.status_code == 201, tokens.text
    person = Person(
        user_id=user.json()["id"],
        email=email,
        access_token=tokens.json()["access_token"],
        refresh_token=tokens.json()["refresh_token"],
        session_id=tokens.json()["session_id"],
        device_id=tokens.json()["device_id"],
    )
    return person, mobile


@dataclass
class Sink:
    url: str

    def _poll(
        self, path: str, key: str, params: dict[str, str], count: int, timeout: float
    ) -> list[dict[str, Any]]:
        deadline = time.monotonic() + timeout
        found: list[dict[str, Any]] = []
        while time.monotonic() < deadline:
            found = httpx.get(f"{self.url}{path}", params=params).json()[key]
            if len(found) >= count:
                return found
            time.sleep(0.2)
        raise AssertionError(f"expected {count} at {path} {params}, got {found}")

    def sms_codes(self, mobile: str, count: int, timeout: float = 30.0) -> list[str]:
        """The codes of the first `count` SMS to `mobile`, oldest first."""
        found = self._poll("/v1/messages", "messages", {"to": mobile}, count, timeout)
        return [re.findall(r"\b\d{6}\b", m["text"])[0] for m in found]

    def pushes(self, token: str, count: int = 1, timeout: float = 30.0) -> list[dict[str, Any]]:
        return self._poll("/v1/pushes", "pushes", {"token": token}, count, timeout)


@contextmanager
def own_sink() -> Iterator[Sink]:
    """A second sink on a free port: the shared one on 8026 is restarted by nobody."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "scripts" / "sms_sink.py"), "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 15
        while True:
            try:
                if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                if time.monotonic() > deadline:
                    raise
            time.sleep(0.1)
        yield Sink(url)
    finally:
        process.terminate()
        process.wait(timeout=10)
