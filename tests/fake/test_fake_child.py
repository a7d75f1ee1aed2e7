"""The demo's fake Graph in a forked child: it serves, and it never outlives the app."""

from __future__ import annotations

import datetime as dt
import json
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from tui.fake.child import start_child
from tui.fake.token import DEMO_TOKEN

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="the demo forks its fake Graph on Linux and the BSDs")

TODAY = dt.date(2026, 11, 25)


def _get(url: str, token: str) -> tuple[int, dict[str, object]]:
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def _refused(port: int, within: float = 5.0) -> bool:
    """True once nothing accepts connections on `port` (the child is gone)."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
        except OSError:
            return True
        time.sleep(0.05)
    return False


def _in_a_fresh_process(code: str) -> str:
    """Runs `code` in a new interpreter (one thread, as the app is when it forks)."""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60, check=True)
    return done.stdout


def test_the_child_serves_the_demo_mailbox_and_stops_with_its_app() -> None:
    out = _in_a_fresh_process(
        "import datetime as dt, json, urllib.request\n"
        "from tui.fake.child import start_child\n"
        f"fake = start_child(dt.date({TODAY.year}, {TODAY.month}, {TODAY.day}))\n"
        "assert fake is not None\n"
        "req = urllib.request.Request(fake.base_url + '/me/calendars',\n"
        "    headers={'Authorization': 'Bearer ' + fake.token})\n"
        "body = json.loads(urllib.request.urlopen(req, timeout=10).read())\n"
        "print(json.dumps({'port': fake.port, 'names': [c['name'] for c in body['value']]}))\n"
        "fake.stop()\n"
    )
    result = json.loads(out)
    assert "Calendar" in result["names"]
    assert _refused(result["port"])


def test_the_child_ends_when_its_app_dies_without_stopping_it() -> None:
    # os._exit skips every clean-up: as a crash or a SIGKILL of the app would.
    out = _in_a_fresh_process(
        "import os\n"
        "from tui.fake.child import start_child\n"
        "fake = start_child(None)\n"
        "assert fake is not None\n"
        "print(fake.port, flush=True)\n"
        "os._exit(0)\n"
    )
    assert _refused(int(out))


def test_a_wrong_token_gets_graphs_401_from_the_child() -> None:
    out = _in_a_fresh_process(
        "import json, urllib.request, urllib.error\n"
        "from tui.fake.child import start_child\n"
        "fake = start_child(None)\n"
        "req = urllib.request.Request(fake.base_url + '/me/calendars',\n"
        "    headers={'Authorization': 'Bearer not-the-token'})\n"
        "try:\n"
        "    urllib.request.urlopen(req, timeout=10)\n"
        "except urllib.error.HTTPError as error:\n"
        "    print(error.code)\n"
        "fake.stop()\n"
    )
    assert out.strip() == "401"


def test_no_fork_with_threads_running() -> None:
    # pytest's own process may run threads; where it does, the caller serves from a thread.
    import threading

    stop = threading.Event()
    extra = threading.Thread(target=stop.wait)
    extra.start()
    try:
        assert start_child(TODAY) is None
    finally:
        stop.set()
        extra.join()


def test_the_demo_token_is_the_fake_graphs() -> None:
    from tui.fake import FakeGraph

    with FakeGraph(today=TODAY) as fake:
        assert fake.token == DEMO_TOKEN
        status, _ = _get(fake.base_url + "/me/calendars", DEMO_TOKEN)
        assert status == 200
