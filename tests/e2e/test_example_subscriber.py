"""X-1: a subscriber outside the suite consumes Konto's events. examples/subscriber runs in a
virtual environment holding only the `konto-events` wheel (pydantic) and aiokafka, against the
real Kafka; registering a person on the real auth makes it print a typed UserRegisteredV1."""

import queue
import subprocess
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.identity import new_person
from tests.support.processes import ServiceProcess
from tests.support.servers import KAFKA

pytestmark = pytest.mark.servers

ROOT = Path(__file__).resolve().parents[2]
SUBSCRIBER = ROOT / "examples" / "subscriber" / "subscriber.py"


@pytest.fixture(scope="module")
def subscriber_python(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv with what a subscriber in another repository would install."""
    where = tmp_path_factory.mktemp("subscriber")
    build = ["uv", "build", "--package", "konto-events", "--wheel", "--quiet", "-o", str(where)]
    subprocess.run(build, cwd=ROOT, check=True, timeout=120)
    wheel = next(where.glob("konto_events-*.whl"))
    subprocess.run(["uv", "venv", "--quiet", "-p", "3.11", str(where / "venv")], check=True)
    python = where / "venv" / "bin" / "python"
    install = ["uv", "pip", "install", "--quiet", "--python", str(python), str(wheel), "aiokafka"]
    subprocess.run(install, check=True, timeout=180)
    return python


@pytest.fixture
def subscriber(subscriber_python: Path) -> Iterator[tuple[subprocess.Popen[str], queue.Queue[str]]]:
    process = subprocess.Popen(
        [
            str(subscriber_python), str(SUBSCRIBER), "--bootstrap", KAFKA,
            "--group", f"example-{uuid.uuid4().hex[:8]}", "--max-events", "200", "--timeout", "60",
        ],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=SUBSCRIBER.parent,
    )  # fmt: skip
    lines: queue.Queue[str] = queue.Queue()
    assert process.stdout is not None
    stdout = process.stdout
    threading.Thread(target=lambda: [lines.put(line) for line in stdout], daemon=True).start()
    yield process, lines
    process.terminate()
    process.wait(timeout=10)


def _wait_for(lines: "queue.Queue[str]", text: str, timeout: float) -> list[str]:
    seen: list[str] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            line = lines.get(timeout=max(0.1, deadline - time.monotonic()))
        except queue.Empty:
            break
        seen.append(line.rstrip())
        if text in line:
            return seen
    raise AssertionError(f"no line with {text!r} within {timeout} s; got:\n" + "\n".join(seen))


def test_example_subscriber_prints_typed_auth_events_X_1(
    auth: ServiceProcess, subscriber: tuple["subprocess.Popen[str]", "queue.Queue[str]"]
) -> None:
    process, lines = subscriber
    _wait_for(lines, "listening on konto.auth.events", timeout=30)
    person = new_person(auth)  # registers (UserRegisteredV1), then logs in
    seen = _wait_for(lines, person.email, timeout=30)
    assert f"UserRegisteredV1 user={person.user_id} email={person.email}" in seen
    assert process.poll() is None  # still consuming: bounded by --max-events / --timeout


def test_example_subscriber_stops_on_its_own_after_timeout_X_1(
    servers: None, subscriber_python: Path
) -> None:
    started = time.monotonic()
    done = subprocess.run(
        [str(subscriber_python), str(SUBSCRIBER), "--bootstrap", KAFKA, "--timeout", "2"],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert time.monotonic() - started < 30
