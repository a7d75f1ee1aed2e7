"""`python -m tui.fake`: one line on stdout, serves, exits cleanly on SIGTERM/SIGINT."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
LINE = re.compile(r"^cal365 fake Graph at (http://127\.0\.0\.1:(\d+)/v1\.0) token=(\S+)$")


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_module_prints_one_line_and_serves(sig: signal.Signals) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(
        [sys.executable, "-m", "tui.fake", "--port", "0", "--today", "2026-11-23"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline().rstrip("\n")
        match = LINE.match(line)
        assert match, line
        base, port, token = match.groups()
        assert int(port) > 0
        response = httpx.get(f"{base}/me", headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 200
        assert response.json()["displayName"] == "Avery Quinn"
        view = httpx.get(f"{base}/me/calendarView?startDateTime=2026-11-23&endDateTime=2026-11-24",
                         headers={"Authorization": f"Bearer {token}"})
        assert view.status_code == 200 and view.json()["value"]
        process.send_signal(sig)
        out, err = process.communicate(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 0
    assert out == ""
    assert "Traceback" not in err


def test_faults_and_meetings_can_be_asked_for_on_the_command_line() -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(
        [sys.executable, "-m", "tui.fake", "--today", "2026-11-23", "--meetings", "30",
         "--faults", "throttle=1"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        assert process.stdout is not None
        match = LINE.match(process.stdout.readline().rstrip("\n"))
        assert match
        base, _, token = match.groups()
        response = httpx.get(f"{base}/me", headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 429 and response.headers["Retry-After"]
        process.send_signal(signal.SIGTERM)
        process.communicate(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 0


def test_a_bad_fault_spec_is_a_usage_error() -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run([sys.executable, "-m", "tui.fake", "--faults", "gremlins=0.5"],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=30)
    assert result.returncode == 2
    assert "--faults: 'gremlins=0.5': expected kind=probability" in result.stderr
    assert "Traceback" not in result.stderr


def test_fault_specs_parse() -> None:
    from tui.fake.faults import parse_spec

    faults = parse_spec("throttle=0.05, latency=0.2@0.3,reset_after=0")
    assert [(f.kind, f.probability, f.times) for f in faults] == [
        ("throttle", 0.05, None), ("latency", 0.2, None), ("reset_after", 0.0, None)]
    assert faults[1].seconds == 0.3
    for bad in ("throttle", "throttle=x", "throttle=2", "latency=0.1@-1"):
        with pytest.raises(ValueError):
            parse_spec(bad)
