"""HTTP glue: stdlib ThreadingHTTPServer on loopback, keep-alive, request recording."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import random
import socket
import struct
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, unquote, urlsplit

from . import batch, edits, hostile, routes
from .access import WWW_AUTH
from .errors import GraphError
from .exchange import Request, Response
from .faults import Fault, Faults
from .limits import MailboxGate
from .model import Person
from .service import Service
from .store import Store
from .token import DEMO_TOKEN

JSON_TYPE = (
    "application/json; odata.metadata=minimal; odata.streaming=true; IEEE754Compatible=false;"
    " charset=utf-8"
)




@dataclass
class RecordedRequest:
    method: str
    raw_path: str  # path + query exactly as received
    path: str  # percent-decoded once, without the query
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes
    status: int
    fault: str | None = None  # the injected fault that shaped the answer, if any
    in_batch: bool = False  # a sub-request of a $batch


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], fake: FakeGraph, ipv6: bool,
                 listening: socket.socket | None = None) -> None:
        if ipv6:
            self.address_family = socket.AF_INET6
        self.fake = fake
        self.connections: set[socket.socket] = set()
        self.connections_lock = threading.Lock()
        super().__init__(address, _Handler, bind_and_activate=listening is None)
        if listening is not None:  # bound and listening already, by the process that forked us
            self.socket.close()
            self.socket = listening
            self.server_address = listening.getsockname()
            self.server_name, self.server_port = address[0], self.server_address[1]

    def handle_error(self, request: object, client_address: object) -> None:
        """A client that hung up (timed out, or was reset by a fault) is not an error."""
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)  # type: ignore[arg-type]


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
            response.status, response.fault,
        ))
        self._send(response)

    def _reset(self) -> None:
        """Drop the connection with a TCP reset and no answer."""
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                       struct.pack("ii", 1, 0))
            self.connection.close()

    def _send(self, response: Response) -> None:
        if response.abort == "reset":
            self._reset()
            return
        payload = b""
        if response.raw is not None:
            payload = response.raw
        elif response.payload is not None:
            # A lone surrogate (hostile test data) goes out as JSON's own escape, \udXXX.
            payload = json.dumps(response.payload, ensure_ascii=False,
                                 separators=(",", ":")).encode("utf-8", "backslashreplace")
        if response.abort == "drip" and not payload:
            payload = b" " * 4096  # an answer with no body (a cancel's 202) trickles too
        self.send_response(response.status)
        if response.raw is not None:
            self.send_header("Content-Type", response.content_type or JSON_TYPE)
        elif response.payload is not None:
            self.send_header("Content-Type", JSON_TYPE)
            self.send_header("OData-Version", "4.0")
        for name, value in response.headers.items():
            self.send_header(name, value)
        self.send_header("Strict-Transport-Security", "max-age=31536000")
        self.send_header("Cache-Control", "no-cache")
        truncate = response.abort == "truncate"
        # A truncated answer promises more than it sends, then the connection drops.
        self.send_header("Content-Length", str(len(payload) + (64 if truncate else 0)))
        self.end_headers()
        if response.abort == "drip" and self.command != "HEAD":
            self._drip(payload, response.drip_seconds)
            return
        if self.command != "HEAD":
            self.wfile.write(payload[: len(payload) // 2] if truncate else payload)
        if truncate:
            self._reset()


    def _drip(self, payload: bytes, seconds: float) -> None:
        """The body one byte at a time: each read gets a byte in time, the whole never.
        Ends when the client hangs up, or the server stops."""
        self.close_connection = True
        for index in range(len(payload)):
            if self.server.fake._server is None:
                return
            try:
                self.wfile.write(payload[index:index + 1])
                self.wfile.flush()
            except OSError:
                return
            time.sleep(seconds)


class FakeGraph:
    """A fake Microsoft Graph v1.0 calendar service on loopback, seeded with a demo tenant.

    Changing its data between requests, as Outlook or a phone would (each edit bumps the
    event's change key, so the next `calendarView/delta` round reports it):

        event_id = fake.add_event("Standup", start, end)             # default calendar
        fake.add_event("Review", start, end, user="upn@…", calendar_id=cal_id)
        fake.change_event(event_id, subject="Standup (moved)", start=s2, end=e2)
        fake.remove_event(event_id)   # deleted without notices; a cancel goes through HTTP
        fake.expire_delta_tokens()    # every deltaLink and nextLink held now answers 410
    """

    def __init__(
        self,
        today: dt.date | None = None,
        token: str | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        data: str = "demo",
    ) -> None:
        """`data`: the seed's data set, "demo" or "attendee-heavy" (tui/fake/heavy.py)."""
        from .seed import build  # deferred: keeps `import tui.fake` light

        self.today = today or dt.date.today()
        self.token = token or DEMO_TOKEN
        self.host = host
        self.port = port
        self.store: Store = build(self.today, data)
        self.service = Service(self.store, self.token)
        # Fault injection and Outlook's 4-per-mailbox concurrency limit (None: no limit).
        self.faults = Faults()
        self.gate = MailboxGate()
        self.concurrency_retry_after = "1"
        self._batch_rng = random.Random(0)
        self._batch_rng_lock = threading.Lock()
        self.requests: list[RecordedRequest] = []
        self._requests_lock = threading.Lock()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    # ---- lifecycle ------------------------------------------------------------------------

    def start(self, listening: socket.socket | None = None) -> FakeGraph:
        """Serve from a thread of this process, on `listening` if given (a socket bound and
        listening already) or on a new one at host:port."""
        if self._server is not None:
            return self
        server = _Server((self.host, self.port), self, ipv6=":" in self.host,
                         listening=listening)
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

    # ---- data changes, for tests ----------------------------------------------------------

    def add_event(self, subject: str, start: dt.datetime, end: dt.datetime, *,
                  user: str | None = None, calendar_id: str | None = None,
                  attendees: tuple[Person, ...] = (), location: str = "") -> str:
        """Add a single event the mailbox owner organizes; returns its id."""
        return edits.add_event(self.store, subject, start, end, user=user,
                               calendar_id=calendar_id, attendees=attendees, location=location)

    def change_event(self, event_id: str, *, subject: str | None = None,
                     start: dt.datetime | None = None, end: dt.datetime | None = None,
                     location: str | None = None) -> None:
        """Change an event's subject, times or location (see `tui.fake.edits`)."""
        edits.change_event(self.store, event_id, subject=subject, start=start, end=end,
                           location=location)

    def remove_event(self, event_id: str) -> None:
        """Delete an event, occurrence or exception; nobody is notified."""
        edits.remove_event(self.store, event_id)

    def expire_delta_tokens(self) -> None:
        """Forget every delta sync state, as Graph does after some days."""
        with self.store.lock:
            self.service.delta_states.expire()

    # ---- requests -------------------------------------------------------------------------

    def dispatch(self, request: Request) -> Response:
        """Every request passes here: the seam for fault injection, the mailbox concurrency
        limit and `$batch` (whose sub-requests come back through `_process`)."""
        return self._process(request, in_batch=False)

    def _process(self, request: Request, *, in_batch: bool) -> Response:
        path = unquote(request.raw_path)
        fired: dict[str, Fault] = {
            f.kind: f for f in self.faults.pick(request.method, path, in_batch)
        }
        early = self._early_fault(request, fired)
        if early is not None:
            if "hostile" in fired:  # a refusal, a throttle: their words hostile too
                hostile.hostile(early, 0)
            return early
        if not in_batch and request.method == "POST" and _is_batch(path):
            response = self._timed(fired, lambda: self._batch(request))
        else:
            key = self._mailbox_key(request)
            if key is not None and not self.gate.enter(key):
                throttled = self.service.error(request, GraphError(
                    429, "ApplicationThrottled",
                    "Application is over its MailboxConcurrency limit.",
                    {"Retry-After": self.concurrency_retry_after}))
                throttled.fault = "concurrency"
                return throttled
            try:
                response = self._timed(fired, lambda: self.service.handle(request))
            finally:
                if key is not None:
                    self.gate.leave(key)
        return self._late_fault(request, response, fired)

    @staticmethod
    def _timed(fired: dict[str, Fault], work: Callable[[], Response]) -> Response:
        latency = fired.get("latency")
        if latency is not None and latency.phase == "before":
            time.sleep(latency.seconds)
        response = work()
        if latency is not None and latency.phase == "after":
            time.sleep(latency.seconds)
        if latency is not None:
            response.fault = response.fault or "latency"
        return response

    def _status_fault(self, request: Request, fault: Fault) -> Response:
        status, code, message = {
            "throttle": (429, "ApplicationThrottled", "Application is over its request limit."),
            "unavailable": (503, "serviceNotAvailable",
                            "The service is temporarily unavailable. Please retry later."),
            "gateway_timeout": (504, "UnknownError", "Gateway Timeout"),
        }[fault.kind]
        headers = {"Retry-After": fault.retry_after} if fault.retry_after is not None else {}
        response = self.service.error(request, GraphError(status, code, message, headers))
        response.fault = fault.kind
        return response

    def _early_fault(self, request: Request, fired: dict[str, Fault]) -> Response | None:
        """Faults that answer before the request is processed."""
        if "reset_before" in fired:
            return Response(0, abort="reset", fault="reset_before")
        if "html" in fired:
            page = (b"<html><head><title>502 Bad Gateway</title></head><body><center>"
                    b"<h1>502 Bad Gateway</h1></center><hr><center>proxy</center></body></html>")
            return Response(502, raw=page, content_type="text/html", fault="html")
        if "refuse" in fired:
            refuse = fired["refuse"]
            headers = {"WWW-Authenticate": WWW_AUTH} if refuse.status == 401 else {}
            refused = self.service.error(
                request, GraphError(refuse.status, refuse.code, refuse.message, headers))
            refused.fault = "refuse"
            return refused
        if "throttle" in fired:
            return self._status_fault(request, fired["throttle"])
        for kind in ("unavailable", "gateway_timeout"):
            fault = fired.get(kind)
            if fault is not None and fault.phase == "before":
                return self._status_fault(request, fault)
        return None

    def _late_fault(self, request: Request, response: Response,
                    fired: dict[str, Fault]) -> Response:
        """Faults that spoil the answer of a request that was processed."""
        for kind in ("unavailable", "gateway_timeout"):
            fault = fired.get(kind)
            if fault is not None and fault.phase == "after":
                return self._status_fault(request, fault)
        if "reset_after" in fired:
            response.abort, response.fault = "reset", "reset_after"
        elif "truncate" in fired:
            response.abort, response.fault = "truncate", "truncate"
        elif "odd_fields" in fired and isinstance(response.payload, dict):
            odd = fired["odd_fields"]
            listed = response.payload.get("value")
            targets = listed if isinstance(listed, list) else [response.payload]
            for item in targets[:odd.items]:
                if isinstance(item, dict):
                    item.update(odd.fields or {})
            response.fault = "odd_fields"
        elif "malformed" in fired:
            response.raw = b'{"value": [{"id": "AAMkAGI2T", "subject": "Unfinished'
            response.content_type, response.fault = JSON_TYPE, "malformed"
        for kind in ("self_link", "cycle_link", "endless_link"):
            if kind in fired:
                hostile.link(request, response, kind)
                response.fault = kind
        if "not_a_list" in fired:
            hostile.not_a_list(response)
            response.fault = "not_a_list"
        if "hostile" in fired:  # last of those that change the JSON: it writes it out
            hostile.hostile(response, fired["hostile"].items)
            response.fault = "hostile"
        if "deep" in fired:
            hostile.deep(response)
            response.fault = "deep"
        if "drip" in fired:
            response.abort, response.fault = "drip", "drip"
            response.drip_seconds = fired["drip"].seconds or 0.5
        return response

    def _mailbox_key(self, request: Request) -> str | None:
        """Which mailbox a request addresses, for the concurrency limit (None: no mailbox)."""
        try:
            segments = routes.split_segments(request.raw_path)
        except ValueError:
            return None
        if len(segments) < 2 or segments[0].lower() != "v1.0":
            return None
        head = segments[1].lower()
        if head == "me":
            return self.store.me_id
        if head in ("users", "groups") and len(segments) > 2:
            if head == "users":
                user = self.store.user(segments[2])
                return user.id if user is not None else segments[2].lower()
            return f"group:{segments[2].lower()}"
        return None

    def _batch(self, request: Request) -> Response:
        try:
            self.service.authenticate(request)
            response = batch.handle(request, self._run_sub, self._failed_dependency,
                                    self._batch_rng, self._batch_rng_lock)
            response.headers["request-id"] = str(uuid.uuid4())
            response.headers["client-request-id"] = (request.header("client-request-id")
                                                     or str(uuid.uuid4()))
            return response
        except GraphError as error:
            return self.service.error(request, error)

    def _run_sub(self, request: Request) -> Response:
        response = self._process(request, in_batch=True)
        self.record(RecordedRequest(
            request.method, request.raw_path + (f"?{request.raw_query}" if request.raw_query
                                                else ""),
            unquote(request.raw_path), dict(request.query),
            {name: ", ".join(values) for name, values in request.headers.items()},
            request.body, response.status, response.fault, in_batch=True,
        ))
        return response

    def _failed_dependency(self, request: Request) -> Response:
        return self.service.error(request, GraphError(
            424, "FailedDependency", "The request could not be run: a request it depends on"
            " failed."))

    def record(self, recorded: RecordedRequest) -> None:
        with self._requests_lock:
            self.requests.append(recorded)

    def clear_requests(self) -> None:
        with self._requests_lock:
            self.requests.clear()

    def grant(self, token: str, permissions: Iterable[str]) -> None:
        """Accept `token` as carrying exactly these delegated permissions (names such as
        "Calendars.ReadWrite"): requests they do not cover get Graph's 403."""
        self.service.scoped_tokens[token] = frozenset(permissions)


def _is_batch(path: str) -> bool:
    parts = [p for p in path.split("/") if p]
    return len(parts) == 2 and parts[0].lower() == "v1.0" and parts[1].lower() == "$batch"
