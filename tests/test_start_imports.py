"""What the main screen's first frame imports: no HTTP stack, no dialog, no sending.

The first key of a warm start waits for the main screen; every module it imports is time the
user waits. Heavy ones (httpx and TLS, the cancel flows, the dialogs) come on first use. These
run in a fresh interpreter and read `sys.modules`, so an import creeping back onto the start
path fails here whatever the machine's speed.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

ROOT = Path(__file__).resolve().parents[1]

# Loaded later than the main screen's first frame: on the first request, send or dialog.
LATER = ("httpx", "httpcore", "h11", "anyio", "certifi", "tui.graph.client",
         "tui.graph.transport", "tui.graph.policy", "tui.graph.batch", "tui.graph.cancel",
         "tui.actions.cancel", "tui.actions.audit", "tui.screens.help", "tui.screens.cancel",
         "tui.screens.bulk", "tui.screens.audit_view", "tui.screens.signin", "msal", "keyring")


def _loaded_after(code: str, home: Path) -> set[str]:
    script = code + "\nimport sys\nprint(json.dumps(sorted(sys.modules)))\n"
    done = subprocess.run([sys.executable, "-c", "import json\n" + script], cwd=ROOT,
                          capture_output=True, text=True, timeout=120, check=False,
                          env={"CAL365_HOME": str(home), "PATH": "/usr/bin:/bin",
                               "HOME": str(home)})
    assert done.returncode == 0, done.stderr
    return set(json.loads(done.stdout.strip().splitlines()[-1]))


def test_the_main_screens_modules_import_no_http_stack(tmp_path: Path) -> None:
    loaded = _loaded_after("import tui.app, tui.screens.main", tmp_path)
    assert "tui.screens.main.screen" in loaded  # the check looks at the right thing
    assert "tui.screens.main.starting" in loaded
    assert not loaded & set(LATER), sorted(loaded & set(LATER))


def test_building_the_main_screen_makes_no_graph_client(tmp_path: Path) -> None:
    code = (
        "import datetime as dt\n"
        "from tui.app import Cal365App\n"
        "def connect():\n"
        "    raise SystemExit('the client was made while the main screen was built')\n"
        "app = Cal365App(connect=connect, today=dt.date(2026, 11, 23))\n"
        "main = app.main\n"
        "main.client.on_wait = print  # as the screen's on_mount does: still no client\n"
    )
    loaded = _loaded_after(code, tmp_path)
    assert "tui.screens.main.screen" in loaded
    assert not loaded & set(LATER), sorted(loaded & set(LATER))


class _Client:
    def __init__(self) -> None:
        self.on_wait: Any = None
        self.base_url = "http://127.0.0.1:1/v1.0"


def test_the_client_is_made_on_its_first_use_with_what_was_set_before() -> None:
    import datetime as dt

    from tui.app import Cal365App

    made: list[_Client] = []

    def connect() -> Any:
        made.append(_Client())
        return made[-1]

    app = Cal365App(connect=connect, today=dt.date(2026, 11, 23))
    client = app.main.client
    waits = SimpleNamespace(name="waits")
    client.on_wait = waits
    assert made == []
    assert client.on_wait is waits  # read back before the client exists
    assert client.base_url == "http://127.0.0.1:1/v1.0"  # the first real use makes it
    assert len(made) == 1 and made[0].on_wait is waits
    assert app.client is made[0]  # one client: the app's, closed when it ends
    client.on_wait = None
    assert made[0].on_wait is None and len(made) == 1


def test_a_client_given_ready_is_used_as_it_is() -> None:
    import datetime as dt

    from tui.app import Cal365App

    ready: Any = _Client()
    app = Cal365App(ready, today=dt.date(2026, 11, 23))
    assert app.main.client is ready


HEAD_START = """
import datetime as dt, sys, time
from tui.graph.urls import ME, CalendarRef
from tui.startup.headstart import HeadStart

class Untouched:
    def __getattr__(self, name):
        raise SystemExit(f"the app's client was used for the first page: {name}")

start = dt.datetime(2026, 11, 23, tzinfo=dt.UTC)
end = start + dt.timedelta(days=7)
ahead = HeadStart(sys.argv[1], sys.argv[2], timezone="UTC", calendar=CalendarRef(ME),
                  start=start, end=end)
before = sorted(sys.modules)
ready = None
deadline = time.monotonic() + 60
while ready is None and time.monotonic() < deadline:
    time.sleep(0.02)
    ready = ahead.take(Untouched(), CalendarRef(ME), start, end)
assert ready is not None and ready[0], "no first page from the head start"
print(json.dumps(before))
"""


def test_the_head_start_leaves_the_http_stack_to_its_child(fake_graph: Any,
                                                            tmp_path: Path) -> None:
    """Before Textual, the command starts the head start: its child process sends the
    request, so the app's process imports no HTTP stack for it, neither when it starts nor
    when it makes the first page's events (the app's client is made for the pages after)."""
    done = subprocess.run(
        [sys.executable, "-c", "import json\n" + HEAD_START + "\nimport sys\n"
         "print(json.dumps(sorted(sys.modules)))\n", fake_graph.base_url, fake_graph.token],
        cwd=ROOT, capture_output=True, text=True, timeout=120, check=False,
        env={"CAL365_HOME": str(tmp_path), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)})
    assert done.returncode == 0, done.stderr
    when_started, after_first_page = (set(json.loads(line))
                                      for line in done.stdout.strip().splitlines()[-2:])
    assert "tui.startup.headstart" in when_started and "tui.graph.wire" in after_first_page
    for loaded in (when_started, after_first_page):
        assert not loaded & set(LATER), sorted(loaded & set(LATER))
