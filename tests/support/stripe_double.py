"""A local HTTP double of Stripe's API (BIL-4) for the card adapter's tests: it checks what a
real Stripe would (secret key, idempotency key) and answers like it, replaying the first answer
of an `Idempotency-Key`. Tokens: `pm_card_visa` pays, `pm_card_chargeDeclined` is declined,
`pm_flaky` fails with a 500 once, `pm_down` always, `pm_slow` answers after half a second."""

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl

SECRET = "sk_test_konto"


@dataclass
class Seen:
    path: str
    headers: dict[str, str]
    form: dict[str, str]


@dataclass
class StripeDouble:
    """What it was sent (`seen`), the first answer per key, the intents it created."""

    url: str = ""
    seen: list[Seen] = field(default_factory=list)
    replies: dict[str, tuple[int, dict[str, Any]]] = field(default_factory=dict)
    intents: dict[str, dict[str, Any]] = field(default_factory=dict)
    failed_once: set[str] = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def answer(self, path: str, headers: dict[str, str], form: dict[str, str]) -> tuple[int, Any]:
        if form.get("payment_method") == "pm_slow":
            time.sleep(0.5)
        with self.lock:
            self.seen.append(Seen(path, headers, form))
            if headers.get("authorization") != f"Bearer {SECRET}":
                return 401, _error("invalid_request_error", None, "Invalid API Key provided")
            key = headers["idempotency-key"]
            if key in self.replies:  # Stripe replays the first answer of a key
                status, body = self.replies[key]
                if path == "/v1/payment_intents":
                    body = {**body, "latest_charge": self.intents[body["id"]]["latest_charge"]}
                return status, body
            status, body = self._new(path, form)
            if status < 500:
                self.replies[key] = (status, body)
            return status, body

    def _new(self, path: str, form: dict[str, str]) -> tuple[int, dict[str, Any]]:
        if path == "/v1/refunds":
            intent = self.intents[form["payment_intent"]]
            if intent["latest_charge"]["refunded"]:
                return 400, _error("invalid_request_error", "charge_already_refunded", "refunded")
            intent["latest_charge"] = {**intent["latest_charge"], "refunded": True}
            return 200, {"id": f"re_{len(self.seen)}", "status": "succeeded"}
        token = form["payment_method"]
        if token == "pm_card_chargeDeclined":
            return 402, _error("card_error", "card_declined", "Your card was declined.")
        if token == "pm_down" or (token == "pm_flaky" and token not in self.failed_once):
            self.failed_once.add(token)
            return 500, _error("api_error", None, "Something went wrong on Stripe's end.")
        intent = {
            "id": f"pi_{len(self.intents) + 1}",
            "object": "payment_intent",
            "amount": int(form["amount"]),
            "currency": form["currency"],
            "status": "succeeded",
            "latest_charge": {"id": f"ch_{len(self.intents) + 1}", "refunded": False},
        }
        self.intents[intent["id"]] = intent
        return 200, intent


def _error(kind: str, code: str | None, message: str) -> dict[str, Any]:
    return {"error": {"type": kind, "code": code, "message": message}}


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that timed out closed the connection: nothing to report."""


@contextmanager
def running_stripe() -> Iterator[StripeDouble]:
    """The double on a free port of 127.0.0.1, served from a thread until the block ends."""
    double = StripeDouble()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("content-length", 0))
            form = dict(parse_qsl(self.rfile.read(length).decode()))
            headers = {k.lower(): v for k, v in self.headers.items()}
            status, body = double.answer(self.path, headers, form)
            payload = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args: Any) -> None:
            pass

    server = _QuietServer(("127.0.0.1", 0), Handler)
    double.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield double
    server.shutdown()
    server.server_close()
