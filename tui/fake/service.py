"""Graph semantics: `Service.handle` answers one request as Graph would, or with its error
envelope. It checks the token (access.py), resolves the path (scopes.py) and hands the
request to the handler of its route kind (handlers.py).

`Service.handle` is the single place a request is dispatched, the seam for recording,
fault injection and the like; it knows nothing about sockets (exchange.py).
"""

from __future__ import annotations

import datetime as dt
import uuid

from . import delta, odata, routes
from .access import authenticate, authorize
from .errors import GraphError
from .exchange import Request, Response
from .handlers import Handlers
from .render import Json
from .scopes import resolve
from .store import Store


class Service:
    def __init__(self, store: Store, token: str) -> None:
        self.store = store
        self.token = token  # the demo's token: every permission
        self.delta_states = delta.DeltaStates()
        # Tokens a sign-in test issued, with the delegated permissions each carries: a
        # request they do not cover is refused as Graph refuses it.
        self.scoped_tokens: dict[str, frozenset[str]] = {}
        self._handlers = Handlers(store, self.delta_states)

    def handle(self, req: Request) -> Response:
        request_id = str(uuid.uuid4())
        client_id = req.header("client-request-id") or str(uuid.uuid4())
        try:
            granted = authenticate(req, self.token, self.scoped_tokens)
            with self.store.lock:
                response = self._dispatch(req, granted)
        except GraphError as error:
            response = Response(error.status, self._envelope(error, request_id, client_id),
                                dict(error.headers))
        response.headers["request-id"] = request_id
        response.headers["client-request-id"] = client_id
        return response

    def error(self, req: Request, error: GraphError) -> Response:
        """Graph's error envelope and headers for `error`, as `handle` would answer it."""
        request_id = str(uuid.uuid4())
        client_id = req.header("client-request-id") or str(uuid.uuid4())
        response = Response(error.status, self._envelope(error, request_id, client_id),
                            dict(error.headers))
        response.headers["request-id"] = request_id
        response.headers["client-request-id"] = client_id
        return response

    def authenticate(self, req: Request) -> None:
        """Raise the 401 Graph would give for this request's credentials, if any."""
        authenticate(req, self.token, self.scoped_tokens)

    @staticmethod
    def _envelope(error: GraphError, request_id: str, client_id: str) -> Json:
        now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S")
        return {"error": {"code": error.code, "message": error.message,
                          "innerError": {"date": now, "request-id": request_id,
                                         "client-request-id": client_id}}}

    def _dispatch(self, req: Request, granted: frozenset[str] | None = None) -> Response:
        plan = routes.parse(routes.split_segments(req.raw_path))
        if granted is not None:
            authorize(self.store, plan, req.method, granted)
        allowed = ("POST",) if plan.is_action else ("GET", "DELETE") if plan.kind == "event" \
            else ("GET",)
        method = "GET" if req.method == "HEAD" else req.method
        if method not in allowed:
            raise GraphError(405, "BadRequest",
                             "Specified HTTP method is not allowed for the request target.",
                             {"Allow": ", ".join(allowed)})
        query = odata.Query.parse(req.query)
        for option in (() if plan.kind == "delta" else ("filter", "search")):
            # Answering without applying them would return silently wrong data.
            if query.get(option) is not None:
                raise GraphError(501, "NotImplemented",
                                 f"The fake Graph service does not implement ${option}.")
        prefer = odata.parse_prefer(req.headers.get("prefer", []))
        scope = resolve(self.store, plan)
        if method == "DELETE":
            return self._handlers.delete(scope)
        handler = getattr(self._handlers, f"do_{plan.kind}")
        result: Response = handler(req, plan, scope, query, prefer)
        return result
