"""Helpers for verification e2e tests: read its events, open cases by command, walk a case's
steps through the real API and S3, run its CLI against the test run's database."""

import asyncio
import os
import struct
import subprocess
import sys
import zlib
from collections.abc import Callable
from typing import Any

import httpx
from aiokafka import AIOKafkaConsumer

from konto.common.crypto import SecretBox
from konto.common.events import (
    VERIFICATION_EVENTS,
    CaseOpenedV1,
    Event,
    OpenCase,
    OpenCaseV1,
    parse_event,
)
from konto.common.events.verification import VERIFICATION_COMMANDS
from tests.support.kafka import produce
from tests.support.processes import ServiceProcess
from tests.support.servers import KAFKA, MONGO_URL

DEV_COMMAND_KEY = "a29udG8tZGV2LW9ubHktZW5jcnlwdGlvbi1rZXkhISE="


def png(width: int, height: int, padding: int = 0) -> bytes:
    """A real PNG (black, grayscale); `padding` bytes after IEND make it big without work."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = struct.pack(">I", zlib.crc32(kind + data))
        return struct.pack(">I", len(data)) + kind + data + crc

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    raw = (b"\x00" * (width + 1)) * height
    image = (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )
    return image + b"\x00" * padding


async def wait_for_events(
    match: Callable[[Event], bool], *, count: int = 1, timeout: float = 60.0, settle: float = 0.0
) -> list[Event]:
    """Matching events of `konto.verification.events`, read from the start. The timeout is
    generous: a fresh service first replays older runs' commands, and events written by a
    consumer wait for the outbox relay's grace period."""
    consumer = AIOKafkaConsumer(
        VERIFICATION_EVENTS,
        bootstrap_servers=KAFKA,
        auto_offset_reset="earliest",
        enable_auto_commit=False,
    )
    await consumer.start()
    found: list[Event] = []
    try:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        settle_until: float | None = None
        while loop.time() < (settle_until or deadline):
            batch = await consumer.getmany(timeout_ms=500)
            for records in batch.values():
                for record in records:
                    event = parse_event(record.value)
                    if match(event):
                        found.append(event)
            if settle_until is None and len(found) >= count:
                settle_until = loop.time() + settle
    finally:
        await consumer.stop()
    assert len(found) >= count, f"expected {count} events, saw {len(found)}"
    return found


def of_case(type_: str, case_id: str) -> Callable[[Event], bool]:
    return lambda e: e.type == type_ and e.subject == case_id


async def send_open_case(command: OpenCaseV1) -> None:
    await produce(
        VERIFICATION_COMMANDS,
        command.to_json(),
        key=command.subject.encode(),
        headers=[("content-type", b"application/cloudevents+json")],
    )


def open_case_command(reason: str, reference: str, **data: Any) -> OpenCaseV1:
    return OpenCaseV1(
        source="konto/test",
        subject=reference,
        data=OpenCase(
            reason=reason,  # type: ignore[arg-type]
            requested_by=data.pop("requested_by", "auth"),
            reference=reference,
            email=data.pop("email", "case@example.ch"),
            locale=data.pop("locale", "en"),
            **data,
        ),
    )


def token_of(case_url: str) -> str:
    return case_url.rsplit("/verify/", 1)[1]


def opened_by(
    verification: ServiceProcess, match: Callable[[CaseOpenedV1], bool]
) -> Callable[[Event], bool]:
    """`case.opened` events of this test's service process only: other processes running at
    the same time (another test session's) consume the same commands and open their own cases.
    A case is ours when our service opens it with the event's link."""

    def mine(event: Event) -> bool:
        if not isinstance(event, CaseOpenedV1) or not match(event):
            return False
        answer = httpx.get(
            f"{verification.url}/v1/cases/{event.data.case_id}",
            params={"token": token_of(event.data.case_url)},
            timeout=10,
        )
        return answer.status_code == 200

    return mine


def run_cli(run_id: str, *args: str) -> str:
    env = {
        **os.environ,
        "KONTO_VERIFICATION_MONGO_URL": MONGO_URL,
        "KONTO_VERIFICATION_MONGO_DB": f"t{run_id}_verification",
    }
    done = subprocess.run(
        [sys.executable, "-m", "konto.verification.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


class CaseClient:
    """The person's phone: every call carries the case token, never a login."""

    def __init__(self, verification: ServiceProcess, case_id: str, token: str) -> None:
        self.base = f"{verification.url}/v1/cases/{case_id}"
        self.case_id = case_id
        self.http = httpx.Client(headers={"X-Case-Token": token}, timeout=20)

    def get(self) -> httpx.Response:
        return self.http.get(self.base)

    def put(self, path: str, body: dict[str, Any]) -> httpx.Response:
        return self.http.put(f"{self.base}/{path}", json=body)

    def post(self, path: str, body: dict[str, Any] | None = None) -> httpx.Response:
        return self.http.post(f"{self.base}/{path}", json=body)

    def upload(self, kind: str, content: bytes, content_type: str = "image/png") -> httpx.Response:
        """Asks for the presigned form, then posts the bytes straight to S3."""
        target = self.post(f"files/{kind}/upload", {"content_type": content_type})
        assert target.status_code == 200, target.text
        return self.post_form(target.json(), content, content_type)

    def post_form(self, form: dict[str, Any], content: bytes, content_type: str) -> httpx.Response:
        """The browser's part: a multipart POST of the presigned form straight to S3."""
        return httpx.post(
            form["url"], data=form["fields"], files={"file": ("photo", content, content_type)}
        )

    async def confirm_mobile(self, mobile: str = "+41 79 555 12 34") -> None:
        assert self.put("mobile", {"mobile": mobile}).status_code == 200
        assert self.post("sms-code").status_code == 202
        [event] = await wait_for_events(
            of_case("konto.verification.sms_code.requested.v1", self.case_id)
        )
        code = SecretBox.from_base64(DEV_COMMAND_KEY).open(
            event.data.sealed_code, associated=self.case_id.encode()
        )
        answer = self.post("sms-code/confirm", {"code": code.decode()})
        assert answer.status_code == 200, answer.text

    async def fill_and_submit(self, document: str = "passport") -> dict[str, Any]:
        await self.confirm_mobile()
        geo = {"consent": True, "latitude": 47.37, "longitude": 8.54, "accuracy_m": 20}
        assert self.put("geolocation", geo).status_code == 200
        assert self.put("document", {"type": document}).status_code == 200
        kinds = ["front", "back", "selfie"] if document == "identity_card" else ["front", "selfie"]
        for kind in kinds:
            assert self.upload(kind, png(640, 480)).status_code in (200, 201, 204)
            done = self.post(f"files/{kind}/complete")
            assert done.status_code == 200, done.text
        submitted = self.post("submit")
        assert submitted.status_code == 200, submitted.text
        case: dict[str, Any] = submitted.json()
        return case


def open_for_self(verification: ServiceProcess, headers: dict[str, str]) -> CaseClient:
    opened = httpx.post(
        f"{verification.url}/v1/cases", json={"locale": "en"}, headers=headers, timeout=20
    )
    assert opened.status_code == 201, opened.text
    body = opened.json()
    return CaseClient(verification, body["id"], body["token"])
