"""HTTP glue: stdlib ThreadingHTTPServer on loopback, keep-alive, request recording."""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import json
import socket
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, unquote, urlsplit

from .service import Request, Response, Service
from .store import Store

JSON_TYPE = (
    "application/json; odata.metadata=minimal; odata.streaming=true; IEEE754Compatible=false;"
    " charset=utf-8"
)


def _demo_token() -> str:
    """A fixed, unsigned JWT-shaped token: obviously fake, but shaped like the real thing."""
    def part(data: dict[str, object]) -> str:
        raw = json.dumps(data, separators=(",", ":")).encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    header = part({"typ": "JWT", "alg": "none"})
    claims = part({"aud": "https://graph.microsoft.com", "iss": "cal365-fake-graph",
                   "name": "Avery Quinn", "upn": "avery.quinn@fabrikam.onmicrosoft.com",
                   "scp": "Calendars.ReadWrite Group.ReadWrite.All User.Read"})
    return f"{header}.{claims}.fake-signature"


DEMO_TOKEN = _demo_token()


@dataclass
class RecordedRequest:
    method: str
    raw_path: str  # path + query exactly as received
    path: str  # percent-decoded once, without the query
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes
    status: int


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], fake: FakeGraph, ipv6: bool) -> None:
        if ipv6:
            self.address_family = socket.AF_INET6
        self.fake = fake
        self.connections: set[socket.socket] = set()
        self.connections_lock = threading.Lock()
        super().__init__(address, _Handler)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body go out in separate writes; with Nagle on, a keep-alive client's
    # delayed ACK would stall every response by ~40 ms.
    disable_nagle_algorithm = True
    server: _Server

    def setup(self) -> None:
        super().setup()
        with self.server.connections_lock:
            self.server.connections.add(self.connection)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            with self.server.connections_lock:
                self.server.connections.discard(self.connection)

    def log_message(self, format: str, *args: object) -> None:
        """Silent: the server runs inside a TUI."""

    def do_GET(self) -> None:
        self._serve()

    do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = do_GET

    def _read_body(self) -> bytes | None:
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            chunks: list[bytes] = []
            while True:
                size_line = self.rfile.readline(65537)
                try:
                    size = int(size_line.split(b";", 1)[0].strip() or b"0", 16)
                except ValueError:
                    return None
                if size == 0:
                    while self.rfile.readline(65537) not in (b"\r\n", b"\n", b""):
                        pass  # trailers
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline(3)
        length = self.headers.get("Content-Length")
        if not length:
            return b""
        try:
            count = int(length)
        except ValueError:
            return None
        return self.rfile.read(count) if count > 0 else b""

    def _serve(self) -> None:
        body = self._read_body()
        if body is None:
            self.close_connection = True
            self.send_error(400, "Bad request body framing")
            return
        target = self.path
        if "://" in target.split("?", 1)[0]:  # absolute-form request target
            parts = urlsplit(target)
            target = parts.path + (f"?{parts.query}" if parts.query else "")
        raw_path, _, raw_query = target.partition("?")
        headers: dict[str, list[str]] = {}
        for name, value in self.headers.items():
            headers.setdefault(name.lower(), []).append(value)
        host = self.headers.get("Host") or "{}:{}".format(*self.server.server_address[:2])
        query = parse_qsl(raw_query, keep_blank_values=True)
        request = Request(self.command, raw_path, raw_query, query, headers, body,
                          f"http://{host}")
        response = self.server.fake.dispatch(request)
        self.server.fake.record(RecordedRequest(
            self.command, self.path, unquote(raw_path), dict(query),
            {name: ", ".join(values) for name, values in headers.items()}, body,
            response.status,
        ))
        self._send(response)

    def _send(self, response: Response) -> None:
        payload = b""
        if response.payload is not None:
            payload = json.dumps(response.payload, ensure_ascii=False,
                                 separators=(",", ":")).encode("utf-8")
        self.send_response(response.status)
        if response.payload is not None:
            self.send_header("Content-Type", JSON_TYPE)
            self.send_header("OData-Version", "4.0")
        for name, value in response.headers.items():
            self.send_header(name, value)
        self.send_header("Strict-Transport-Security", "max-age=31536000")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(payload)


class FakeGraph:
    """A fake Microsoft Graph v1.0 calendar service on loopback, seeded with a demo tenant."""

    def __init__(
        self,
        today: dt.date | None = None,
        token: str | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        from .seed import build  # deferred: keeps `import tui.fake` light

        self.today = today or dt.date.today()
        self.token = token or DEMO_TOKEN
        self.host = host
        self.port = port
        self.store: Store = build(self.today)
        self.service = Service(self.store, self.token)
        self.requests: list[RecordedRequest] = []
        self._requests_lock = threading.Lock()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    # ---- lifecycle ------------------------------------------------------------------------

    def start(self) -> FakeGraph:
        if self._server is not None:
            return self
        server = _Server((self.host, self.port), self, ipv6=":" in self.host)
        self._server = server
        self.port = server.server_address[1]
        self._thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1},
                                        name="cal365-fake-graph", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        server, self._server = self._server, None
        if server is None:
            return
        server.shutdown()
        with server.connections_lock:
            open_connections = list(server.connections)
        for conn in open_connections:  # idle keep-alive sockets would otherwise linger
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
        server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> FakeGraph:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}/v1.0"

    # ---- requests -------------------------------------------------------------------------

    def dispatch(self, request: Request) -> Response:
        """Every request passes here: the seam for fault injection."""
        return self.service.handle(request)

    def record(self, recorded: RecordedRequest) -> None:
        with self._requests_lock:
            self.requests.append(recorded)

    def clear_requests(self) -> None:
        with self._requests_lock:
            self.requests.clear()
