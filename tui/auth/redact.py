"""Keep secrets out of logs: a formatter that masks tokens, and the opt-in debug log.

cal365 never logs tokens itself; this guards against libraries that might (a verbose HTTP
layer printing headers, an error carrying a response body).
"""

from __future__ import annotations

import logging
import os
import re
from pathlib import Path

_KEYS = (
    r"access_token|refresh_token|id_token|client_secret|client_assertion|device_code|code"
    r"|assertion|password"
)
_PATTERNS = [
    (re.compile(r"(?i)(authorization['\"]?\s*[:=]\s*['\"]?(?:bearer|basic)\s+)[^\s'\",}]+"),
     r"\1***"),
    (re.compile(rf"(?i)([\"'](?:{_KEYS})[\"']\s*:\s*[\"'])[^\"']*([\"'])"), r"\1***\2"),
    (re.compile(rf"(?i)\b((?:{_KEYS})=)[^&\s'\"]+"), r"\1***"),
    # Anything shaped like a JWT (access and ID tokens from Entra are JWTs).
    (re.compile(r"\beyJ[\w-]{4,}\.[\w-]+\.[\w-]*"), "eyJ***"),
]


def redact(text: str) -> str:
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


class RedactingFormatter(logging.Formatter):
    """Masks secrets in the whole formatted record, tracebacks included."""

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


class RedactingFilter(logging.Filter):
    """Rewrites a record at its source, before any handler (ours or not) sees it."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact(record.getMessage())
        record.args = None
        return True


_FILTER = RedactingFilter()
# Libraries that talk to the identity provider. MSAL's own DEBUG cache events print the
# device code, for one.
GUARDED_PREFIXES = ("msal", "urllib3", "requests", "httpx", "httpcore")


def guard_library_logs() -> None:
    """Attach the filter to every existing logger of the libraries above (idempotent).

    Filters on a logger do not apply to its children, so each one gets its own; call this
    after importing msal, when its loggers exist.
    """
    names = [n for n in logging.Logger.manager.loggerDict if n.split(".")[0] in GUARDED_PREFIXES]
    for name in [*GUARDED_PREFIXES, *names]:
        logger = logging.getLogger(name)
        if _FILTER not in logger.filters:
            logger.addFilter(_FILTER)


DEBUG_LOG_ENV = "CAL365_DEBUG_LOG"


def install_debug_log(path: Path) -> logging.Handler:
    """Log everything at DEBUG to `path` (0600), redacted. Opt-in via CAL365_DEBUG_LOG."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.close(os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600))
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(RedactingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    return handler
