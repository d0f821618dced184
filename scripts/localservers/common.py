"""Shared pieces of scripts/servers: paths and settings from the environment, console
output, failures, file locks, running tools, and process, port and HTTP helpers."""

import contextlib
import fcntl
import http.client
import os
import shutil
import socket
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from pathlib import Path

HOST = "127.0.0.1"
SCRIPTS = Path(__file__).resolve().parent.parent
REPO = SCRIPTS.parent
CACHE = Path(os.environ.get("KONTO_CACHE_DIR") or Path.home() / ".cache" / "konto")
CACHE = CACHE.expanduser().resolve()
SERVERS_DIR = Path(os.environ.get("KONTO_SERVERS_DIR") or REPO / ".local" / "servers")
SERVERS_DIR = SERVERS_DIR.expanduser().resolve()
FRESH = os.environ.get("KONTO_SERVERS_FRESH", "") not in ("", "0", "false", "no")

_print_lock = threading.Lock()


def say(msg: str = "") -> None:
    with _print_lock:
        print(msg, flush=True)


def env_flag(var: str) -> bool:
    return os.environ.get(var, "") not in ("", "0", "false", "no")


def env_port(var: str, default: int) -> int:
    value = os.environ.get(var)
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        sys.exit(f"{var}={value!r} is not a port number")


class Failure(Exception):
    """A server could not be installed or started; `log` is where to look."""

    def __init__(self, reason: str, log: Path | None = None):
        super().__init__(reason)
        self.reason = reason
        self.log = log


def tail(path: Path | None, lines: int = 20) -> str:
    if path is None or not path.exists():
        return ""
    try:
        with open(path, "rb") as f:
            f.seek(0, os.SEEK_END)
            size = f.tell()
            f.seek(max(0, size - 64 * 1024))
            data = f.read().decode("utf-8", "replace")
    except OSError:
        return ""
    return "\n".join(data.splitlines()[-lines:])


def report_failure(name: str, what: str, err: Failure) -> None:
    text = f"{name} failed to {what}: {err.reason}; log: {err.log if err.log else '-'}"
    t = tail(err.log)
    if t:
        text += f"\n----- last lines of {err.log} -----\n{t}\n-----"
    say(text)


@contextlib.contextmanager
def file_lock(path: Path):
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


def need_tool(tool: str, why: str) -> str:
    path = shutil.which(tool)
    if not path:
        raise Failure(f"'{tool}' not found on PATH (needed {why})")
    return path


def run_logged(
    cmd: list[str], log: Path, *, cwd: Path | None = None, env: dict | None = None, what: str = ""
) -> None:
    """Run a command with its output appended to `log`; raise Failure if it fails."""
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "ab") as out:
        out.write(f"\n$ {' '.join(cmd)}\n".encode())
        out.flush()
        try:
            rc = subprocess.call(
                cmd,
                cwd=cwd,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
            )
        except OSError as exc:
            raise Failure(f"could not run {cmd[0]}: {exc}", log) from exc
    if rc != 0:
        raise Failure(f"{what or cmd[0]} exited with status {rc}", log)


# ---------------------------------------------------------------------------
# Process, port and HTTP helpers (Linux /proc)
# ---------------------------------------------------------------------------


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        state = stat.rsplit(")", 1)[1].split()[0]
        return state not in ("Z", "X")
    except (OSError, IndexError):
        return True


def pid_cmdline(pid: int) -> str:
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
        return raw.replace(b"\0", b" ").decode("utf-8", "replace").strip()
    except OSError:
        return ""


def listener_pids(port: int) -> list[int]:
    """Pids of processes that listen on TCP `port` (best effort, needs /proc)."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            rows = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for row in rows:
            cols = row.split()
            if len(cols) > 9 and cols[3] == "0A" and int(cols[1].rsplit(":", 1)[1], 16) == port:
                inodes.add(cols[9])
    if not inodes:
        return []
    wanted = {f"socket:[{i}]" for i in inodes}
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            for fd in (entry / "fd").iterdir():
                try:
                    if os.readlink(fd) in wanted:
                        pids.append(int(entry.name))
                        break
                except OSError:
                    continue
        except OSError:
            continue
    return pids


def port_open(port: int, host: str = HOST, timeout: float = 0.5) -> bool:
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def recv_exact(sock: socket.socket, n: int) -> bytes:
    buf = b""
    while len(buf) < n:
        chunk = sock.recv(n - len(buf))
        if not chunk:
            raise ConnectionError("connection closed")
        buf += chunk
    return buf


_no_proxy_opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def http_status(url: str, timeout: float = 2.0) -> int | None:
    """HTTP status code of GET url (any status counts), None if nothing answers HTTP."""
    try:
        with _no_proxy_opener.open(url, timeout=timeout) as resp:
            return resp.status
    except urllib.error.HTTPError as exc:
        return exc.code
    except (OSError, http.client.HTTPException):
        return None
