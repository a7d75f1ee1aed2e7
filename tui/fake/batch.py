"""`POST /v1.0/$batch`: Graph's JSON batching, per its documentation.

- The body is `{"requests": [...]}`, 1 to 20 requests, each with a string `id` unique in the
  batch, `method`, `url` (relative to the version root, e.g. `/me/events/{id}/cancel`;
  absolute URLs are tolerated), optional `headers`, optional `body` (which requires a
  Content-Type header), optional `dependsOn` (ids of other requests in the batch). A batch
  that breaks these rules fails as a whole with 400.
- Independent requests run up to 4 at a time, as Outlook does; a request runs after those
  it depends on, and if one of them failed it is not run and answers 424.
- The answer is 200 `{"responses": [{"id", "status", "headers", "body"}...]}`, in an order
  that may differ from the request's (callers must match by id).
- A request's url may carry a query string (`/me/events/{id}?$select=subject,start`, as the
  documentation's own examples write it, or percent-encoded): it is read as a direct
  request's would be. Of the batch's own headers only its authorization applies to the
  requests in it; a `Prefer` (a time zone) must be given per request. (Unverified: the
  documentation does not list which headers carry over; this fake carries over none but
  the authorization, the strictest reading.)
"""

from __future__ import annotations

import base64
import binascii
import json
import random
import threading
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from .errors import GraphError
from .exchange import Request, Response

MAX_REQUESTS = 20
PARALLEL = 4
_JSON_TYPE = "application/json; odata.metadata=minimal; odata.streaming=true; charset=utf-8"


def _bad(message: str) -> GraphError:
    return GraphError(400, "BadRequest", message)


def _parse(body: bytes) -> list[dict[str, Any]]:
    try:
        data = json.loads(body.decode("utf-8-sig")) if body.strip() else None
    except (ValueError, UnicodeDecodeError):
        raise _bad("Invalid batch payload format.") from None
    requests = data.get("requests") if isinstance(data, dict) else None
    if not isinstance(requests, list):
        raise _bad("Invalid batch payload format.")
    if not requests:
        raise _bad("Batch request must contain at least one request.")
    if len(requests) > MAX_REQUESTS:
        raise _bad(f"Batch request exceeds the maximum of {MAX_REQUESTS} requests.")
    seen: set[str] = set()
    for item in requests:
        if not isinstance(item, dict):
            raise _bad("Invalid batch payload format.")
        ident, method, url = item.get("id"), item.get("method"), item.get("url")
        if not isinstance(ident, str) or not ident:
            raise _bad("Request Id is required and must be a string.")
        if ident in seen:
            raise _bad(f"Request Id {ident} has to be unique in a batch.")
        seen.add(ident)
        if not isinstance(method, str) or not method:
            raise _bad(f"Request {ident}: method is required.")
        if not isinstance(url, str) or not url:
            raise _bad(f"Request {ident}: url is required.")
        headers = item.get("headers", {})
        if headers is not None and not isinstance(headers, dict):
            raise _bad(f"Request {ident}: headers must be an object.")
        if item.get("body") is not None and not any(
            str(k).lower() == "content-type" for k in (headers or {})
        ):
            raise _bad(f"Content-Type header must be specified for request {ident} with a body.")
    for item in requests:
        depends = item.get("dependsOn", [])
        if depends is None:
            continue
        if not isinstance(depends, list) or not all(isinstance(d, str) for d in depends):
            raise _bad(f"Request {item['id']}: dependsOn must be an array of request ids.")
        for dep in depends:
            if dep not in seen or dep == item["id"]:
                raise _bad(f"Request {item['id']} depends on unknown request {dep}.")
    _order(requests)  # rejects cycles
    return requests


def _order(requests: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Requests in waves: each wave depends only on earlier waves."""
    done: set[str] = set()
    left = list(requests)
    waves: list[list[dict[str, Any]]] = []
    while left:
        wave = [r for r in left if set(r.get("dependsOn") or []) <= done]
        if not wave:
            raise _bad("dependsOn forms a cycle.")
        waves.append(wave)
        done.update(r["id"] for r in wave)
        left = [r for r in left if r["id"] not in done]
    return waves


def _sub_request(outer: Request, item: dict[str, Any]) -> Request:
    url: str = item["url"]
    if "://" in url:
        parts = urlsplit(url)
        path, query = parts.path, parts.query
    else:
        path, _, query = url.partition("?")
        if not path.startswith("/"):
            path = "/" + path
        path = "/v1.0" + path
    headers: dict[str, list[str]] = {}
    for name, value in (item.get("headers") or {}).items():
        headers.setdefault(str(name).lower(), []).append(str(value))
    auth = outer.headers.get("authorization")
    if auth:  # the batch's credentials apply to every request in it
        headers["authorization"] = list(auth)
    body: Any = item.get("body")
    content = b""
    if isinstance(body, str) and "json" not in (headers.get("content-type") or [""])[-1]:
        try:
            content = base64.b64decode(body, validate=True)
        except (binascii.Error, ValueError):
            content = body.encode()
    elif body is not None:
        content = json.dumps(body).encode()
    return Request(item["method"].upper(), path, query, parse_qsl(query, keep_blank_values=True),
                   headers, content, outer.origin)


def _entry(ident: str, response: Response) -> dict[str, Any]:
    headers = {k: v for k, v in response.headers.items()
               if k.lower() not in ("request-id", "client-request-id")}
    if response.payload is not None:
        headers["Content-Type"] = _JSON_TYPE
    entry: dict[str, Any] = {"id": ident, "status": response.status, "headers": headers}
    if response.payload is not None:
        entry["body"] = response.payload
    return entry


def handle(outer: Request, run: Callable[[Request], Response],
           failed_dependency: Callable[[Request], Response], rng: random.Random,
           rng_lock: threading.Lock) -> Response:
    """Run a batch; `run` executes one sub-request through the fake's dispatch seam."""
    from concurrent.futures import ThreadPoolExecutor  # deferred: off the demo's start-up path

    requests = _parse(outer.body)
    results: dict[str, Response] = {}
    with ThreadPoolExecutor(max_workers=PARALLEL, thread_name_prefix="fake-batch") as pool:
        for wave in _order(requests):
            runnable: list[dict[str, Any]] = []
            blocked: list[dict[str, Any]] = []
            for item in wave:
                deps = item.get("dependsOn") or []
                ok = all(200 <= results[d].status < 300 for d in deps)
                (runnable if ok else blocked).append(item)
            subs = [_sub_request(outer, item) for item in runnable]
            for item, response in zip(runnable, pool.map(run, subs), strict=True):
                results[item["id"]] = response
            for item in blocked:
                results[item["id"]] = failed_dependency(_sub_request(outer, item))
    entries = [_entry(item["id"], results[item["id"]]) for item in requests]
    with rng_lock:
        rng.shuffle(entries)  # Graph does not promise the request order
    return Response(200, {"responses": entries})
