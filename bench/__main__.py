"""`bench/run`: every benchmark figure of issues 3 and 9 against the running suite, as a table
and as JSON (bench/results/<name>.json unless --json names a file).

Rates "per core" divide by CPU seconds, not wall seconds: auth's own CPU time (psutil) for the
HTTP figures, the bench thread's CPU time for raw Argon2id and token verification. They stay
comparable on a busy machine; the wall-clock rates are in the JSON details."""

import argparse
import asyncio
import json
import os
import platform
import sys
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

from bench import auth_load, mail_latency, single_core
from bench.backlog import caught_up
from bench.processes import PeakRss, rss_mib
from bench.report import Figure, Goal, table
from bench.suite import ROOT, SERVICES, Suite, locate

HASH_RATIO_GOAL = Goal(">=", 0.9)
MAIL_P99_GOAL = Goal("<=", 250)
JWT_GOAL = Goal(">=", 10_000)
RSS_IDLE_GOAL = Goal("<=", 120)

SHARED = "Mongo, Kafka, notify and the bench client on the same host"


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="bench/run", description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="a few seconds in all (smoke test)")
    parser.add_argument("--name", default="latest", help="bench/results/<name>.json")
    parser.add_argument("--json", type=Path, help="write the JSON here instead")
    parser.add_argument("--auth", help="auth's URL (default: the scripts/up suite)")
    parser.add_argument(
        "--pid", action="append", default=[], metavar="SERVICE=PID", help="repeat per service"
    )
    parser.add_argument("--notify", help="notify's URL: wait for its Kafka backlog first")
    parser.add_argument("--mailpit", default="http://127.0.0.1:8025")
    parser.add_argument("--mail-from", help="count only mails from this sender (one notify)")
    parser.add_argument("--mail-domain", default="bench.example.ch", help="of the bench's users")
    parser.add_argument("--concurrency", type=int, help="clients in the login and refresh runs")
    parser.add_argument("--seconds", type=float, help="length of the login and refresh runs")
    parser.add_argument("--rate", type=float, default=50.0, help="logins/s of the mail run")
    parser.add_argument("--mail-logins", type=int, help="logins in the mail run")
    parser.add_argument(
        "--mail-wait", type=float, default=60.0, help="seconds to wait for the last mail"
    )
    parser.add_argument(
        "--catch-up",
        type=float,
        default=600.0,
        help="seconds the services may take to read their Kafka backlog",
    )
    args = parser.parse_args(argv)
    quick = args.quick
    args.concurrency = args.concurrency or (1 if quick else 8)
    args.seconds = args.seconds or (1.0 if quick else 20.0)
    args.mail_logins = args.mail_logins or (5 if quick else 300)
    args.single_seconds = 0.3 if quick else 5.0
    return args


def _pids(pairs: list[str]) -> dict[str, int]:
    pids = {}
    for pair in pairs:
        name, _, pid = pair.partition("=")
        if name not in SERVICES or not pid.isdigit():
            raise SystemExit(f"bench: --pid {pair!r}: expected <service>=<pid>")
        pids[name] = int(pid)
    return pids


async def _phase(
    figures: list[Figure], run: Callable[[], Awaitable[None]], step: str | None = None
) -> None:
    """A failing phase leaves its figures empty, with the error; the others still run."""
    print(f"bench: {step or figures[0].label} …", file=sys.stderr, end="", flush=True)
    started = time.perf_counter()
    try:
        await run()
    except Exception as exc:  # the report says what broke instead of losing every figure
        for figure in figures:
            figure.error = f"{type(exc).__name__}: {exc}"
    print(f" {time.perf_counter() - started:.1f} s", file=sys.stderr, flush=True)


async def bench(
    args: argparse.Namespace, suite: Suite
) -> tuple[list[Figure], dict[str, Any], dict[str, int]]:
    cores = os.cpu_count() or 1

    def on_auth(busy: dict[str, float] | None = None) -> str:
        if busy is None:
            return f"auth process (of {cores} cores); {SHARED}"
        others = [f"{name} {busy[name]:.2f}" for name in ("mongo", "kafka") if name in busy]
        share = "; ".join([f"{busy.get('auth', 0):.2f} of {cores} cores busy", *others])
        return f"auth process ({share}); {SHARED}"

    params = suite.argon2()
    one_core = "bench process, 1 thread (1 core)"
    hashes = Figure(
        "argon2_hashes_per_core_s",
        f"raw Argon2id hashes (m={params.memory_kib} KiB, t={params.time_cost}, "
        f"p={params.parallelism})",
        "/core·s",
        f"{one_core}, argon2-cffi, parameters of the running auth",
    )
    logins = Figure("password_logins_per_core_s", "password logins", "/core·s", on_auth())
    ratio = Figure(
        "login_hash_ratio", "logins / raw hashes", "", "the two figures above", goal=HASH_RATIO_GOAL
    )
    refresh = Figure("refresh_per_core_s", "refresh-token requests", "/core·s", on_auth())
    mail_used = f"auth → Kafka → notify → Mailpit, {args.rate:g} logins/s open loop, new devices"
    mail_median = Figure("login_mail_median_ms", "login → mail median", "ms", mail_used)
    mail_p99 = Figure("login_mail_p99_ms", "login → mail p99", "ms", mail_used, goal=MAIL_P99_GOAL)
    verifications = Figure(
        "jwt_verifications_per_core_s",
        "JWT verifications (JwksVerifier)",
        "/core·s",
        f"{one_core}, konto.common.jwt as orgs uses it, keys from auth's JWKS, the same "
        "token again (verified-token cache; first sight of a token in the JSON)",
        goal=JWT_GOAL,
    )
    idle = {
        name: Figure(
            f"rss_idle_mib_{name}", f"{name} memory idle", "MiB", "RSS", goal=RSS_IDLE_GOAL
        )
        for name in suite.pids
    }
    loaded = {
        name: Figure(
            f"rss_load_mib_{name}", f"{name} memory under load", "MiB", "peak RSS, login runs"
        )
        for name in suite.pids
    }
    # A suite just started (scripts/up) first works through what it missed; idle means after.
    backlog: dict[str, int] = {}

    async def catch_up() -> None:
        if suite.consumers:
            async with httpx.AsyncClient(timeout=10) as client:
                backlog.update(await caught_up(client, suite.consumers, args.catch_up))

    await _phase([mail_median, mail_p99], catch_up, "services reading their Kafka backlog")
    for name, mib in rss_mib(suite.pids).items():
        idle[name].value = round(mib, 1)

    async def raw_hashes() -> None:
        rate = await asyncio.to_thread(single_core.argon2_hashes, params, args.single_seconds)
        hashes.value, hashes.details = round(rate.per_core_s, 2), rate.details()

    await _phase([hashes], raw_hashes)

    peak = PeakRss(suite.pids)
    # No connection limit: the mail run is open loop, a pool would queue its logins.
    limits = httpx.Limits(max_connections=None, max_keepalive_connections=32)
    async with httpx.AsyncClient(timeout=60, limits=limits) as client:
        started = time.perf_counter()
        persons = await auth_load.people(client, suite, args.concurrency)
        print(
            f"bench: {len(persons)} people registered {time.perf_counter() - started:.1f} s",
            file=sys.stderr,
            flush=True,
        )
        peak.start()

        async def password_logins() -> None:
            run = await auth_load.password_logins(client, suite, persons, args.seconds)
            logins.value, logins.details = round(run.per_core_s, 2), run.details()
            logins.used = on_auth(run.cores_busy)
            if hashes.value and run.per_core_s:
                ratio.value = round(run.per_core_s / hashes.value, 3)
                per_login_ms = 1000 / run.per_core_s
                ratio.details = {
                    "auth_cpu_ms_per_login": round(per_login_ms, 2),
                    "argon2_cpu_ms_per_hash": round(1000 / hashes.value, 2),
                    "login_cpu_ms_beside_hash": round(per_login_ms - 1000 / hashes.value, 2),
                }

        async def refreshes() -> None:
            run = await auth_load.refreshes(client, suite, persons, args.seconds)
            refresh.value, refresh.details = round(run.per_core_s, 1), run.details()
            if run.per_core_s:
                refresh.details["auth_cpu_ms_per_refresh"] = round(1000 / run.per_core_s, 2)
            refresh.used = on_auth(run.cores_busy)

        async def latency() -> None:
            if mail_p99.error:
                return  # the mails would queue behind the backlog
            run = await mail_latency.measure(
                client,
                suite,
                logins=args.mail_logins,
                rate=args.rate,
                # Ten people share a full run's logins (several partitions, as in life).
                persons=max(1, min(10, args.mail_logins // 10)),
                wait_s=args.mail_wait,
            )
            details = run.details()
            if logins.value:
                # Above the host's cores, logins queue in auth and the latency only grows.
                details["auth_cores_needed_at_rate"] = round(args.rate / logins.value, 2)
            mail_median.value, mail_median.details = details["median_ms"], details
            mail_p99.value = details["p99_ms"]
            if run.missing_mails:
                mail_p99.note = (
                    f"{run.missing_mails} mails had not come {run.wait_s:g} s after the last"
                    " login answered; they count as that late, so the figures are lower bounds"
                )

        await _phase([logins, ratio], password_logins)
        await _phase([refresh], refreshes)
        await _phase([mail_median, mail_p99], latency)
        await peak.stop()
    for name, mib in peak.peak.items():
        loaded[name].value = round(mib, 1)

    token = persons[0].access_token

    async def verify() -> None:
        rate = await single_core.jwt_verifications(suite.auth_url, token, args.single_seconds)
        verifications.value = round(rate.per_core_s)
        ceiling = await single_core.ed25519_verifications(
            suite.auth_url, token, args.single_seconds
        )
        uncached = await single_core.jwt_verifications(
            suite.auth_url, token, args.single_seconds, remember=0
        )
        verifications.details = {
            **rate.details(),
            "first_sight_per_core_s": round(uncached.per_core_s),
            "ed25519_only_per_core_s": round(ceiling.per_core_s),
        }

    await _phase([verifications], verify)
    figures = [hashes, logins, ratio, refresh, mail_median, mail_p99, verifications]
    figures += [idle[name] for name in suite.pids] + [loaded[name] for name in suite.pids]
    machine = {
        "cpus": cores,
        "processor": platform.processor() or platform.machine(),
        "python": platform.python_version(),
        "argon2": {
            "memory_kib": params.memory_kib,
            "time_cost": params.time_cost,
            "parallelism": params.parallelism,
        },
    }
    return figures, machine, backlog


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    suite = locate(
        auth_url=args.auth,
        notify_url=args.notify,
        pids=_pids(args.pid),
        mailpit_url=args.mailpit,
        mail_from=args.mail_from,
        mail_domain=args.mail_domain,
    )
    started = datetime.now(UTC)
    load_before = os.getloadavg()
    figures, machine, backlog = asyncio.run(bench(args, suite))
    result = {
        "name": args.name,
        "quick": args.quick,
        "started_at": started.isoformat(),
        "finished_at": datetime.now(UTC).isoformat(),
        "suite": {"auth_url": suite.auth_url, "pids": suite.pids, "kafka_lag_at_start": backlog},
        "machine": {
            **machine,
            "load_average_before": [round(x, 2) for x in load_before],
            "load_average_after": [round(x, 2) for x in os.getloadavg()],
        },
        "figures": {figure.key: figure.as_json() for figure in figures},
    }
    path = args.json or ROOT / "bench" / "results" / f"{args.name}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    print(table(figures))
    print(f"\nload average before {load_before[0]:.2f}, after {os.getloadavg()[0]:.2f}; {path}")
    return 1 if any(figure.error for figure in figures) else 0


if __name__ == "__main__":
    sys.exit(main())
