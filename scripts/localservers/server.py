"""The `Server` base class: install, start, wait until ready, stop, kill and status
of one local server process; subclasses say how to install, run and probe it."""

import os
import shutil
import signal
import subprocess
import time

from .common import (
    CACHE,
    FRESH,
    HOST,
    SERVERS_DIR,
    Failure,
    file_lock,
    listener_pids,
    pid_alive,
    pid_cmdline,
    port_open,
    say,
)

STOP_TIMEOUT = 20.0


class Server:
    name = ""
    timeout = 60.0
    what = ""  # shown while installing

    def __init__(self) -> None:
        self.dir = SERVERS_DIR / self.name
        self.data = self.dir / "data"
        self.log = self.dir / f"{self.name}.log"
        self.install_log = self.dir / "install.log"
        self.pidfile = self.dir / "pid"

    # --- to override -----------------------------------------------------
    def ports(self) -> list[int]:
        raise NotImplementedError

    def installed(self) -> bool:
        return True

    def install(self) -> None:
        pass

    def prepare(self, log) -> None:
        pass

    def command(self) -> list[str]:
        raise NotImplementedError

    def env(self) -> dict:
        return dict(os.environ)

    def token(self) -> str:
        """A string that must appear in the command line of our process."""
        return str(self.data)

    def probe(self) -> bool:
        raise NotImplementedError

    def address(self) -> str:
        return f"{HOST}:{self.ports()[0]}"

    # --- pid handling ----------------------------------------------------
    def read_pid(self) -> int | None:
        try:
            return int(self.pidfile.read_text().strip())
        except (OSError, ValueError):
            return None

    def ours(self, pid: int) -> bool:
        return pid_alive(pid) and self.token() in pid_cmdline(pid)

    def running_pid(self) -> int | None:
        """Pid of our running server process, from the pid file or, failing that, the port."""
        pid = self.read_pid()
        if pid is not None and self.ours(pid):
            return pid
        if pid is not None:
            self.pidfile.unlink(missing_ok=True)  # stale
        for port in self.ports()[:1]:
            for p in listener_pids(port):
                if self.ours(p):
                    self.pidfile.write_text(f"{p}\n")
                    return p
        return None

    # --- install -----------------------------------------------------------
    def ensure_installed(self) -> None:
        if self.installed():
            return
        with file_lock(CACHE / ".locks" / f"{self.name}.lock"):
            if self.installed():
                return
            self.dir.mkdir(parents=True, exist_ok=True)
            self.install_log.write_text("")
            say(f"installing {self.name} ({self.what})...")
            t0 = time.monotonic()
            self.install()
            if not self.installed():
                raise Failure("install finished but the result is incomplete", self.install_log)
            say(f"{self.name} installed in {time.monotonic() - t0:.1f} s")

    # --- start -------------------------------------------------------------
    def start(self) -> None:
        # One `start` per server at a time (a second one waits, then finds it running).
        self.dir.mkdir(parents=True, exist_ok=True)
        with file_lock(self.dir / ".start.lock"):
            self._start()

    def _start(self) -> None:
        t0 = time.monotonic()
        pid = self.running_pid()
        if pid is not None and FRESH:
            say(f"{self.name}: KONTO_SERVERS_FRESH=1, stopping it to wipe its data")
            self.stop()
            pid = None
        if pid is not None:
            if self.probe():
                say(f"{self.name} already running on {self.address()} (pid {pid})")
                return
            say(f"{self.name} is running (pid {pid}) but not ready yet, waiting...")
            self.wait_ready(None, pid, t0)
            return

        self.ensure_installed()
        if FRESH and self.data.exists():
            shutil.rmtree(self.data)
        self.data.mkdir(parents=True, exist_ok=True)

        if self.log.exists():
            self.log.replace(self.log.with_name(self.log.name + ".1"))
        for port in self.ports():
            if port_open(port):
                who = ", ".join(f"pid {p}: {pid_cmdline(p)[:100]}" for p in listener_pids(port))
                reason = f"port {HOST}:{port} is already in use by another process"
                if who:
                    reason += f" ({who})"
                self.log.write_text(f"not started: {reason}\n")
                raise Failure(reason, self.log)

        with open(self.log, "ab") as log:
            self.prepare(log)
            cmd = self.command()
            log.write(f"$ {' '.join(cmd)}\n".encode())
            log.flush()
            try:
                proc = subprocess.Popen(
                    cmd,
                    cwd=self.dir,
                    env=self.env(),
                    stdin=subprocess.DEVNULL,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            except OSError as exc:
                raise Failure(f"could not run {cmd[0]}: {exc}", self.log) from exc
        self.pidfile.write_text(f"{proc.pid}\n")
        say(f"starting {self.name} (pid {proc.pid})...")
        try:
            self.wait_ready(proc, proc.pid, t0)
        except Failure:
            if proc.poll() is None:
                self.signal_and_wait(proc.pid, signal.SIGKILL, 5)
            self.pidfile.unlink(missing_ok=True)
            raise

    def wait_ready(self, proc: subprocess.Popen | None, pid: int, t0: float) -> None:
        deadline = time.monotonic() + self.timeout
        while True:
            if proc is not None:
                rc = proc.poll()
                if rc is not None:
                    raise Failure(f"process exited with status {rc} before it was ready", self.log)
            elif not pid_alive(pid):
                raise Failure("process exited before it was ready", self.log)
            try:
                ready = self.probe()
            except Exception:  # a half-started server may answer garbage
                ready = False
            if ready:
                break
            if time.monotonic() > deadline:
                raise Failure(f"not ready after {self.timeout:.0f} s", self.log)
            time.sleep(0.25)
        say(f"{self.name} ready on {self.address()} ({time.monotonic() - t0:.1f} s)")

    # --- stop ----------------------------------------------------------------
    @staticmethod
    def signal_and_wait(pid: int, sig: int, timeout: float) -> bool:
        try:
            if os.getpgid(pid) == pid:
                os.killpg(pid, sig)
            else:
                os.kill(pid, sig)
        except ProcessLookupError:
            return True
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not pid_alive(pid):
                return True
            time.sleep(0.1)
        return not pid_alive(pid)

    def stop(self) -> None:
        pid = self.running_pid()
        if pid is None:
            self.pidfile.unlink(missing_ok=True)
            say(f"{self.name} not running")
            return
        t0 = time.monotonic()
        if self.signal_and_wait(pid, signal.SIGTERM, STOP_TIMEOUT):
            say(f"{self.name} stopped (pid {pid}, {time.monotonic() - t0:.1f} s)")
        else:
            self.signal_and_wait(pid, signal.SIGKILL, 5)
            say(f"{self.name} did not stop within {STOP_TIMEOUT:.0f} s, killed (pid {pid})")
        self.pidfile.unlink(missing_ok=True)

    def kill(self) -> None:
        pid = self.running_pid()
        if pid is None:
            self.pidfile.unlink(missing_ok=True)
            say(f"{self.name} not running")
            return
        self.signal_and_wait(pid, signal.SIGKILL, 5)
        self.pidfile.unlink(missing_ok=True)
        say(f"{self.name} killed (pid {pid})")

    def status(self) -> bool:
        pid = self.running_pid()
        ports = ",".join(str(p) for p in self.ports())
        if pid is None:
            state, ready = "stopped", False
        else:
            try:
                ready = self.probe()
            except Exception:
                ready = False
            state = "running, ready" if ready else "running, NOT ready"
        inst = "" if self.installed() else "  (not installed)"
        pid_text = str(pid or "-")
        say(
            f"{self.name:<6} {state:<19} pid {pid_text:<8} {HOST}:{ports:<11} log: {self.log}{inst}"
        )
        return ready
