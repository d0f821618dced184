"""The command line of scripts/servers: parse it and run the command on the named
servers, in parallel."""

import sys
import threading
import time

from .common import Failure, report_failure, say
from .gobinaries import S3, Smtp
from .kafka import Kafka
from .mongo import Mongo
from .server import Server
from .sms import Sms

SERVERS = {cls.name: cls for cls in (Kafka, Mongo, S3, Smtp, Sms)}


def in_parallel(servers: list[Server], fn) -> bool:
    """Run fn(server) for every server in its own thread; True if none failed."""
    ok = {}

    def work(srv: Server) -> None:
        try:
            fn(srv)
            ok[srv.name] = True
        except Failure as exc:
            report_failure(srv.name, fn.__name__.replace("do_", ""), exc)
            ok[srv.name] = False
        except Exception as exc:  # report it, do not hang the others
            report_failure(
                srv.name, fn.__name__.replace("do_", ""), Failure(f"{type(exc).__name__}: {exc}")
            )
            ok[srv.name] = False

    threads = [threading.Thread(target=work, args=(s,), name=s.name, daemon=True) for s in servers]
    for t in threads:
        t.start()
    for t in threads:
        while t.is_alive():
            t.join(0.2)
    return all(ok.get(s.name, False) for s in servers)


def do_install(srv: Server) -> None:
    if srv.installed():
        say(f"{srv.name} already installed")
    else:
        srv.ensure_installed()


def do_start(srv: Server) -> None:
    srv.start()


def do_stop(srv: Server) -> None:
    srv.stop()


def do_kill(srv: Server) -> None:
    srv.kill()


def do_restart(srv: Server) -> None:
    srv.stop()
    srv.start()


USAGE = (
    "usage: scripts/servers install|start|stop|status|restart|kill [NAME...]   (NAME: "
    + ", ".join(SERVERS)
    + "; default: all)"
)


def main(argv: list[str], help_text: str) -> int:
    """Run scripts/servers with arguments `argv`; `help_text` is what --help prints."""
    if not argv or argv[0] in ("-h", "--help", "help"):
        print(help_text.strip() if argv else USAGE)
        return 0 if argv else 1
    command, names = argv[0], argv[1:] or list(SERVERS)
    unknown = [n for n in names if n not in SERVERS]
    if unknown:
        print(f"unknown server(s): {', '.join(unknown)}\n{USAGE}", file=sys.stderr)
        return 1
    servers = [SERVERS[n]() for n in dict.fromkeys(names)]
    actions = {
        "install": do_install,
        "start": do_start,
        "stop": do_stop,
        "kill": do_kill,
        "restart": do_restart,
    }
    if command == "status":
        results = [s.status() for s in servers]
        return 0 if all(results) else 1
    if command not in actions:
        print(f"unknown command: {command}\n{USAGE}", file=sys.stderr)
        return 1
    t0 = time.monotonic()
    ok = in_parallel(servers, actions[command])
    if command in ("start", "restart", "install") and len(servers) > 1:
        say(
            f"{command}: {'all ' + str(len(servers)) + ' ok' if ok else 'FAILED'} "
            f"({time.monotonic() - t0:.1f} s)"
        )
    return 0 if ok else 1
