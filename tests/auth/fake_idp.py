"""A fake Microsoft Entra ID on loopback HTTPS, just faithful enough for the real MSAL.

It serves OIDC discovery, the authorization endpoint (the browser sign-in: the user is taken
as signed in, and the code goes back to the redirect URI as Entra sends it, by form_post or
query), the device authorization endpoint and the token endpoint with the authorization code
(PKCE checked), device code, refresh token and client credentials grants, answering with
Entra's error codes. Tokens are random opaque strings (or ones the test chooses); ID tokens
are unsigned because MSAL only decodes them. The TLS certificate comes from a CA made per test run.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import secrets
import ssl
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import trustme

TENANT_ID = "8c0dc7e4-1b1c-4d0e-9b58-5a3f3c5e1a01"
USER_OID = "2f9b6f43-8a1e-4a9f-bb1a-3c2f4a0e7d11"
USERNAME = "megan@contoso.example"


def _b64(data: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")


@dataclass
class Request:
    method: str
    path: str
    form: dict[str, str]


@dataclass
class DeviceGrant:
    device_code: str
    user_code: str
    client_id: str
    scope: str
    expires_at: float
    pending: int


@dataclass
class AuthorizationCode:
    client_id: str
    redirect_uri: str
    scope: str
    code_challenge: str
    nonce: str


@dataclass
class FakeIdP:
    """Behaviour knobs a test turns before or during a flow."""

    client_id: str = "5f1d2c3b-0000-4000-8000-000000000001"
    client_secret: str = "fake-client-secret-value"
    device_outcome: str = "success"  # success | declined | expired
    pending_polls: int = 1
    interval: int = 1
    expires_in: int = 3600  # access token lifetime
    reject_refresh: bool = False
    user_oid: str = USER_OID  # who signs in next (the device code and browser flows)
    username: str = USERNAME
    refusal: str = "invalid_grant"  # or interaction_required: how a refresh is refused
    user_code: str = ""  # a fixed code (screenshots); random otherwise
    access_tokens: list[str] = field(default_factory=list)  # issued first, in order
    requests: list[Request] = field(default_factory=list)
    issued: list[str] = field(default_factory=list)  # every token value handed out
    access_issued: list[str] = field(default_factory=list)  # the access tokens, in order
    # Delegated permissions the user has consented to (names such as "Group.Read.All"): a
    # device code sign-in consents to what it asked for; a refresh asking for more is refused
    # with consent_required, as Entra does.
    consented: set[str] = field(default_factory=set)
    # Called with each user access token and the permissions it carries (a test passes
    # FakeGraph.grant, so Graph refuses what the token does not cover).
    on_access_token: Callable[[str, frozenset[str]], None] | None = None
    scope_requests: list[frozenset[str]] = field(default_factory=list)  # per token request

    def __post_init__(self) -> None:
        self._grants: dict[str, DeviceGrant] = {}
        self._codes: dict[str, AuthorizationCode] = {}
        self._refresh: set[str] = set()
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self.ca_path = ""

    # -- lifecycle ----------------------------------------------------------------------

    def start(self, directory: Path) -> FakeIdP:
        ca = trustme.CA()
        cert = ca.issue_cert("localhost", "127.0.0.1")
        self.ca_path = str(directory / "fake-idp-ca.pem")
        ca.cert_pem.write_to_path(self.ca_path)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        cert.configure_cert(context)
        idp = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                return None

            def do_GET(self) -> None:
                query = {k: v[0] for k, v in parse_qs(urlsplit(self.path).query).items()}
                idp._handle(self, "GET", query)

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length).decode()
                form = {k: v[0] for k, v in parse_qs(body, keep_blank_values=True).items()}
                idp._handle(self, "POST", form)

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        server.daemon_threads = True
        server.socket = context.wrap_socket(server.socket, server_side=True)
        self._server = server
        threading.Thread(target=server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    @property
    def host(self) -> str:
        assert self._server is not None
        return f"https://localhost:{self._server.server_address[1]}"

    def approve(self) -> None:
        """The user finished signing in: pending device codes succeed at their next poll."""
        with self._lock:
            for grant in self._grants.values():
                grant.pending = 0

    def revoke(self) -> None:
        """Every refresh token issued so far stops working (sessions revoked, password
        changed); a new sign-in gets new ones that work."""
        with self._lock:
            self._refresh.clear()

    def grants(self, kind: str) -> list[Request]:
        return [r for r in self.requests if r.form.get("grant_type", "").endswith(kind)]

    # -- dispatch -------------------------------------------------------------------------

    def _handle(self, handler: BaseHTTPRequestHandler, method: str, form: dict[str, str]) -> None:
        path = urlsplit(handler.path).path
        with self._lock:
            self.requests.append(Request(method, path, form))
            parts = path.strip("/").split("/")
            tenant = parts[0] if parts else ""
            rest = "/".join(parts[1:])
            if method == "GET" and rest == "v2.0/.well-known/openid-configuration":
                status, body = 200, self._discovery(tenant)
            elif method == "GET" and rest == "oauth2/v2.0/authorize":
                self._authorize(handler, form)
                return
            elif method == "POST" and rest == "oauth2/v2.0/devicecode":
                status, body = self._devicecode(form)
            elif method == "POST" and rest == "oauth2/v2.0/token":
                status, body = self._token(form)
            else:
                status, body = 404, {"error": "not_found"}
        data = json.dumps(body).encode()
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json; charset=utf-8")
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        handler.wfile.write(data)

    def _discovery(self, tenant: str) -> dict[str, Any]:
        base = f"{self.host}/{tenant}"
        return {
            "issuer": f"{self.host}/{TENANT_ID}/v2.0",
            "authorization_endpoint": f"{base}/oauth2/v2.0/authorize",
            "token_endpoint": f"{base}/oauth2/v2.0/token",
            "device_authorization_endpoint": f"{base}/oauth2/v2.0/devicecode",
            "end_session_endpoint": f"{base}/oauth2/v2.0/logout",
            "response_types_supported": ["code", "id_token", "code id_token"],
        }

    @staticmethod
    def _error(code: str, description: str, status: int = 400) -> tuple[int, dict[str, Any]]:
        return status, {"error": code, "error_description": description, "error_codes": [0],
                        "timestamp": "2026-11-25 10:00:00Z",
                        "trace_id": "00000000-0000-0000-0000-000000000000"}

    def _consent_required(self, missing: frozenset[str],
                          client_id: str) -> tuple[int, dict[str, Any]]:
        status, body = self._error(
            "invalid_grant",
            "AADSTS65001: The user or administrator has not consented to use the application "
            f"with ID '{client_id}' named 'cal365'. Send an interactive authorization request "
            f"for this user and resource. (missing: {' '.join(sorted(missing))})")
        body["suberror"] = "consent_required"
        return status, body

    def _authorize(self, handler: BaseHTTPRequestHandler, query: dict[str, str]) -> None:
        """The browser arrives here; the user is taken as signed in and consenting, and the
        code goes back to the redirect URI: an auto-submitting form for form_post, else a
        302 with the code in the query (Entra's two response modes)."""
        redirect = query.get("redirect_uri", "")
        problem = ""
        if query.get("client_id") != self.client_id:
            problem = "AADSTS700016: Application not found in the directory."
        elif not redirect.startswith("http://localhost"):
            problem = "AADSTS50011: The redirect URI does not match the ones registered."
        elif query.get("response_type") != "code":
            problem = "AADSTS900144: The request body must contain 'response_type'."
        elif not query.get("code_challenge") or query.get("code_challenge_method") != "S256":
            problem = "AADSTS9002325: Proof Key for Code Exchange is required."
        if problem:
            page = f"<html><body>{html.escape(problem)}</body></html>".encode()
            handler.send_response(400)
            handler.send_header("Content-Type", "text/html; charset=utf-8")
            handler.send_header("Content-Length", str(len(page)))
            handler.end_headers()
            handler.wfile.write(page)
            return
        code = "1.AAAA-fake-code." + secrets.token_urlsafe(32)
        self._codes[code] = AuthorizationCode(query["client_id"], redirect,
                                              query.get("scope", ""), query["code_challenge"],
                                              query.get("nonce", ""))
        answer = {"code": code, "state": query.get("state", ""),
                  "session_state": "00000000-0000-0000-0000-000000000000"}
        if query.get("response_mode") == "form_post":
            fields = "".join(f'<input type="hidden" name="{k}" value="{html.escape(v)}"/>'
                             for k, v in answer.items())
            page = (f'<html><body><form method="POST" name="hiddenform" '
                    f'action="{html.escape(redirect)}">{fields}</form>'
                    "<script>document.forms[0].submit()</script></body></html>").encode()
            handler.send_response(200)
            handler.send_header("Content-Type", "text/html; charset=utf-8")
            handler.send_header("Content-Length", str(len(page)))
            handler.end_headers()
            handler.wfile.write(page)
            return
        handler.send_response(302)
        handler.send_header("Location", f"{redirect}?{urlencode(answer)}")
        handler.send_header("Content-Length", "0")
        handler.end_headers()

    def _devicecode(self, form: dict[str, str]) -> tuple[int, dict[str, Any]]:
        if form.get("client_id") != self.client_id:
            return self._error("unauthorized_client", "AADSTS700016: Application with identifier "
                               f"'{form.get('client_id')}' was not found in the directory.")
        user_code = self.user_code or "".join(
            secrets.choice("ABCDEFGHJKLMNPQRSTUVWXYZ23456789") for _ in range(9)
        )
        device_code = "DAQABIQEAAAD-" + secrets.token_urlsafe(48)
        expires_in = 900
        self._grants[device_code] = DeviceGrant(
            device_code, user_code, form["client_id"], form.get("scope", ""),
            time.time() + expires_in, self.pending_polls,
        )
        uri = "https://microsoft.com/devicelogin"
        return 200, {
            "user_code": user_code, "device_code": device_code, "verification_uri": uri,
            "expires_in": expires_in, "interval": self.interval,
            "message": f"To sign in, use a web browser to open the page {uri} and enter the "
                       f"code {user_code} to authenticate.",
        }

    def _new_access_token(self) -> str:
        token = self.access_tokens.pop(0) if self.access_tokens else (
            "eyJ0eXAiOiJKV1QifQ.fake-at." + secrets.token_urlsafe(32))
        self.issued.append(token)
        self.access_issued.append(token)
        return token

    def _user_tokens(self, scope: str, client_id: str, nonce: str = "") -> dict[str, Any]:
        access_token = self._new_access_token()
        if self.on_access_token is not None:
            self.on_access_token(access_token, permission_names(scope))
        refresh = "0.AAAA-fake-rt." + secrets.token_urlsafe(40)
        self._refresh.add(refresh)
        self.issued.append(refresh)
        now = int(time.time())
        id_token = ".".join([
            _b64({"typ": "JWT", "alg": "none"}),
            _b64({"iss": f"{self.host}/{TENANT_ID}/v2.0", "aud": client_id, "iat": now,
                  "nbf": now, "exp": now + 3600, "tid": TENANT_ID, "oid": self.user_oid,
                  "sub": "fake-subject", "preferred_username": self.username,
                  "name": "Megan Bowen", "ver": "2.0", **({"nonce": nonce} if nonce else {})}),
            "",
        ])
        self.issued.append(id_token)
        return {
            "token_type": "Bearer", "scope": scope, "expires_in": self.expires_in,
            "ext_expires_in": self.expires_in, "access_token": access_token,
            "refresh_token": refresh, "id_token": id_token,
            "client_info": _b64({"uid": self.user_oid, "utid": TENANT_ID}),
        }

    def _token(self, form: dict[str, str]) -> tuple[int, dict[str, Any]]:
        grant = form.get("grant_type", "")
        if grant == "urn:ietf:params:oauth:grant-type:device_code":
            state = self._grants.get(form.get("device_code", ""))
            if state is None or form.get("client_id") != state.client_id:
                return self._error("invalid_grant", "AADSTS70000: The provided value for the "
                                   "'device_code' is not valid.")
            if self.device_outcome == "declined":
                return self._error("authorization_declined", "AADSTS70000: The user declined "
                                   "to authorize the application.")
            if self.device_outcome == "expired" or time.time() > state.expires_at:
                return self._error("expired_token", "AADSTS70020: The provided value for the "
                                   "input parameter 'device_code' is not valid. This device "
                                   "code has expired.")
            if state.pending > 0:
                state.pending -= 1
                return self._error("authorization_pending", "AADSTS70016: OAuth 2.0 device "
                                   "flow error. Authorization is pending. Continue polling.")
            del self._grants[state.device_code]
            self.scope_requests.append(permission_names(state.scope))
            self.consented |= permission_names(state.scope)  # the user consented on sign-in
            return 200, self._user_tokens(_granted(state.scope), state.client_id)
        if grant == "authorization_code":
            issued = self._codes.pop(form.get("code", ""), None)  # a code works once
            if issued is None or form.get("client_id") != issued.client_id:
                return self._error("invalid_grant", "AADSTS70008: The provided authorization "
                                   "code or refresh token has expired or was already used.")
            if form.get("redirect_uri") != issued.redirect_uri:
                return self._error("invalid_grant", "AADSTS50011: The redirect URI does not "
                                   "match the one the code was issued to.")
            verifier = form.get("code_verifier", "")
            challenge = base64.urlsafe_b64encode(
                hashlib.sha256(verifier.encode()).digest()).decode().rstrip("=")
            if challenge != issued.code_challenge:
                return self._error("invalid_grant", "AADSTS501481: The Code_Verifier does not "
                                   "match the code_challenge supplied in the authorization "
                                   "request.")
            self.scope_requests.append(permission_names(issued.scope))
            self.consented |= permission_names(issued.scope)
            return 200, self._user_tokens(_granted(issued.scope), issued.client_id,
                                          issued.nonce)
        if grant == "refresh_token":
            refresh = form.get("refresh_token", "")
            if self.reject_refresh or refresh not in self._refresh:
                if self.refusal == "interaction_required":  # e.g. a new MFA policy
                    return self._error("interaction_required", "AADSTS50076: Due to a "
                                       "configuration change made by your administrator, or "
                                       "because you moved to a new location, you must use "
                                       "multi-factor authentication to access the resource.")
                return self._error("invalid_grant", "AADSTS700082: The refresh token has "
                                   "expired due to inactivity.")
            wanted = permission_names(form.get("scope", ""))
            self.scope_requests.append(wanted)
            if not wanted <= self.consented:
                return self._consent_required(wanted - self.consented, form.get("client_id", ""))
            self._refresh.discard(refresh)  # rotate, as Entra may
            return 200, self._user_tokens(form.get("scope", ""), form.get("client_id", ""))
        if grant == "client_credentials":
            if form.get("client_id") != self.client_id:
                return self._error("unauthorized_client", "AADSTS700016: Application not found.")
            if form.get("client_secret") != self.client_secret and not form.get(
                "client_assertion"
            ):
                return self._error("invalid_client", "AADSTS7000215: Invalid client secret "
                                   "provided.", 401)
            return 200, {"token_type": "Bearer", "expires_in": self.expires_in,
                         "ext_expires_in": self.expires_in,
                         "access_token": self._new_access_token()}
        return self._error("unsupported_grant_type", f"AADSTS70003: grant {grant!r}")


def _granted(scope: str) -> str:
    """The scope of a token answer: what was asked for with the OpenID scopes, each once
    (as Entra answers; a repeated name would file the token under another cache key)."""
    names = [s for s in scope.split() if s not in ("openid", "profile", "offline_access")]
    return " ".join([*dict.fromkeys(names), "openid", "profile", "offline_access"])


def permission_names(scope: str) -> frozenset[str]:
    """The Graph permission names in an OAuth scope string (without the resource URI and
    the OpenID scopes MSAL adds)."""
    return frozenset(part.rsplit("/", 1)[-1] for part in scope.split()
                     if "://" in part and not part.endswith("/.default"))


def running(directory: Path, **knobs: Any) -> Iterator[FakeIdP]:
    idp = FakeIdP(**knobs).start(directory)
    try:
        yield idp
    finally:
        idp.stop()
