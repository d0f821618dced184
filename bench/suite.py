"""Where the suite under test runs: service URLs and process ids, by default those of
`scripts/up` (started here when it is not up yet), or whatever the command line names."""

import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import psutil  # type: ignore[import-untyped]

from bench.processes import server_pids
from konto.auth.config import AuthSettings

ROOT = Path(__file__).resolve().parents[1]
SERVICES = ("auth", "orgs", "billing", "verification", "notify")
UP_PORTS = {"auth": 8001, "orgs": 8002, "billing": 8003, "verification": 8004, "notify": 8005}
UP_PIDS = ROOT / ".local" / "services"


@dataclass(frozen=True)
class Argon2Settings:
    memory_kib: int
    time_cost: int
    parallelism: int


@dataclass(frozen=True)
class Suite:
    auth_url: str
    # Services whose Kafka backlog must be read before the bench starts, by name.
    consumers: dict[str, str]
    mailpit_url: str
    pids: dict[str, int]
    # Notify's sender and the bench's address domain; only mails matching both are counted.
    mail_from: str | None
    mail_domain: str
    servers: dict[str, int] = field(default_factory=dict)  # Mongo, Kafka, Mailpit

    @property
    def watched(self) -> dict[str, int]:
        """Every process whose CPU a load run reports: the services and the servers."""
        return {**self.pids, **self.servers}

    @property
    def auth_pid(self) -> int:
        return self.pids["auth"]

    def argon2(self) -> Argon2Settings:
        """The parameters the running auth process hashes with: its own environment over the
        defaults of AuthSettings."""
        defaults = AuthSettings()
        try:
            env = psutil.Process(self.auth_pid).environ()
        except psutil.Error:
            env = {}

        def value(name: str, default: int) -> int:
            return int(env.get(f"KONTO_AUTH_ARGON2_{name.upper()}", default))

        return Argon2Settings(
            memory_kib=value("memory_kib", defaults.argon2_memory_kib),
            time_cost=value("time_cost", defaults.argon2_time_cost),
            parallelism=value("parallelism", defaults.argon2_parallelism),
        )


def _ready(url: str) -> bool:
    try:
        return httpx.get(f"{url}/readyz", timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


def _up_pids() -> dict[str, int]:
    pids = {}
    for name in SERVICES:
        path = UP_PIDS / f"{name}.pid"
        if path.exists():
            pids[name] = int(path.read_text().strip())
    return pids


def locate(
    *,
    auth_url: str | None,
    notify_url: str | None,
    pids: dict[str, int],
    mailpit_url: str,
    mail_from: str | None,
    mail_domain: str,
) -> Suite:
    """An explicit auth URL means a suite started elsewhere (its pids on the command line);
    otherwise the `scripts/up` suite, brought up first if any service is not ready."""
    if auth_url is None:
        urls = {name: f"http://127.0.0.1:{port}" for name, port in UP_PORTS.items()}
        if not all(_ready(url) for url in urls.values()):
            print("bench: the suite is not ready, running scripts/up", flush=True)
            subprocess.run([str(ROOT / "scripts" / "up")], cwd=ROOT, check=True)
        auth_url = urls["auth"]
        consumers = urls
        pids = {**_up_pids(), **pids}
    elif not _ready(auth_url):
        raise SystemExit(f"bench: auth at {auth_url} is not ready")
    else:
        consumers = {"notify": notify_url} if notify_url else {}
    missing = [name for name in SERVICES if name not in pids]
    if "auth" in missing:
        raise SystemExit("bench: auth's process id is unknown (--pid auth=PID)")
    if missing:
        print(f"bench: no process id for {', '.join(missing)}: their memory is not measured")
    return Suite(
        auth_url=auth_url.rstrip("/"),
        consumers={name: url.rstrip("/") for name, url in consumers.items()},
        mailpit_url=mailpit_url.rstrip("/"),
        pids=pids,
        mail_from=mail_from,
        mail_domain=mail_domain,
        servers=server_pids(ROOT),
    )
