"""People for the abuse tests (issue 9): as tests.support.identity.new_person, with the long
timeouts a 2-core machine under a parallel brute force needs (Argon2 on every login)."""

import time
import uuid

import httpx

from tests.support.identity import FIREFOX, PASSWORD, Person
from tests.support.processes import ServiceProcess

TIMEOUT = 60


def _post(url: str, body: dict[str, str], headers: dict[str, str] | None = None) -> httpx.Response:
    """As a client should: a 503 (the database did not answer) says retry after a moment."""
    for _ in range(3):
        answer = httpx.post(url, json=body, headers=headers, timeout=TIMEOUT)
        if answer.status_code != 503:
            break
        time.sleep(float(answer.headers.get("retry-after", "1")))
    return answer


def someone(auth: ServiceProcess) -> Person:
    email = f"ab.{uuid.uuid4().hex[:10]}@example.ch"
    user = _post(
        f"{auth.url}/v1/users",
        {
            "email": email,
            "password": PASSWORD,
            "name": "Anna Muster",
            "mobile": "+41 79 123 45 67",
            "locale": "en",
        },
    )
    assert user.status_code == 201, user.text
    tokens = login(auth, email)
    return Person(
        user_id=user.json()["id"],
        email=email,
        access_token=tokens["access_token"],
        refresh_token=tokens["refresh_token"],
        session_id=tokens["session_id"],
        device_id=tokens["device_id"],
    )


def login(auth: ServiceProcess, email: str) -> dict[str, str]:
    answer = _post(
        f"{auth.url}/v1/sessions",
        {"email": email, "password": PASSWORD},
        {"user-agent": FIREFOX},
    )
    assert answer.status_code == 201, answer.text
    tokens: dict[str, str] = answer.json()
    return tokens
