"""`konto-admin` (tools/admin) over the real servers: it creates a support agent in
verification (VER-3), notify (NOT-4) and billing (BIL-3), rotates auth's signing keys (AUTH-3),
reaches auth's unlock (AUTH-5), and shows the outbox and DLQ backlog and replays a DLQ (X-2,
X-6). Every command runs as the installed entry point, with the services' own settings."""

import os
import subprocess
import sys
import uuid
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from pymongo import MongoClient

from tests.support.identity import new_person
from tests.support.kafka import produce
from tests.support.processes import ServiceProcess
from tests.support.servers import KAFKA, MONGO_URL

pytestmark = pytest.mark.servers

ADMIN = Path(sys.executable).parent / "konto-admin"
SERVICES = ("auth", "orgs", "billing", "verification", "notify")


def admin(
    run_id: str, *args: str, dbs: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run `konto-admin` against this run's databases (or `dbs`) and consumer groups."""
    env = dict(os.environ)
    for service in SERVICES:
        prefix = f"KONTO_{service.upper()}_"
        env[f"{prefix}MONGO_URL"] = MONGO_URL
        env[f"{prefix}MONGO_DB"] = (dbs or {}).get(service, f"t{run_id}_{service}")
        env[f"{prefix}KAFKA_BOOTSTRAP"] = KAFKA
        env[f"{prefix}KAFKA_GROUP_PREFIX"] = f"t{run_id}."
    return subprocess.run(
        [str(ADMIN), *args], env=env, capture_output=True, text=True, timeout=90, check=False
    )


def test_create_agent_opens_review_delivery_log_and_billing_support_VER_3_NOT_4_BIL_3(
    auth: ServiceProcess, verification: ServiceProcess, notify: ServiceProcess, run_id: str
) -> None:
    agent = new_person(auth)
    review = f"{verification.url}/v1/review/cases"
    deliveries = f"{notify.url}/v1/deliveries"
    assert httpx.get(review, headers=agent.headers).status_code == 403
    assert httpx.get(deliveries, headers=agent.headers).status_code == 403

    done = admin(run_id, "create-agent", agent.user_id)
    assert done.returncode == 0, done.stderr

    assert httpx.get(review, headers=agent.headers).status_code == 200
    assert httpx.get(deliveries, headers=agent.headers).status_code == 200
    with MongoClient(MONGO_URL) as client:
        assert client[f"t{run_id}_billing"]["staff"].find_one({"_id": agent.user_id})


def test_rotate_keys_publishes_the_new_key_next_to_the_old_AUTH_3(
    auth: ServiceProcess, run_id: str
) -> None:
    before = {k["kid"] for k in httpx.get(f"{auth.url}/.well-known/jwks.json").json()["keys"]}
    done = admin(run_id, "rotate-keys")
    assert done.returncode == 0, done.stderr
    words = done.stdout.split()
    assert words[0] == "active"
    assert set(words[3::2]) <= before  # "retiring <kid>" pairs: the keys it replaced
    after = {k["kid"] for k in httpx.get(f"{auth.url}/.well-known/jwks.json").json()["keys"]}
    assert after == before | {words[1]}  # overlap: old tokens still verify


def test_unlock_reaches_auth_and_says_when_nothing_is_locked_AUTH_5(
    auth: ServiceProcess, run_id: str
) -> None:
    person = new_person(auth)
    done = admin(run_id, "unlock", person.email)
    assert done.returncode == 1
    assert f"{person.email} was not locked" in done.stderr


async def test_backlog_counts_unsent_outbox_rows_and_unreplayed_dlq_messages_X_2(
    servers: None, run_id: str
) -> None:
    dbs = {s: f"t{run_id}admin_{s}" for s in SERVICES}
    now = datetime.now(UTC)
    with MongoClient(MONGO_URL) as client:
        rows = client[dbs["orgs"]]["outbox"]
        rows.insert_one({"_id": str(uuid.uuid4()), "sent_at": None, "created_at": now})
        rows.insert_one({"_id": str(uuid.uuid4()), "sent_at": None, "created_at": now})
        rows.insert_one({"_id": str(uuid.uuid4()), "sent_at": now, "created_at": now})
    topic = f"konto.test.admin{uuid.uuid4().hex[:10]}"
    for n in range(3):
        await produce(
            f"{topic}.dlq",
            b'{"n": %d}' % n,
            key=b"k",
            headers=[("x-konto-original-topic", topic.encode()), ("x-konto-error", b"boom")],
        )

    shown = admin(run_id, "backlog", "--dlq", topic, dbs=dbs)
    assert shown.returncode == 0, shown.stderr
    lines = [line.split() for line in shown.stdout.splitlines()]
    assert ["orgs", "2", f"db={dbs['orgs']}"] in lines
    assert ["auth", "0", f"db={dbs['auth']}"] in lines
    assert ["test", "3", f"{topic}.dlq"] in lines

    replayed = admin(run_id, "replay-dlq", topic, "--limit", "2", dbs=dbs)
    assert replayed.returncode == 0, replayed.stderr
    assert f"2 message(s) replayed from {topic}.dlq" in replayed.stdout

    again = admin(run_id, "backlog", "--dlq", f"{topic}.dlq", dbs=dbs)
    assert ["test", "1", f"{topic}.dlq"] in [line.split() for line in again.stdout.splitlines()]


def test_purge_now_runs_one_verification_purge_pass_VER_4(servers: None, run_id: str) -> None:
    done = admin(run_id, "purge-now", dbs={"verification": f"t{run_id}admin_verification"})
    assert done.returncode == 0, done.stderr
    assert "cases erased: 0" in done.stdout
