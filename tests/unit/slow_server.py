"""A deliberately slow HTTP server on 127.0.0.1, for deadline and load tests (and the bench).

It sends the status line and headers at once (after ``header_delay``), then trickles the body one
byte every ``interval`` seconds, so no single read ever waits long enough to trip a per-read
timeout: only a deadline on the whole fetch ends it.
"""

from __future__ import annotations

import socket
import socketserver
import threading
import time


class TrickleServer:
    """``with TrickleServer(interval=0.5) as server: ... server.url ...``

    Args:
        interval: seconds between body bytes.
        body_bytes: the announced body length (never reached in practice).
        header_delay: seconds before the headers are sent.
    """

    def __init__(
        self, interval: float = 0.5, body_bytes: int = 100_000, header_delay: float = 0.0
    ) -> None:
        self.interval = interval
        self.body_bytes = body_bytes
        self.header_delay = header_delay
        self.connections = 0
        self._stop = threading.Event()
        outer = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self) -> None:
                outer.connections += 1
                outer._serve(self.request)

        class Server(socketserver.ThreadingTCPServer):
            daemon_threads = True
            allow_reuse_address = True
            request_queue_size = 64

        self._server = Server(("127.0.0.1", 0), Handler)
        self.port = self._server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}/slow-article"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def _serve(self, sock: socket.socket) -> None:
        sock.settimeout(5)
        try:
            data = b""
            while b"\r\n\r\n" not in data:
                chunk = sock.recv(4096)
                if not chunk:
                    return
                data += chunk
            if self._stop.wait(self.header_delay):
                return
            sock.sendall(
                b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
                + f"Content-Length: {self.body_bytes}\r\n\r\n".encode()
            )
            for _ in range(self.body_bytes):
                sock.sendall(b"<")
                if self._stop.wait(self.interval):
                    return
        except OSError:
            return  # the client gave up: what a deadline is for

    def __enter__(self) -> TrickleServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


def timed(fn, *args, **kwargs) -> tuple[float, object]:
    """(seconds, result or the exception raised) of one call."""
    start = time.monotonic()
    try:
        result: object = fn(*args, **kwargs)
    except Exception as err:  # noqa: BLE001 - the caller inspects it
        result = err
    return time.monotonic() - start, result
