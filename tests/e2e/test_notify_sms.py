"""NOT-3 / NOT-4 over the real servers: an SMS code command on `konto.notify.commands`, its
code sealed with the shared command key, reaches the SMS sink through the HTTP-gateway
provider once, however often Kafka delivers the command; the code is never stored opened."""

import random
import uuid
from collections.abc import Iterator
from datetime import timedelta

import pytest
from pymongo import MongoClient

from konto.common.crypto import SecretBox
from konto.common.events import NOTIFY_COMMANDS, SendSmsCode, SendSmsCodeV1, utcnow
from tests.support.kafka import produce
from tests.support.own_notify import OwnNotify, start_own_notify
from tests.support.processes import ServiceProcess
from tests.support.servers import MONGO_URL

pytestmark = [pytest.mark.servers, pytest.mark.timeout(120)]

DEV_COMMAND_KEY = "a29udG8tZGV2LW9ubHktZW5jcnlwdGlvbi1rZXkhISE="


@pytest.fixture(scope="module")
def prefix(run_id: str) -> str:
    """Mobile numbers of this run: +4179 and four digits of its own."""
    return f"+4179{int(run_id, 16) % 10_000:04d}"


@pytest.fixture(scope="module")
def sms_notify(auth: ServiceProcess, run_id: str, prefix: str) -> Iterator[OwnNotify]:
    own = start_own_notify(auth, run_id, "sms", only_recipients=f"^[+]{prefix[1:]}[0-9]{{3}}$")
    yield own
    own.process.stop()


def _command(mobile: str, code: str, case_id: str, locale: str = "de") -> SendSmsCodeV1:
    box = SecretBox.from_base64(DEV_COMMAND_KEY)
    return SendSmsCodeV1(
        subject=case_id,
        source="konto/verification",
        data=SendSmsCode(
            purpose="verification_code",
            mobile=mobile,
            locale=locale,
            sealed_code=box.seal(code.encode(), case_id.encode()),
            expires_at=utcnow() + timedelta(minutes=10),
        ),
    )


async def test_sms_code_command_sent_once_through_http_gateway_NOT_3(
    sms_notify: OwnNotify, prefix: str
) -> None:
    mobile = f"{prefix}{random.randint(0, 999):03d}"
    code = f"{random.randint(0, 999_999):06d}"
    command = _command(mobile, code, case_id=f"case-{uuid.uuid4().hex}")
    for _ in range(3):  # Kafka delivers at least once: the very same record, three times
        await produce(NOTIFY_COMMANDS, command.to_json(), key=command.subject.encode())

    [sms] = sms_notify.wait_for_sms(mobile, 1, settle=3)
    assert sms["text"].startswith(f"Konto: {code} ist Ihr Bestätigungscode")

    with MongoClient(MONGO_URL) as client:
        row = client[f"t{sms_notify.run_id}_notify"]["deliveries"].find_one(
            {"_id": f"{command.id}:{mobile}:sms"}
        )
    assert row is not None
    assert row["status"] == "sent"
    assert code not in str(row)  # only the sealed code is stored


async def test_sealed_for_another_case_is_refused_not_sent_NOT_3(
    sms_notify: OwnNotify, prefix: str
) -> None:
    mobile = f"{prefix}{random.randint(0, 999):03d}"
    forged = _command(mobile, "123456", case_id="case-a").model_copy(update={"subject": "case-b"})
    honest = _command(mobile, "654321", case_id="case-c")
    await produce(NOTIFY_COMMANDS, forged.to_json(), key=b"case-b")
    await produce(NOTIFY_COMMANDS, honest.to_json(), key=b"case-c")

    [sms] = sms_notify.wait_for_sms(mobile, 1, settle=2)
    assert "654321" in sms["text"]
    with MongoClient(MONGO_URL) as client:
        row = client[f"t{sms_notify.run_id}_notify"]["deliveries"].find_one(
            {"_id": f"{forged.id}:{mobile}:sms"}
        )
    assert row is not None
    assert row["status"] == "failed"  # no retry can open it; it went to the DLQ
    assert "does not open" in row["last_error"]
