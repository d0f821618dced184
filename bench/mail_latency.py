"""Login → "new sign-in" mail latency at a fixed rate (open loop: a slow answer does not delay
the next login), every login from a new device. Latency = the time Mailpit received the mail
minus the time the login request was sent (one clock: everything runs on this host).

Mails are read while the run goes on, because Mailpit keeps only its newest 500 messages.
Every notify process on the shared Kafka mails each new sign-in (other test sessions' too):
copies of one delivery share the id in their Message-ID, the first to arrive counts. One
person's events share a partition and are handled in order, so a person's i-th mail is taken to
answer their i-th login (exact while their logins commit in the order they were sent)."""

import asyncio
import statistics
import time
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import httpx

from bench.auth_load import login, new_email, register
from bench.suite import Suite

SUBJECT = "New sign-in to your Konto account"


@dataclass(frozen=True)
class Latency:
    logins: int
    rate_per_s: float
    persons: int
    latencies_ms: list[float]
    failed_logins: dict[str, int]  # by status or exception
    missing_mails: int
    wait_s: float

    def percentile(self, q: float) -> float:
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]

    @property
    def median_ms(self) -> float:
        return statistics.median(self.latencies_ms)

    def details(self) -> dict[str, Any]:
        return {
            "logins": self.logins,
            "rate_per_s": self.rate_per_s,
            "persons": self.persons,
            "failed_logins": self.failed_logins,
            "missing_mails": self.missing_mails,
            "wait_after_last_login_s": self.wait_s,
            "median_ms": round(self.median_ms, 1),
            "p90_ms": round(self.percentile(0.90), 1),
            "p99_ms": round(self.percentile(0.99), 1),
            "max_ms": round(max(self.latencies_ms), 1),
        }


def _delivery(message: dict[str, Any]) -> str:
    # make_msgid: "<time>.<pid>.<random>.<delivery id>@domain"; only the last part is the same
    # in every copy of one delivery.
    return str(message["MessageID"]).split(".", 3)[-1]


class MailWatch:
    """The first arrival of each delivery to the run's addresses, polled from Mailpit."""

    def __init__(self, client: httpx.AsyncClient, suite: Suite, tag: str) -> None:
        self.client = client
        self.suite = suite
        self.tag = tag
        self.first: dict[str, tuple[str, float]] = {}  # delivery -> (address, received)

    async def poll(self) -> None:
        query = f'to:"{self.tag}" subject:"{SUBJECT}"'
        if self.suite.mail_from:
            query += f' from:"{self.suite.mail_from}"'
        start = 0
        while True:
            answer = await self.client.get(
                f"{self.suite.mailpit_url}/api/v1/search",
                params={"query": query, "start": start, "limit": 500},
            )
            answer.raise_for_status()
            messages = answer.json()["messages"]
            for message in messages:
                received = datetime.fromisoformat(message["Created"]).timestamp()
                address = message["To"][0]["Address"].lower()
                key = _delivery(message)
                if key not in self.first or received < self.first[key][1]:
                    self.first[key] = (address, received)
            if len(messages) < 500:
                return
            start += len(messages)

    def per_address(self) -> dict[str, list[float]]:
        found: dict[str, list[float]] = {}
        for address, received in self.first.values():
            found.setdefault(address, []).append(received)
        return {address: sorted(times) for address, times in found.items()}


async def measure(
    client: httpx.AsyncClient,
    suite: Suite,
    *,
    logins: int,
    rate: float,
    persons: int,
    wait_s: float,
) -> Latency:
    tag = f"bench.mail{time.time_ns() % 10**9}"
    emails = [new_email(suite, tag.removeprefix("bench.")) for _ in range(persons)]
    await asyncio.gather(*(register(client, suite, email) for email in emails))
    watch = MailWatch(client, suite, tag)
    sent: dict[str, list[float]] = {email: [] for email in emails}
    failed: Counter[str] = Counter()

    async def one(email: str) -> None:
        at = time.time()
        try:
            await login(client, suite, email, None)  # no device id: a new device every time
        except httpx.HTTPStatusError as exc:
            failed[str(exc.response.status_code)] += 1
            return
        except httpx.HTTPError as exc:
            failed[type(exc).__name__] += 1
            return
        sent[email].append(at)

    started = time.monotonic()
    tasks = []
    next_poll = started
    for i in range(logins):
        await asyncio.sleep(max(0.0, started + i / rate - time.monotonic()))
        tasks.append(asyncio.create_task(one(emails[i % persons])))
        if time.monotonic() >= next_poll:
            tasks.append(asyncio.create_task(watch.poll()))
            next_poll = time.monotonic() + 1.0
    await asyncio.gather(*tasks)
    expected = sum(len(times) for times in sent.values())
    deadline = time.monotonic() + wait_s
    while time.monotonic() < deadline:
        await watch.poll()
        if len(watch.first) >= expected:
            break
        await asyncio.sleep(0.5)
    gave_up = time.time()
    received = watch.per_address()
    latencies, missing = [], 0
    for email, sends in sent.items():
        mails = received.get(email.lower(), [])
        ordered = sorted(sends)
        latencies += [(mail - at) * 1000 for at, mail in zip(ordered, mails, strict=False)]
        # A mail still missing took longer than the wait: counted as the wait, a lower bound.
        unanswered = ordered[len(mails) :]
        missing += len(unanswered)
        latencies += [(gave_up - at) * 1000 for at in unanswered]
    if not latencies:
        raise RuntimeError("no login succeeded")
    return Latency(logins, rate, persons, latencies, dict(failed), missing, wait_s)
