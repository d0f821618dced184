"""A TCP forwarder that a test can switch off and on, to take a real server (Mailpit's SMTP)
away from a service for a while: off, the port refuses connections, as a dead SMTP host does."""

import contextlib
import socket
import socketserver
import threading

from tests.support.processes import free_port


class _Forward(socketserver.BaseRequestHandler):
    target: tuple[str, int]

    def handle(self) -> None:
        with socket.create_connection(self.target, timeout=10) as upstream:
            pipes = [
                threading.Thread(target=_pipe, args=(self.request, upstream), daemon=True),
                threading.Thread(target=_pipe, args=(upstream, self.request), daemon=True),
            ]
            for pipe in pipes:
                pipe.start()
            for pipe in pipes:
                pipe.join(timeout=30)


def _pipe(source: socket.socket, sink: socket.socket) -> None:
    with contextlib.suppress(OSError):
        while data := source.recv(65536):
            sink.sendall(data)
    with contextlib.suppress(OSError):
        sink.shutdown(socket.SHUT_WR)


class _Server(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True


class TcpSwitch:
    def __init__(self, target_port: int, target_host: str = "127.0.0.1") -> None:
        self.port = free_port()
        self.handler = type("Forward", (_Forward,), {"target": (target_host, target_port)})
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    def on(self) -> None:
        if self._server is None:
            self._server = _Server(("127.0.0.1", self.port), self.handler)
            self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
            self._thread.start()

    def off(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
