"""X-1: a subscriber outside the suite installs only the event models. `konto.common.events`
imports nothing but pydantic and the stdlib, and the `konto-events` wheel (libs/events) ships
those same modules with pydantic as its only dependency."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HEAVY = {
    "fastapi", "faststream", "pymongo", "httpx", "aiokafka", "boto3", "opentelemetry",
    "prometheus_client", "jwt", "cryptography", "pydantic_settings", "starlette",
}  # fmt: skip

PROBE = """
import importlib.metadata, json, sys
import konto.events, konto.common.events
event = konto.events.parse_event(json.dumps({
    "type": "konto.auth.user.registered.v1", "source": "konto/auth", "subject": "u1",
    "data": {"user_id": "u1", "email": "a@example.ch", "name": "A", "mobile": "+41791234567",
             "locale": "en"}}))
print(json.dumps({
    "parsed": type(event).__name__, "email": event.data.email,
    "same": konto.events.KontoEvent is konto.common.events.KontoEvent,
    "modules": sorted({m.split(".")[0] for m in sys.modules}),
    "requires": importlib.metadata.requires("konto-events"),
}))
"""


def test_event_models_import_only_pydantic_and_the_stdlib_X_1() -> None:
    code = "import sys, json, konto.common.events; print(json.dumps(sorted(sys.modules)))"
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    top = {name.split(".")[0] for name in json.loads(done.stdout)}
    assert not top & HEAVY, f"konto.common.events pulls in {sorted(top & HEAVY)}"
    konto = {name for name in json.loads(done.stdout) if name.startswith("konto.")}
    assert konto <= {"konto.common"} | {n for n in konto if n.startswith("konto.common.events")}


def test_konto_events_wheel_needs_only_pydantic_X_1(tmp_path: Path) -> None:
    # sdist, then the wheel built from it: both ways of installing work.
    build = ["uv", "build", "--package", "konto-events", "--quiet", "-o", str(tmp_path / "dist")]
    subprocess.run(build, cwd=ROOT, check=True, timeout=120)
    wheel = next((tmp_path / "dist").glob("konto_events-*.whl"))
    venv = tmp_path / "venv"
    subprocess.run(["uv", "venv", "--quiet", "-p", "3.11", str(venv)], check=True, timeout=60)
    python = venv / "bin" / "python"
    install = ["uv", "pip", "install", "--quiet", "--python", str(python), str(wheel)]
    subprocess.run(install, check=True, timeout=120)

    done = subprocess.run(
        [str(python), "-c", PROBE], capture_output=True, text=True, timeout=60, cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
    probe = json.loads(done.stdout)
    assert probe["parsed"] == "UserRegisteredV1"
    assert probe["email"] == "a@example.ch"
    assert probe["same"]
    assert [r.split(">")[0] for r in probe["requires"]] == ["pydantic"]
    assert not set(probe["modules"]) & HEAVY
    listed = subprocess.run(
        ["uv", "pip", "list", "--python", str(python), "--format", "json"],
        capture_output=True, text=True, check=True, timeout=60,
    )  # fmt: skip
    installed = {p["name"] for p in json.loads(listed.stdout)}
    assert installed <= {
        "konto-events", "pydantic", "pydantic-core", "annotated-types", "typing-extensions",
        "typing-inspection",
    }  # fmt: skip
