#!/usr/bin/env python3
"""SMS- and push-gateway recorder for local development and tests (standard library only).

It stands in for a real SMS gateway and a push gateway (APNs / FCM behind it): what is
posted to it is kept in memory so that tests can read back what would have been sent.

API (JSON):
  POST   /v1/messages   {"to": "+41791234567", "text": "...", "sender": "Konto"}
                        -> 201 {"id": "<uuid>", "to", "text", "sender", "received_at"}
                        -> 400 {"error": "...", "field": "to"} on invalid input
  GET    /v1/messages   optional query ?to=+41791234567 -> 200 {"messages": [...]}
  DELETE /v1/messages   -> 204, clears all messages
  POST   /v1/push       {"token": "<device token>", "title": "...", "body": "...", "data": {}}
                        -> 201 {"id": "<uuid>", "token", "title", "body", "data", "received_at"};
                        a repeated `Idempotency-Key` answers the first push, not recorded twice
                        -> 400 {"error": "...", "field": "token"} on invalid input
  GET    /v1/pushes     optional query ?token=... -> 200 {"pushes": [...]}
  DELETE /v1/pushes     -> 204, clears all pushes
  GET    /healthz       -> 200 {"status": "ok"}

Usage: sms_sink.py [--host 127.0.0.1] [--port 8026]
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
import uuid
from datetime import UTC, datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

MAX_BODY = 1024 * 1024


class Store:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._messages: list[dict] = []
        self._pushes: list[dict] = []

    def add(self, message: dict) -> None:
        with self._lock:
            self._messages.append(message)

    def list(self, to: str | None = None) -> list[dict]:
        with self._lock:
            return [dict(m) for m in self._messages if to is None or m["to"] == to]

    def clear(self) -> None:
        with self._lock:
            self._messages.clear()

    def add_push(self, push: dict, key: str | None) -> dict:
        """The recorded push; the earlier one for a repeated idempotency key."""
        with self._lock:
            for earlier in self._pushes:
                if key and earlier["idempotency_key"] == key:
                    return dict(earlier)
            self._pushes.append({**push, "idempotency_key": key})
            return dict(self._pushes[-1])

    def pushes(self, token: str | None = None) -> list[dict]:
        with self._lock:
            return [dict(p) for p in self._pushes if token is None or p["token"] == token]

    def clear_pushes(self) -> None:
        with self._lock:
            self._pushes.clear()


class Handler(BaseHTTPRequestHandler):
    server_version = "KontoSmsSink/1.0"
    protocol_version = "HTTP/1.1"
    store: Store  # set on the class by make_server

    # -- helpers -----------------------------------------------------------
    def _send_json(self, status: int, payload: object | None) -> None:
        body = b"" if payload is None else json.dumps(payload).encode("utf-8")
        self.send_response(status)
        if payload is not None:
            self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if body and self.command != "HEAD":
            self.wfile.write(body)

    def _error(self, status: int, message: str, field: str | None = None) -> None:
        payload: dict = {"error": message}
        if field is not None:
            payload["field"] = field
        self._send_json(status, payload)

    def _path(self) -> tuple[str, dict[str, list[str]]]:
        parts = urlsplit(self.path)
        path = parts.path.rstrip("/") or "/"
        return path, parse_qs(parts.query)

    def log_message(self, format: str, *args: object) -> None:
        now = datetime.now(UTC).isoformat(timespec="seconds")
        sys.stderr.write(f"{now} {self.address_string()} {format % args}\n")

    # -- routes ------------------------------------------------------------
    def do_GET(self) -> None:
        path, query = self._path()
        if path == "/healthz":
            self._send_json(HTTPStatus.OK, {"status": "ok"})
        elif path == "/v1/messages":
            to = query.get("to", [None])[0]
            self._send_json(HTTPStatus.OK, {"messages": self.store.list(to)})
        elif path == "/v1/pushes":
            token = query.get("token", [None])[0]
            self._send_json(HTTPStatus.OK, {"pushes": self.store.pushes(token)})
        else:
            self._error(HTTPStatus.NOT_FOUND, f"no route for GET {path}")

    def do_HEAD(self) -> None:
        self.do_GET()

    def do_DELETE(self) -> None:
        path, _ = self._path()
        if path == "/v1/messages":
            self.store.clear()
            self._send_json(HTTPStatus.NO_CONTENT, None)
        elif path == "/v1/pushes":
            self.store.clear_pushes()
            self._send_json(HTTPStatus.NO_CONTENT, None)
        else:
            self._error(HTTPStatus.NOT_FOUND, f"no route for DELETE {path}")

    def do_POST(self) -> None:
        path, _ = self._path()
        if path not in ("/v1/messages", "/v1/push"):
            self._drain()
            self._error(HTTPStatus.NOT_FOUND, f"no route for POST {path}")
            return
        data = self._json_body()
        if data is None:
            return
        if path == "/v1/push":
            self._post_push(data)
        else:
            self._post_message(data)

    def _json_body(self) -> dict | None:
        """The request's JSON object; None after answering an error."""
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            self._error(HTTPStatus.BAD_REQUEST, "invalid Content-Length")
            return None
        if length > MAX_BODY:
            self.close_connection = True
            self._error(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, "body too large")
            return None
        raw = self.rfile.read(length) if length else b""
        try:
            data = json.loads(raw.decode("utf-8")) if raw else None
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            self._error(HTTPStatus.BAD_REQUEST, f"body is not valid JSON: {exc}")
            return None
        if not isinstance(data, dict):
            self._error(HTTPStatus.BAD_REQUEST, "body must be a JSON object")
            return None
        return data

    def _require_text(self, data: dict, fields: tuple[str, ...]) -> bool:
        for field in fields:
            value = data.get(field)
            if value is None:
                self._error(HTTPStatus.BAD_REQUEST, f"missing field '{field}'", field)
                return False
            if not isinstance(value, str) or not value.strip():
                self._error(
                    HTTPStatus.BAD_REQUEST, f"field '{field}' must be a non-empty string", field
                )
                return False
        return True

    def _post_push(self, data: dict) -> None:
        if not self._require_text(data, ("token", "title", "body")):
            return
        extra = data.get("data", {})
        if not isinstance(extra, dict):
            self._error(HTTPStatus.BAD_REQUEST, "field 'data' must be an object", "data")
            return
        push = {
            "id": str(uuid.uuid4()),
            "token": data["token"],
            "title": data["title"],
            "body": data["body"],
            "data": extra,
            "received_at": datetime.now(UTC).isoformat(),
        }
        recorded = self.store.add_push(push, self.headers.get("Idempotency-Key"))
        self._send_json(HTTPStatus.CREATED, recorded)

    def _post_message(self, data: dict) -> None:
        if not self._require_text(data, ("to", "text")):
            return
        sender = data.get("sender")
        if sender is not None and not isinstance(sender, str):
            self._error(HTTPStatus.BAD_REQUEST, "field 'sender' must be a string", "sender")
            return
        message = {
            "id": str(uuid.uuid4()),
            "to": data["to"],
            "text": data["text"],
            "sender": sender,
            "received_at": datetime.now(UTC).isoformat(),
        }
        self.store.add(message)
        self._send_json(HTTPStatus.CREATED, message)

    def _drain(self) -> None:
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = 0
        if 0 < length <= MAX_BODY:
            self.rfile.read(length)
        elif length:
            self.close_connection = True


def make_server(host: str, port: int) -> ThreadingHTTPServer:
    handler = type("BoundHandler", (Handler,), {"store": Store()})
    server = ThreadingHTTPServer((host, port), handler)
    server.daemon_threads = True
    return server


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="SMS- and push-gateway recorder for tests")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8026)
    args = parser.parse_args(argv)

    server = make_server(args.host, args.port)

    def _stop(signum: int, frame: object) -> None:
        # shutdown() blocks until serve_forever returns, so run it elsewhere.
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    print(f"sms sink listening on http://{args.host}:{args.port}", flush=True)
    try:
        server.serve_forever(poll_interval=0.2)
    finally:
        server.server_close()
    print("sms sink stopped", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
