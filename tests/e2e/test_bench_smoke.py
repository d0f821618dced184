"""`bench/run --quick` against this session's service processes (issues 3 and 9): it runs to the
end and its JSON holds every figure with a value. The goals are not judged here: speed on a
shared test machine is not a test.

Notify is one of this module's own (`start_own_notify`: own sender, only its own address
domain): the session's notify mails every sign-in on the shared Kafka, so under other runs'
load its queue, not this bench, would decide whether the mails arrive in time."""

import json
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.own_notify import OwnNotify, start_own_notify
from tests.support.processes import ROOT, ServiceProcess

pytestmark = pytest.mark.servers

FIGURES = [
    "argon2_hashes_per_core_s",
    "password_logins_per_core_s",
    "login_hash_ratio",
    "refresh_per_core_s",
    "login_mail_median_ms",
    "login_mail_p99_ms",
    "jwt_verifications_per_core_s",
]
SERVICES = ["auth", "orgs", "billing", "verification", "notify"]


@pytest.fixture(scope="module")
def bench_notify(auth: ServiceProcess, run_id: str) -> Iterator[OwnNotify]:
    own = start_own_notify(auth, run_id, "bench")
    yield own
    own.process.stop()


def test_bench_quick_writes_every_figure(
    auth: ServiceProcess,
    orgs: ServiceProcess,
    billing: ServiceProcess,
    verification: ServiceProcess,
    bench_notify: OwnNotify,
    tmp_path: Path,
) -> None:
    if shutil.which("uv") is None:
        pytest.skip("uv is not on PATH: it provides the load group (psutil)")
    processes = [auth, orgs, billing, verification, bench_notify.process]
    out = tmp_path / "bench.json"
    command = [
        str(ROOT / "bench" / "run"),
        "--quick",
        "--json",
        str(out),
        "--auth",
        auth.url,
        *(f"--pid={p.name}={p.process.pid}" for p in processes),
        "--mail-from",
        bench_notify.sender,
        "--mail-domain",
        bench_notify.domain,
        "--mail-wait",
        "20",
    ]
    with subprocess.Popen(
        command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    ) as bench:
        try:
            # A guard against a hang, not a speed limit: --quick takes 15-50 s (busy machine).
            output, _ = bench.communicate(timeout=120)
        except subprocess.TimeoutExpired:
            bench.kill()
            output, _ = bench.communicate()
            pytest.fail(f"bench/run --quick hung:\n{output[-4000:]}")
    assert bench.returncode == 0, output[-4000:]
    figures = json.loads(out.read_text())["figures"]
    memory = [f"rss_{state}_mib_{name}" for state in ("idle", "load") for name in SERVICES]
    expected = FIGURES + memory
    assert sorted(figures) == sorted(expected), output
    for key in expected:
        figure = figures[key]
        assert figure["error"] is None, (key, figure["error"])
        assert isinstance(figure["value"], int | float), (key, figure)
        assert figure["value"] > 0, (key, figure)
        assert figure["used"], key
    assert "login → mail p99" in output  # the table, printed for people
