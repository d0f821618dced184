"""SecantusDB (MongoDB wire protocol), installed into its own venv with uv."""

import os
import shutil
import socket
import struct

from .common import CACHE, HOST, env_flag, env_port, need_tool, recv_exact, run_logged
from .server import Server

SECANTUS_SPEC = "SecantusDB==0.7.0b3"


class Mongo(Server):
    name = "mongo"
    timeout = 60.0
    what = f"{SECANTUS_SPEC} from PyPI"

    venv = CACHE / "secantus-venv"
    marker = venv / "konto-installed.txt"

    def ports(self) -> list[int]:
        return [env_port("KONTO_MONGO_PORT", 27017)]

    def address(self) -> str:
        return f"{HOST}:{self.ports()[0]} (mongodb://{HOST}:{self.ports()[0]}/)"

    def installed(self) -> bool:
        try:
            return (
                self.marker.read_text().strip() == SECANTUS_SPEC
                and (self.venv / "bin" / "secantusd-py").exists()
            )
        except OSError:
            return False

    def install(self) -> None:
        uv = need_tool("uv", "to install SecantusDB")
        shutil.rmtree(self.venv, ignore_errors=True)
        env = dict(os.environ)
        env.pop("VIRTUAL_ENV", None)
        run_logged(
            [uv, "venv", "-q", "-p", "3.11", str(self.venv)],
            self.install_log,
            env=env,
            what="uv venv",
        )
        run_logged(
            [uv, "pip", "install", "-p", str(self.venv / "bin" / "python"), SECANTUS_SPEC],
            self.install_log,
            env=env,
            what="uv pip install",
        )
        self.marker.write_text(SECANTUS_SPEC + "\n")

    def prepare(self, log) -> None:
        # An explicit (empty) config file turns off the auto-discovery of
        # ./secantusd.toml, ~/.secantus/secantusd.toml and /etc/secantus/.
        conf = self.dir / "secantusd.toml"
        if not conf.exists():
            conf.write_text("# SecantusDB settings for the local dev server; flags win.\n")

    def command(self) -> list[str]:
        return [
            str(self.venv / "bin" / "secantusd-py"),
            "--config",
            str(self.dir / "secantusd.toml"),
            "--host",
            HOST,
            "--port",
            str(self.ports()[0]),
            "--storage-path",
            str(self.data),
            "--enable-test-commands",
            "--log-level",
            "INFO",
            # Without it the last few acknowledged commits are lost when the process is
            # SIGKILLed (measured with 0.7.0b3): fault tests that kill it turn it on.
            *(["--sync-on-commit"] if env_flag("KONTO_MONGO_SYNC_ON_COMMIT") else []),
        ]

    def env(self) -> dict:
        env = dict(os.environ, PYTHONUNBUFFERED="1")
        env.pop("VIRTUAL_ENV", None)
        return env

    def probe(self) -> bool:
        """OP_MSG {ping: 1, $db: "admin"} over the wire; ready when the reply has ok: 1."""

        def cstr(s: str) -> bytes:
            return s.encode() + b"\0"

        elems = b"\x10" + cstr("ping") + struct.pack("<i", 1)
        elems += b"\x02" + cstr("$db") + struct.pack("<i", len("admin") + 1) + cstr("admin")
        doc = struct.pack("<i", 4 + len(elems) + 1) + elems + b"\0"
        payload = struct.pack("<I", 0) + b"\0" + doc
        msg = struct.pack("<iiii", 16 + len(payload), 7, 0, 2013) + payload
        try:
            with socket.create_connection((HOST, self.ports()[0]), timeout=2) as s:
                s.settimeout(3)
                s.sendall(msg)
                length, _rid, _to, opcode = struct.unpack("<iiii", recv_exact(s, 16))
                reply = recv_exact(s, length - 16)
        except (OSError, struct.error):
            return False
        if opcode != 2013:
            return False
        return (
            b"\x01ok\x00" + struct.pack("<d", 1.0) in reply
            or b"\x10ok\x00" + struct.pack("<i", 1) in reply
        )
