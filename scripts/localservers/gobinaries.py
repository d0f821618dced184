"""Servers built from Go sources: versitygw (S3) and Mailpit (SMTP)."""

import contextlib
import os
import shutil
import socket
from pathlib import Path

from .common import CACHE, HOST, env_port, http_status, need_tool, run_logged
from .server import Server

VERSITYGW_VERSION = "v1.7.0"
MAILPIT_VERSION = "v1.30.5"


class GoBinary(Server):
    """A server built from Go sources into <cache>/bin/<binary>."""

    binary = ""
    version = ""

    @property
    def exe(self) -> Path:
        return CACHE / "bin" / self.binary

    @property
    def marker(self) -> Path:
        return CACHE / "bin" / f"{self.binary}.version"

    def installed(self) -> bool:
        try:
            return self.marker.read_text().strip() == self.version and os.access(self.exe, os.X_OK)
        except OSError:
            return False

    def go_env(self) -> dict:
        env = dict(
            os.environ,
            GO111MODULE="on",
            GOWORK="off",
            CGO_ENABLED=os.environ.get("CGO_ENABLED", "0"),
        )
        env.pop("GOFLAGS", None)
        env.pop("GOBIN", None)
        return env

    def finish(self, built: Path) -> None:
        built.chmod(0o755)
        built.replace(self.exe)
        self.marker.write_text(self.version + "\n")


class S3(GoBinary):
    name = "s3"
    timeout = 30.0
    binary = "versitygw"
    version = VERSITYGW_VERSION
    what = f"versitygw {VERSITYGW_VERSION}, go install"

    def ports(self) -> list[int]:
        return [env_port("KONTO_S3_PORT", 9000)]

    def address(self) -> str:
        return f"http://{HOST}:{self.ports()[0]} (access key {self.access_key()})"

    @staticmethod
    def access_key() -> str:
        return os.environ.get("KONTO_S3_ACCESS_KEY") or "konto"

    def install(self) -> None:
        go = need_tool("go", "to build versitygw")
        tmpbin = CACHE / "bin" / ".versitygw-build"
        shutil.rmtree(tmpbin, ignore_errors=True)
        tmpbin.mkdir(parents=True)
        env = self.go_env()
        env["GOBIN"] = str(tmpbin)
        run_logged(
            [go, "install", f"github.com/versity/versitygw/cmd/versitygw@{self.version}"],
            self.install_log,
            cwd=tmpbin,
            env=env,
            what="go install versitygw",
        )
        self.finish(tmpbin / "versitygw")
        shutil.rmtree(tmpbin, ignore_errors=True)

    def command(self) -> list[str]:
        return [
            str(self.exe),
            "--port",
            f"{HOST}:{self.ports()[0]}",
            "--region",
            "us-east-1",
            "posix",
            "--sidecar",
            str(self.data / "sidecar"),
            str(self.data / "buckets"),
        ]

    def prepare(self, log) -> None:
        (self.data / "sidecar").mkdir(parents=True, exist_ok=True)
        (self.data / "buckets").mkdir(parents=True, exist_ok=True)

    def env(self) -> dict:
        env = dict(os.environ)
        for var in list(env):
            if var.startswith("VGW_") or var.startswith("ROOT_"):
                del env[var]
        env["ROOT_ACCESS_KEY_ID"] = self.access_key()
        env["ROOT_SECRET_ACCESS_KEY"] = os.environ.get("KONTO_S3_SECRET_KEY") or "konto-secret-key"
        return env

    def probe(self) -> bool:
        return http_status(f"http://{HOST}:{self.ports()[0]}/") is not None


class Smtp(GoBinary):
    name = "smtp"
    timeout = 30.0
    binary = "mailpit"
    version = MAILPIT_VERSION
    what = f"Mailpit {MAILPIT_VERSION}, go build"

    def ports(self) -> list[int]:
        return [env_port("KONTO_SMTP_PORT", 1025), env_port("KONTO_SMTP_HTTP_PORT", 8025)]

    def address(self) -> str:
        smtp, web = self.ports()
        return f"{HOST}:{smtp} (web UI and API http://{HOST}:{web})"

    def install(self) -> None:
        # `go install github.com/axllent/mailpit@vX` does not work through the
        # module proxy here, so build it from a small module that requires it.
        go = need_tool("go", "to build Mailpit")
        mod = CACHE / "mailpit-build"
        mod.mkdir(parents=True, exist_ok=True)
        (mod / "go.mod").write_text(
            "module konto.local/tools\n\ngo 1.25\n\n"
            f"require github.com/axllent/mailpit {self.version}\n"
        )
        (mod / "tools.go").write_text(
            '//go:build tools\n\npackage tools\n\nimport _ "github.com/axllent/mailpit"\n'
        )
        built = CACHE / "bin" / ".mailpit-build"
        built.parent.mkdir(parents=True, exist_ok=True)
        built.unlink(missing_ok=True)
        env = self.go_env()
        env["GOFLAGS"] = "-mod=mod"
        run_logged(
            [go, "build", "-trimpath", "-o", str(built), "github.com/axllent/mailpit"],
            self.install_log,
            cwd=mod,
            env=env,
            what="go build mailpit",
        )
        self.finish(built)

    def command(self) -> list[str]:
        smtp, web = self.ports()
        return [
            str(self.exe),
            "--smtp",
            f"{HOST}:{smtp}",
            "--listen",
            f"{HOST}:{web}",
            "--database",
            str(self.data / "mailpit.db"),
            "--smtp-auth-accept-any",
            "--smtp-auth-allow-insecure",
            "--disable-version-check",
        ]

    def probe(self) -> bool:
        smtp, web = self.ports()
        if http_status(f"http://{HOST}:{web}/readyz") != 200:
            return False
        try:
            with socket.create_connection((HOST, smtp), timeout=2) as s:
                s.settimeout(3)
                banner = s.recv(512)
                with contextlib.suppress(OSError):
                    s.sendall(b"QUIT\r\n")
        except OSError:
            return False
        return banner.startswith(b"220")
