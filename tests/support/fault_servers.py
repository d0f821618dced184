"""A private Kafka and MongoDB-wire server for fault tests, run by `scripts/servers` on free
ports with their own data directory: the tests kill and restart them, which they must never do
to the shared servers other sessions use."""

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

from tests.support.processes import ROOT, free_port

SERVERS = ROOT / "scripts" / "servers"


@dataclass
class PrivateServers:
    directory: Path
    kafka_port: int
    controller_port: int
    mongo_port: int

    @classmethod
    def on_free_ports(cls, directory: Path) -> "PrivateServers":
        return cls(directory, free_port(), free_port(), free_port())

    @property
    def kafka(self) -> str:
        return f"127.0.0.1:{self.kafka_port}"

    @property
    def mongo_url(self) -> str:
        return f"mongodb://127.0.0.1:{self.mongo_port}/"

    def service_env(self, service: str) -> dict[str, str]:
        """Settings that point a service at these servers; its consumers start at the topics'
        beginning, as every record on this Kafka belongs to the fault session."""
        prefix = f"KONTO_{service.upper()}_"
        return {
            f"{prefix}KAFKA_BOOTSTRAP": self.kafka,
            f"{prefix}MONGO_URL": self.mongo_url,
            f"{prefix}KAFKA_OFFSET_RESET": "earliest",
        }

    def start(self, *names: str) -> None:
        self._run("start", *names)

    def stop(self, *names: str) -> None:
        """SIGTERM, then SIGKILL after 20 s."""
        self._run("stop", *names)

    def kill(self, *names: str) -> None:
        """SIGKILL at once."""
        self._run("kill", *names)

    def _run(self, command: str, *names: str) -> None:
        env = {
            **os.environ,
            "KONTO_SERVERS_DIR": str(self.directory),
            "KONTO_KAFKA_PORT": str(self.kafka_port),
            "KONTO_KAFKA_CONTROLLER_PORT": str(self.controller_port),
            "KONTO_MONGO_PORT": str(self.mongo_port),
            "KONTO_KAFKA_HEAP": "512m",
            # A SIGKILLed SecantusDB otherwise forgets its last acknowledged commits.
            "KONTO_MONGO_SYNC_ON_COMMIT": "1",
            # CI sets it for the shared servers; here a restart must keep what was written
            # (the directory is new for each session anyway).
            "KONTO_SERVERS_FRESH": "0",
        }
        done = subprocess.run(
            [str(SERVERS), command, *(names or ("kafka", "mongo"))],
            env=env,
            capture_output=True,
            text=True,
            timeout=150,
            check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(f"scripts/servers {command} failed:\n{done.stdout}{done.stderr}")
