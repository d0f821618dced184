"""Start Konto services as real processes (`python -m konto.<svc>`) for e2e tests."""

import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

from tests.support.servers import KAFKA, MONGO_URL

ROOT = Path(__file__).resolve().parents[2]
LOG_DIR = ROOT / ".local" / "test-logs"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class ServiceProcess:
    name: str
    url: str
    log: Path
    process: subprocess.Popen[bytes]

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def log_tail(self, lines: int = 40) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])


def start_service(
    name: str,
    run_id: str,
    *,
    extra_env: dict[str, str] | None = None,
    timeout: float = 60.0,
    wait_ready: bool = True,
    port: int | None = None,
) -> ServiceProcess:
    """Each test run gets its own databases and consumer groups, so runs never see each other.
    `port` brings a restarted service back at the address its callers already know."""
    port = port or free_port()
    prefix = f"KONTO_{name.upper()}_"
    env = {
        **os.environ,
        f"{prefix}ENVIRONMENT": "test",
        f"{prefix}HTTP_HOST": "127.0.0.1",
        f"{prefix}HTTP_PORT": str(port),
        f"{prefix}MONGO_URL": MONGO_URL,
        f"{prefix}MONGO_DB": f"t{run_id}_{name}",
        f"{prefix}KAFKA_BOOTSTRAP": KAFKA,
        f"{prefix}KAFKA_GROUP_PREFIX": f"t{run_id}.",
        # A test's own consumer groups start at the end of the shared topics: earlier runs'
        # events are not theirs, and replaying them all would make every run slower.
        f"{prefix}KAFKA_OFFSET_RESET": "latest",
        f"{prefix}OUTBOX_RELAY_INTERVAL_SECONDS": "0.5",
        **(extra_env or {}),
    }
    LOG_DIR.mkdir(parents=True, exist_ok=True)
    log = LOG_DIR / f"{name}-{run_id}.log"
    with log.open("ab") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", f"konto.{name}"], env=env, stdout=out, stderr=subprocess.STDOUT
        )
    service = ServiceProcess(name, f"http://127.0.0.1:{port}", log, process)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{name} exited with {process.returncode}:\n{service.log_tail()}")
        try:
            answer = httpx.get(
                f"{service.url}/readyz" if wait_ready else f"{service.url}/healthz", timeout=2
            )
            if answer.status_code == 200:
                return service
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    service.stop()
    raise RuntimeError(f"{name} not ready after {timeout:.0f} s; log {log}:\n{service.log_tail()}")
