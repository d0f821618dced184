"""Whether the services have read what Kafka holds for them. A suite started after a while
(scripts/up's consumer groups resume where they stopped) first works through the backlog:
until then it is neither idle nor free for the bench."""

import asyncio
import time

import httpx

# On the shared Kafka other runs keep publishing, so a consumer that keeps up is rarely at 0.
CAUGHT_UP_LAG = 20


async def consumer_lag(client: httpx.AsyncClient, url: str) -> int:
    """Unread messages over every consumer of the service (its konto_kafka_consumer_lag)."""
    answer = await client.get(f"{url}/metrics")
    answer.raise_for_status()
    lag = 0.0
    for line in answer.text.splitlines():
        if line.startswith("konto_kafka_consumer_lag{"):
            lag += max(0.0, float(line.rsplit(" ", 1)[1]))
    return int(lag)


async def caught_up(
    client: httpx.AsyncClient, urls: dict[str, str], wait_s: float
) -> dict[str, int]:
    """Waits until every service is (nearly) through its backlog; returns the lags it found."""

    async def lags() -> dict[str, int]:
        return {name: await consumer_lag(client, url) for name, url in urls.items()}

    first = current = await lags()
    deadline = time.monotonic() + wait_s
    while behind := {name: lag for name, lag in current.items() if lag > CAUGHT_UP_LAG}:
        if time.monotonic() > deadline:
            listed = ", ".join(f"{name} {lag}" for name, lag in behind.items())
            raise RuntimeError(f"unread Kafka messages after {wait_s:g} s: {listed}")
        await asyncio.sleep(1.0)
        current = await lags()
    return first
