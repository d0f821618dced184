"""Login → security-mail latency against the running local suite (`scripts/up`).

Registers one person, then logs in N times from N new devices at a fixed rate (open loop: a slow
answer does not delay the next login) and reads from Mailpit when each "new sign-in" mail
arrived. Latency = mail received by the SMTP server - login request sent. Prints median, p90,
p99 and max, and writes JSON beside it.

    uv run python bench/login_mail_latency.py --logins 200 --rate 10
"""

import argparse
import asyncio
import json
import statistics
import time
import uuid
from datetime import datetime
from pathlib import Path

import httpx

PASSWORD = "correct horse battery staple"


async def _login(client: httpx.AsyncClient, auth: str, email: str) -> float:
    sent = time.time()
    response = await client.post(
        f"{auth}/v1/sessions",
        json={"email": email, "password": PASSWORD},  # no device id: a new device each time
        headers={"user-agent": "KontoBench/1.0"},
    )
    response.raise_for_status()
    return sent


async def _mails(client: httpx.AsyncClient, mailpit: str, email: str) -> list[float]:
    response = await client.get(
        f"{mailpit}/api/v1/search", params={"query": f'to:"{email}"', "limit": 1000}
    )
    response.raise_for_status()
    created = [
        datetime.fromisoformat(m["Created"]).timestamp() for m in response.json()["messages"]
    ]
    return sorted(created)


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def main() -> tuple[dict[str, float], Path]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--auth", default="http://127.0.0.1:8001")
    parser.add_argument("--mailpit", default="http://127.0.0.1:8025")
    parser.add_argument("--logins", type=int, default=200)
    parser.add_argument("--rate", type=float, default=10.0, help="logins per second")
    parser.add_argument("--out", default="bench/results/login_mail_latency.json")
    args = parser.parse_args()

    email = f"bench.{uuid.uuid4().hex[:10]}@example.ch"
    async with httpx.AsyncClient(timeout=30) as client:
        registered = await client.post(
            f"{args.auth}/v1/users",
            json={
                "email": email,
                "password": PASSWORD,
                "name": "Bench",
                "mobile": "+41791234567",
                "locale": "en",
            },
        )
        registered.raise_for_status()
        started = time.monotonic()
        tasks = []
        for i in range(args.logins):
            await asyncio.sleep(max(0.0, started + i / args.rate - time.monotonic()))
            tasks.append(asyncio.create_task(_login(client, args.auth, email)))
        sent_at = sorted(await asyncio.gather(*tasks))
        deadline = time.monotonic() + 60
        mails: list[float] = []
        while time.monotonic() < deadline:
            mails = await _mails(client, args.mailpit, email)
            if len(mails) >= args.logins:
                break
            await asyncio.sleep(0.5)
    if len(mails) != args.logins:
        raise SystemExit(f"expected {args.logins} mails, got {len(mails)}")
    # One person's events share a partition and are handled in order, so the i-th mail
    # answers the i-th login.
    latencies_ms = [(mail - sent) * 1000 for sent, mail in zip(sent_at, mails, strict=True)]
    result = {
        "logins": args.logins,
        "rate_per_s": args.rate,
        "median_ms": round(statistics.median(latencies_ms), 1),
        "p90_ms": round(_percentile(latencies_ms, 0.90), 1),
        "p99_ms": round(_percentile(latencies_ms, 0.99), 1),
        "max_ms": round(max(latencies_ms), 1),
    }
    print(f"{'login → mail':<16}{'median':>10}{'p90':>10}{'p99':>10}{'max':>10}")
    print(
        f"{f'{args.logins} @ {args.rate:g}/s':<16}"
        f"{result['median_ms']:>8} ms{result['p90_ms']:>7} ms{result['p99_ms']:>7} ms"
        f"{result['max_ms']:>7} ms"
    )
    return result, Path(args.out)


if __name__ == "__main__":
    figures, path = asyncio.run(main())
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(figures, indent=2))
