"""Signing-key rotation with overlap from the CLI, over the real servers (AUTH-3): the new key
signs, the old one stays in the JWKS until the tokens it signed have expired, then retires. A
separate auth process with an 8 s token lifetime keeps the wait short."""

import asyncio
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator

import httpx
import jwt
import pytest

from konto.common.jwt import JwksVerifier
from tests.support.identity import login, register
from tests.support.processes import ServiceProcess, start_service
from tests.support.servers import KAFKA, MONGO_URL

pytestmark = pytest.mark.servers

TTL = 8
CACHE = 0.5


@pytest.fixture(scope="module")
def keys_run(run_id: str) -> str:
    return f"{run_id}keys"


@pytest.fixture(scope="module")
def short_auth(servers: None, keys_run: str) -> Iterator[ServiceProcess]:
    service = start_service(
        "auth",
        keys_run,
        extra_env={
            "KONTO_AUTH_ACCESS_TOKEN_TTL_SECONDS": str(TTL),
            "KONTO_AUTH_SIGNING_KEY_CACHE_SECONDS": str(CACHE),
        },
    )
    yield service
    service.stop()


def _rotate(run: str) -> list[str]:
    env = {
        **os.environ,
        "KONTO_AUTH_MONGO_URL": MONGO_URL,
        "KONTO_AUTH_MONGO_DB": f"t{run}_auth",
        "KONTO_AUTH_KAFKA_BOOTSTRAP": KAFKA,
        "KONTO_AUTH_ACCESS_TOKEN_TTL_SECONDS": str(TTL),
        "KONTO_AUTH_SIGNING_KEY_CACHE_SECONDS": str(CACHE),
    }
    done = subprocess.run(
        [sys.executable, "-m", "konto.auth.cli", "rotate-keys"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.split()


def _kids(auth: ServiceProcess) -> set[str]:
    jwks = httpx.get(f"{auth.url}/.well-known/jwks.json").json()
    return {key["kid"] for key in jwks["keys"]}


def _kid(token: str) -> str:
    kid: str = jwt.get_unverified_header(token)["kid"]
    return kid


async def _verifies(auth: ServiceProcess, token: str) -> bool:
    verifier = JwksVerifier(f"{auth.url}/.well-known/jwks.json", issuer="http://127.0.0.1:8001")
    try:
        await verifier.verify(token)
        return True
    except Exception:
        return False
    finally:
        await verifier.close()


async def test_rotated_key_overlaps_then_retires_AUTH_3(
    short_auth: ServiceProcess, keys_run: str
) -> None:
    email = f"keys.{uuid.uuid4().hex[:8]}@example.ch"
    register(short_auth, email)
    before = login(short_auth, email)["access_token"]
    [old_kid] = _kids(short_auth)
    assert _kid(before) == old_kid

    words = _rotate(keys_run)
    assert words == ["active", words[1], "retiring", old_kid]
    new_kid = words[1]
    rotated_at = time.monotonic()
    assert _kids(short_auth) == {old_kid, new_kid}  # overlap: both verify
    assert await _verifies(short_auth, before)

    await asyncio.sleep(CACHE + 0.2)  # the running service picks up the new key
    after = login(short_auth, email)["access_token"]
    assert _kid(after) == new_kid
    assert await _verifies(short_auth, after)

    await asyncio.sleep(max(0.0, TTL + CACHE + 0.3 - (time.monotonic() - rotated_at)))
    assert _kids(short_auth) == {new_kid}  # every token of the old key has expired

    again = _rotate(keys_run)
    assert again[2:] == ["retiring", new_kid]
