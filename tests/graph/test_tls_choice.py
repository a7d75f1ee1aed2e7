"""Which TLS trust a client carries: the system's for https Graph; none for loopback HTTP."""

from __future__ import annotations

import ssl

from tui.graph import GraphClient


def test_a_plain_http_client_trusts_no_certificate() -> None:
    client = GraphClient("http://127.0.0.1:8080/v1.0", "token")
    assert client.transport.tls is not None
    context = client.transport.tls.result(timeout=5)
    # Verification on, and nothing to verify against: any https link it was handed fails.
    assert context.verify_mode == ssl.CERT_REQUIRED
    assert context.check_hostname
    assert context.get_ca_certs() == []


def test_an_https_client_loads_the_trust_store() -> None:
    client = GraphClient("https://graph.microsoft.com/v1.0", "token")
    assert client.transport.tls is not None
    context = client.transport.tls.result(timeout=30)
    assert context.verify_mode == ssl.CERT_REQUIRED
    assert context.check_hostname
    assert context.cert_store_stats()["x509_ca"] > 0
