"""The load profile's locustfile runs against the real services without Docker (issue 8,
X-6 Operable): a short headless run with 2 users makes requests on every journey it can and
none fails. locust comes from the `load` dependency group (`uv run --group load`)."""

import csv
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.support.processes import ROOT, ServiceProcess

pytestmark = pytest.mark.servers

LOCUSTFILE = ROOT / "loadtest" / "locustfile.py"


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="") as handle:
        return list(csv.DictReader(handle))


def test_locustfile_runs_headless_without_failures_X_6(
    auth: ServiceProcess, orgs: ServiceProcess, billing: ServiceProcess, tmp_path: Path
) -> None:
    uv = shutil.which("uv")
    if uv is None:
        pytest.skip("uv is not on PATH: it provides the load group (locust, pyotp)")
    env = {
        **os.environ,
        "KONTO_ORGS_URL": orgs.url,
        "KONTO_BILLING_URL": billing.url,
    }
    result = subprocess.run(
        [
            uv,
            "run",
            "--frozen",
            "--group",
            "load",
            "locust",
            "-f",
            str(LOCUSTFILE),
            "--headless",
            "--only-summary",
            "--host",
            auth.url,
            "--users",
            "2",
            "--spawn-rate",
            "2",
            "--run-time",
            "10s",
            "--stop-timeout",
            "5",
            "--csv",
            str(tmp_path / "konto"),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    output = f"{result.stdout}\n{result.stderr}"[-4000:]
    stats = _rows(tmp_path / "konto_stats.csv")
    failures = _rows(tmp_path / "konto_failures.csv")
    assert not failures, f"failed requests: {failures}\n{output}"
    assert result.returncode == 0, output
    by_name = {row["Name"]: row for row in stats}
    total = by_name.pop("Aggregated")
    assert int(total["Request Count"]) > 0
    assert int(total["Failure Count"]) == 0
    # Every simulated user registered and logged in first.
    assert int(by_name["/v1/users"]["Request Count"]) >= 2
    assert int(by_name["/v1/sessions"]["Request Count"]) >= 2
