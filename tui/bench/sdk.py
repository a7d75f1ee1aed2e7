"""Scenario 3: the same calendarView window through cal365's Graph layer and msgraph-sdk.

The SDK is installed by the benchmark only, into a venv of its own under cal365's cache
directory; cal365 never depends on it. Without it (no network, no pip) the scenario is skipped.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tui.bench.listing import window
from tui.bench.procs import Server
from tui.graph.models import EVENT_SELECT
from tui.paths import private_dir

PACKAGE = "msgraph-sdk"


def venv_python() -> Path:
    return private_dir("cache") / "bench" / "sdk-venv" / "bin" / "python"


def ensure_sdk() -> tuple[Path | None, str]:
    """The SDK venv's interpreter, installing it on first use; or None and why not."""
    python = venv_python()
    check = [str(python), "-c", "import msgraph"]
    if python.exists() and subprocess.run(check, capture_output=True, check=False).returncode == 0:
        return python, ""
    try:
        subprocess.run([sys.executable, "-m", "venv", str(python.parent.parent)], check=True,
                       capture_output=True, timeout=300)
        subprocess.run([str(python), "-m", "pip", "install", "-q", PACKAGE], check=True,
                       capture_output=True, timeout=900)
    except (OSError, subprocess.SubprocessError) as error:
        return None, f"{PACKAGE} could not be installed ({type(error).__name__}); skipped"
    return python, ""


def list_with_sdk(python: Path, server: Server, days: int, top: int) -> dict[str, float]:
    start, end = window(server, days)
    fmt = "%Y-%m-%dT%H:%M:%SZ"
    probe = Path(__file__).with_name("sdk_probe.py")
    done = subprocess.run(
        [str(python), str(probe), server.base_url, server.token, start.strftime(fmt),
         end.strftime(fmt), str(top), EVENT_SELECT],
        capture_output=True, text=True, timeout=1800, check=False,
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        tail = " | ".join(done.stderr.strip().splitlines()[-3:])
        raise RuntimeError(f"the SDK listing failed: {tail}")
    result: dict[str, float] = json.loads(lines[-1])
    return result
