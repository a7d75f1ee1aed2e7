"""Fault injection for the fake Graph, controlled by tests.

    fake.faults.add(Fault("throttle", method="POST", path="/cancel$", times=3, retry_after="1"))
    fake.faults.add(Fault("reset_after", path="/cancel$"))          # the cancel happens, no answer
    fake.faults.add(Fault("latency", seconds=0.2, times=None))      # every request, forever
    fake.faults.add(Fault("throttle", in_batch=True, probability=0.2, times=None))

A fault matches on method, a regular expression searched in the decoded path, and whether
the request is a `$batch` sub-request; it fires `times` times (None: forever), each time
with `probability`. Kinds:

- latency: wait `seconds` before (phase "before") or after ("after") processing;
- throttle: 429 with Retry-After, not processed;
- unavailable / gateway_timeout: 503 / 504 with Retry-After; phase "before" means not
  processed, "after" means processed and the answer replaced (the gateway timed out late);
- reset_before / reset_after: the connection is reset without an answer, before or after
  the request was processed;
- truncate: processed, the body is cut short and the connection closed;
- malformed: processed, the body replaced by broken JSON (same status);
- html: a proxy's HTML error page (502), not processed;
- refuse: the tenant refuses, not processed: Graph's error envelope with `status`, `code`
  and `message` (e.g. 403 ErrorAccessDenied, 401 InvalidAuthenticationToken, 404
  MailboxNotEnabledForRESTAPI, 403 Authorization_RequestDenied);
- odd_fields: processed, and the first `items` objects of the answer (of its `value` list,
  or the answer itself) get `fields` set to what is given: values of unexpected types,
  as a broken proxy or an odd mailbox item could send;
- hostile, deep, not_a_list, self_link, cycle_link, endless_link, drip: processed, and the
  answer made hostile as `tui.fake.hostile` describes (terminal escapes, markup and lone
  surrogates in every text field, bad webLinks and overflowing dates on the first `items`
  events; 200,000 levels of nesting; a `value` that is not a list; nextLinks that repeat or
  never end; a body sent one byte every `seconds`).

Sub-requests of a batch only take the kinds that make sense inside a batch answer
(latency, throttle, unavailable, gateway_timeout); the others are skipped for them.
"""

from __future__ import annotations

import random
import re
import threading
from collections import Counter
from dataclasses import dataclass
from typing import Any, Literal, cast, get_args

FaultKind = Literal[
    "latency", "throttle", "unavailable", "gateway_timeout", "reset_before", "reset_after",
    "truncate", "malformed", "html", "refuse", "odd_fields",
    "hostile", "deep", "not_a_list", "self_link", "cycle_link", "endless_link", "drip",
]
IN_BATCH_KINDS = frozenset({"latency", "throttle", "unavailable", "gateway_timeout"})


@dataclass
class Fault:
    kind: FaultKind
    method: str | None = None
    path: str | None = None  # regex searched in the decoded path (e.g. "/cancel$")
    in_batch: bool | None = None  # None: both top-level and batch sub-requests
    times: int | None = 1  # None: unlimited
    probability: float = 1.0
    retry_after: str | None = "1"
    seconds: float = 0.0  # latency
    phase: Literal["before", "after"] = "before"
    status: int = 403  # refuse
    code: str = "ErrorAccessDenied"  # refuse
    message: str = "Access is denied. Check credentials and try again."  # refuse
    fields: dict[str, Any] | None = None  # odd_fields
    items: int = 1  # odd_fields
    fired: int = 0

    def __post_init__(self) -> None:
        self._pattern = re.compile(self.path) if self.path else None

    def matches(self, method: str, path: str, in_batch: bool) -> bool:
        if in_batch and self.kind not in IN_BATCH_KINDS:
            return False
        if self.in_batch is not None and self.in_batch != in_batch:
            return False
        if self.method is not None and self.method.upper() != method.upper():
            return False
        return self._pattern is None or self._pattern.search(path) is not None


class Faults:
    """The active faults, and what fired: `injected` counts by kind.

    Probabilities draw from a seeded random source (`seed`, settable) so runs repeat.
    """

    def __init__(self, seed: int | str = 0) -> None:
        self._lock = threading.Lock()
        self._faults: list[Fault] = []
        self.injected: Counter[str] = Counter()
        self.seed = seed

    @property
    def seed(self) -> int | str:
        return self._seed

    @seed.setter
    def seed(self, value: int | str) -> None:
        with self._lock:
            self._seed = value
            self._rng = random.Random(value)

    def add(self, fault: Fault) -> Fault:
        with self._lock:
            self._faults.append(fault)
        return fault

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()

    def pick(self, method: str, path: str, in_batch: bool) -> list[Fault]:
        """The faults that fire for this request (at most one of each kind), in order added."""
        chosen: list[Fault] = []
        kinds: set[str] = set()
        with self._lock:
            for fault in self._faults:
                if fault.kind in kinds or not fault.matches(method, path, in_batch):
                    continue
                if fault.times is not None and fault.fired >= fault.times:
                    continue
                if fault.probability < 1.0 and self._rng.random() >= fault.probability:
                    continue
                fault.fired += 1
                self.injected[fault.kind] += 1
                kinds.add(fault.kind)
                chosen.append(fault)
        return chosen


KINDS: tuple[str, ...] = get_args(FaultKind)


def parse_spec(spec: str) -> list[Fault]:
    """Random, unlimited faults from `kind=probability[@seconds],...`, for manual runs:
    `throttle=0.05,reset_after=0.01,latency=0.2@0.3`. ValueError on anything else."""
    faults: list[Fault] = []
    for part in filter(None, (p.strip() for p in spec.split(","))):
        kind, sep, value = part.partition("=")
        if kind not in KINDS or not sep:
            raise ValueError(f"{part!r}: expected kind=probability, kind one of {', '.join(KINDS)}")
        probability_text, _, seconds_text = value.partition("@")
        try:
            probability = float(probability_text)
            seconds = float(seconds_text) if seconds_text else 0.5
        except ValueError:
            raise ValueError(f"{part!r}: the probability and seconds must be numbers") from None
        if not 0.0 <= probability <= 1.0 or seconds < 0:
            raise ValueError(
                f"{part!r}: the probability must be within 0..1, the seconds not negative")
        faults.append(Fault(cast(FaultKind, kind), probability=probability, times=None,
                            seconds=seconds))
    return faults
