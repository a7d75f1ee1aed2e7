"""`cal365 events` with a ready token loads only what listing needs: no Textual, no app,
no sign-in or keyring library, no calendar cache, no settings parsing, none of the Graph
client's operations but the listing, and not httpx's own command line (rich, click,
pygments). Checked in a fresh interpreter, as a user runs it, so
an eager import added anywhere on the way shows here."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tui.fake import FakeGraph

ROOT = Path(__file__).resolve().parents[2]

# Top-level packages, and cal365's own modules, that listing events must not load.
HEAVY = ("textual", "rich", "click", "pygments", "msal", "keyring", "cryptography", "jeepney",
         "secretstorage", "requests", "sqlite3")
OURS = ("tui.app", "tui.screens", "tui.widgets", "tui.startup", "tui.auth.provider",
        "tui.cache", "tui.secrets", "tui.sync", "tui.fake", "tui.actions.audit",
        "tui.config.settings", "tui.problems",
        # The Graph client's other operations load on their first call, not with it.
        "tui.graph.batch", "tui.graph.cancel", "tui.graph.delta", "tui.graph.calendars",
        "tui.graph.lookups")

CODE = """
import json, sys
from tui.cli import main
code = main(sys.argv[1:])
sys.stdout.flush()
sys.stderr.write("\\nMODULES " + json.dumps(sorted(sys.modules)) + "\\n")
sys.exit(code)
"""


def test_listing_events_loads_nothing_it_does_not_use(fake_graph: FakeGraph,
                                                      tmp_path: Path) -> None:
    env = {**os.environ, "CAL365_ACCESS_TOKEN": fake_graph.token,
           "CAL365_GRAPH_URL": fake_graph.base_url, "CAL365_HOME": str(tmp_path),
           "CAL365_TIMEZONE": "UTC"}
    done = subprocess.run(
        [sys.executable, "-c", CODE, "events", "--date", "2026-11-23", "--days", "7"],
        capture_output=True, text=True, env=env, cwd=ROOT, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("\n") > 10  # it did list, through Graph
    line = done.stderr.splitlines()[-1]
    assert line.startswith("MODULES "), done.stderr
    loaded = set(json.loads(line.removeprefix("MODULES ")))
    assert "tui.graph.client" in loaded and "httpx" in loaded
    heavy = sorted(m for m in loaded if m.split(".")[0] in HEAVY)
    ours = sorted(m for m in loaded if any(m == o or m.startswith(o + ".") for o in OURS))
    assert heavy == [] and ours == [], (heavy, ours)
