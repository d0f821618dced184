"""What the service processes spend: CPU seconds over a window, resident memory over time."""

import asyncio
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

import psutil  # type: ignore[import-untyped]

MIB = 1024 * 1024


def cpu_seconds(pid: int) -> float:
    """User + system time of every thread of the process so far."""
    times = psutil.Process(pid).cpu_times()
    return float(times.user + times.system)


@dataclass
class Window:
    """CPU seconds a process used and the wall seconds that passed, between enter and exit."""

    cpu_s: float = 0.0
    wall_s: float = 0.0

    @property
    def cores(self) -> float:
        """How many cores the process kept busy on average."""
        return self.cpu_s / self.wall_s if self.wall_s else 0.0


@contextmanager
def measured(pids: dict[str, int]) -> Iterator[dict[str, Window]]:
    """A window per process that answered at the start."""
    cpu0 = {}
    for name, pid in pids.items():
        with suppress(psutil.Error):
            cpu0[name] = cpu_seconds(pid)
    windows = {name: Window() for name in cpu0}
    wall0 = time.perf_counter()
    try:
        yield windows
    finally:
        wall = time.perf_counter() - wall0
        for name, window in windows.items():
            with suppress(psutil.Error):
                window.cpu_s, window.wall_s = cpu_seconds(pids[name]) - cpu0[name], wall


def server_pids(root: Path) -> dict[str, int]:
    """The local servers the services lean on (scripts/servers writes their pids)."""
    found = {}
    for name in ("mongo", "kafka", "smtp"):
        path = root / ".local" / "servers" / name / "pid"
        with suppress(OSError, ValueError):
            found[name] = int(path.read_text().strip())
    return found


def rss_mib(pids: dict[str, int]) -> dict[str, float]:
    found = {}
    for name, pid in pids.items():
        try:
            found[name] = psutil.Process(pid).memory_info().rss / MIB
        except psutil.Error:
            continue  # gone: the figure is missing rather than wrong
    return found


@dataclass
class PeakRss:
    """The highest resident memory of each process, sampled while a load runs."""

    pids: dict[str, int]
    interval_s: float = 0.2
    peak: dict[str, float] = field(default_factory=dict)
    _task: "asyncio.Task[None] | None" = None

    def sample(self) -> None:
        for name, mib in rss_mib(self.pids).items():
            self.peak[name] = max(mib, self.peak.get(name, 0.0))

    async def _run(self) -> None:
        while True:
            self.sample()
            await asyncio.sleep(self.interval_s)

    def start(self) -> None:
        self._task = asyncio.create_task(self._run())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
        self.sample()
