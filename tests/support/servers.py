"""Addresses of the local servers that `scripts/servers start` runs, and a check that they do."""

import socket

import pytest

KAFKA = "127.0.0.1:9092"
MONGO_URL = "mongodb://127.0.0.1:27017/"
MAILPIT_API = "http://127.0.0.1:8025"
SMS_SINK = "http://127.0.0.1:8026"
S3_ENDPOINT = "http://127.0.0.1:9000"

_PORTS = {"kafka": 9092, "mongo": 27017, "s3": 9000, "smtp": 1025, "mailpit": 8025, "sms": 8026}


def require_servers() -> None:
    down = []
    for name, port in _PORTS.items():
        with socket.socket() as sock:
            sock.settimeout(1.0)
            if sock.connect_ex(("127.0.0.1", port)) != 0:
                down.append(f"{name} (:{port})")
    if down:
        pytest.fail(
            f"local servers not running: {', '.join(down)}; start them: scripts/servers start",
            pytrace=False,
        )
