"""A stand-in for the user's graphical browser during MSAL's interactive sign-in.

Registered with `webbrowser`, it is what MSAL's `webbrowser.open(auth_uri)` reaches. Like a
browser whose user is already signed in, it loads the authorization URL from the fake
identity provider (over TLS, trusting the test CA), then delivers the answer to MSAL's
listener on localhost: it submits the auto-posting form (response_mode=form_post) or
follows the 302 (query). It works in its own thread, as a browser is its own process: MSAL
serves its listener only after `open` returns.
"""

from __future__ import annotations

import http.client
import re
import ssl
import threading
import webbrowser
from html import unescape
from urllib.parse import urlencode, urlsplit


class SignedInBrowser(webbrowser.BaseBrowser):
    def __init__(self, ca_path: str, name: str = "firefox") -> None:
        super().__init__(name)
        self._tls = ssl.create_default_context(cafile=ca_path)
        self.opened: list[str] = []
        self.delivered: list[int] = []  # the listener's HTTP status per answer delivered
        self.errors: list[str] = []
        self.done = threading.Event()

    def open(self, url: str, new: int = 0, autoraise: bool = True) -> bool:
        self.opened.append(url)
        threading.Thread(target=self._visit, args=(url,), daemon=True).start()
        return True

    def _visit(self, url: str) -> None:
        try:
            status, headers, page = self._request("GET", url)
            if status == 302:
                status, _, _ = self._request("GET", headers["location"])
            elif status == 200 and "<form" in page:
                action = unescape(re.search(r'action="([^"]*)"', page).group(1))  # type: ignore[union-attr]
                fields = {unescape(k): unescape(v) for k, v in
                          re.findall(r'name="([^"]*)" value="([^"]*)"', page)}
                status, _, _ = self._request("POST", action, urlencode(fields))
            else:
                self.errors.append(f"the identity provider answered {status}: {page[:200]}")
            self.delivered.append(status)
        except Exception as exc:  # reported to the test, which fails on it
            self.errors.append(repr(exc))
        finally:
            self.done.set()

    def _request(self, method: str, url: str,
                 body: str | None = None) -> tuple[int, dict[str, str], str]:
        parts = urlsplit(url)
        assert parts.hostname is not None
        if parts.scheme == "https":
            conn: http.client.HTTPConnection = http.client.HTTPSConnection(
                parts.hostname, parts.port, context=self._tls, timeout=10)
        else:
            conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
        headers = {"Content-Type": "application/x-www-form-urlencoded"} if body else {}
        try:
            conn.request(method, parts.path + (f"?{parts.query}" if parts.query else ""),
                         body=body, headers=headers)
            response = conn.getresponse()
            page = response.read().decode("utf-8", "replace")
            return response.status, {k.lower(): v for k, v in response.getheaders()}, page
        finally:
            conn.close()
