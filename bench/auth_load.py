"""Closed-loop load on auth: `concurrency` clients, each as fast as auth answers, for a fixed
time; auth's CPU time over the same window turns the count into a rate per core."""

import asyncio
import time
import uuid
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import httpx

from bench.processes import Window, measured
from bench.suite import Suite

PASSWORD = "correct horse battery staple"
USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0 KontoBench"


@dataclass(frozen=True)
class Person:
    email: str
    device_id: str
    refresh_token: str
    access_token: str


# One request of a closed-loop client: None when it was answered as expected, else why not.
Call = Callable[[], Awaitable[str | None]]
# A failure after which the client cannot go on (its refresh-token chain is gone).
LOST = "lost:"


@dataclass(frozen=True)
class Throughput:
    done: int
    failed: dict[str, int]
    window: Window
    mean_ms: float  # answer time as the client saw it
    concurrency: int
    cores_busy: dict[str, float]  # every watched process: where the machine's CPU went

    @property
    def per_core_s(self) -> float:
        return self.done / self.window.cpu_s if self.window.cpu_s else 0.0

    @property
    def per_s(self) -> float:
        return self.done / self.window.wall_s if self.window.wall_s else 0.0

    def details(self) -> dict[str, Any]:
        return {
            "requests": self.done,
            "failed": self.failed,  # by status or exception
            "wall_s": round(self.window.wall_s, 2),
            "auth_cpu_s": round(self.window.cpu_s, 2),
            "auth_cores_busy": round(self.window.cores, 2),
            "per_wall_s": round(self.per_s, 1),
            "concurrency": self.concurrency,
            "mean_answer_ms": round(self.mean_ms, 1),
            "cores_busy": self.cores_busy,
        }


def new_email(suite: Suite, label: str) -> str:
    return f"bench.{label}.{uuid.uuid4().hex[:10]}@{suite.mail_domain}"


async def register(client: httpx.AsyncClient, suite: Suite, email: str) -> None:
    answer = await client.post(
        f"{suite.auth_url}/v1/users",
        json={
            "email": email,
            "password": PASSWORD,
            "name": "Bench Mark",
            "mobile": "+41791234567",
            "locale": "en",
        },
    )
    answer.raise_for_status()


async def login(
    client: httpx.AsyncClient, suite: Suite, email: str, device_id: str | None
) -> dict[str, Any]:
    answer = await client.post(
        f"{suite.auth_url}/v1/sessions",
        json={"email": email, "password": PASSWORD, "device_id": device_id},
        headers={"user-agent": USER_AGENT},
    )
    answer.raise_for_status()
    tokens: dict[str, Any] = answer.json()
    return tokens


async def people(client: httpx.AsyncClient, suite: Suite, count: int) -> list[Person]:
    """Registered and logged in once: later logins with their device id are no news (no
    security mail), so a throughput run does not flood Mailpit."""

    async def one() -> Person:
        email = new_email(suite, "load")
        await register(client, suite, email)
        tokens = await login(client, suite, email, None)
        return Person(email, tokens["device_id"], tokens["refresh_token"], tokens["access_token"])

    return list(await asyncio.gather(*(one() for _ in range(count))))


async def _outcome(request: Awaitable[httpx.Response], expected: int) -> httpx.Response | str:
    """The answer when it has the expected status, else why not (a status or an exception)."""
    try:
        answer = await request
    except httpx.HTTPError as exc:
        return type(exc).__name__
    return answer if answer.status_code == expected else str(answer.status_code)


async def closed_loop(pids: dict[str, int], workers: list[Call], seconds: float) -> Throughput:
    """Each worker call is one request; a worker whose call says LOST stops. Measures the CPU
    of every process in `pids`, auth's for the rate per core."""
    failures: Counter[str] = Counter()
    done, waited = 0, 0.0

    async def drive(call: Call, until: float) -> None:
        nonlocal done, waited
        while (sent := time.perf_counter()) < until:
            failure = await call()
            waited += time.perf_counter() - sent
            if failure is None:
                done += 1
                continue
            failures[failure] += 1
            if failure.startswith(LOST):
                return

    with measured(pids) as windows:
        until = time.perf_counter() + seconds
        await asyncio.gather(*(drive(call, until) for call in workers))
    mean_ms = 1000 * waited / max(1, done + failures.total())
    busy = {name: round(window.cores, 2) for name, window in windows.items()}
    return Throughput(done, dict(failures), windows["auth"], mean_ms, len(workers), busy)


async def password_logins(
    client: httpx.AsyncClient, suite: Suite, persons: list[Person], seconds: float
) -> Throughput:
    def worker(person: Person) -> Call:
        async def call() -> str | None:
            request = client.post(
                f"{suite.auth_url}/v1/sessions",
                json={"email": person.email, "password": PASSWORD, "device_id": person.device_id},
                headers={"user-agent": USER_AGENT},
            )
            answer = await _outcome(request, 201)
            return answer if isinstance(answer, str) else None

        return call

    return await closed_loop(suite.watched, [worker(p) for p in persons], seconds)


async def refreshes(
    client: httpx.AsyncClient, suite: Suite, persons: list[Person], seconds: float
) -> Throughput:
    def worker(person: Person) -> Call:
        token = person.refresh_token

        async def call() -> str | None:
            nonlocal token
            request = client.post(
                f"{suite.auth_url}/v1/sessions/refresh",
                json={"refresh_token": token},
                headers={"user-agent": USER_AGENT},
            )
            answer = await _outcome(request, 200)
            if answer == "401":  # rotated by a request whose answer was lost: chain broken
                return f"{LOST} 401"
            if isinstance(answer, str):
                return answer
            token = answer.json()["refresh_token"]
            return None

        return call

    return await closed_loop(suite.watched, [worker(p) for p in persons], seconds)
