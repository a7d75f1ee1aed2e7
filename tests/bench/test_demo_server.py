"""The demo's fake Graph runs as a child process and stops with cal365."""

from __future__ import annotations

import httpx

from tests.conftest import DEMO_TODAY
from tui.demo import DemoServer


def test_demo_server_serves_the_demo_tenant_and_stops() -> None:
    demo = DemoServer(DEMO_TODAY)
    try:
        base_url, token = demo.address()
        assert base_url.startswith("http://127.0.0.1:")
        me = httpx.get(f"{base_url}/me", headers={"Authorization": f"Bearer {token}"})
        assert me.status_code == 200
        assert me.json()["userPrincipalName"].startswith("avery.quinn@")
    finally:
        demo.stop()
    assert demo._proc.returncode is not None  # gone once its stdin closed
