"""The SMS gateway fake, scripts/sms_sink.py."""

import os
import sys

from .common import HOST, SCRIPTS, Failure, env_port, http_status
from .server import Server


class Sms(Server):
    name = "sms"
    timeout = 15.0
    script = SCRIPTS / "sms_sink.py"

    def ports(self) -> list[int]:
        return [env_port("KONTO_SMS_PORT", 8026)]

    def address(self) -> str:
        return f"http://{HOST}:{self.ports()[0]}"

    def installed(self) -> bool:
        return self.script.exists()

    def install(self) -> None:
        raise Failure(f"{self.script} is missing")

    def command(self) -> list[str]:
        return [
            sys.executable or "python3",
            str(self.script),
            "--host",
            HOST,
            "--port",
            str(self.ports()[0]),
        ]

    def env(self) -> dict:
        return dict(os.environ, PYTHONUNBUFFERED="1")

    def token(self) -> str:
        return str(self.script)

    def probe(self) -> bool:
        return http_status(f"http://{HOST}:{self.ports()[0]}/healthz") == 200
