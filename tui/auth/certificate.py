"""An app-only certificate credential, in the shape MSAL takes."""

from __future__ import annotations

import os
from pathlib import Path

from tui.auth.errors import SignInFailed


def load_credential(path_text: str) -> dict[str, str]:
    """A PEM file holding the private key and its certificate, or a PKCS#12 (.pfx/.p12) file.

    The passphrase, if any, comes from CAL365_CLIENT_CERTIFICATE_PASSWORD.
    """
    path = Path(path_text).expanduser()
    passphrase = os.environ.get("CAL365_CLIENT_CERTIFICATE_PASSWORD") or None
    if path.suffix.lower() in (".pfx", ".p12"):
        if not path.is_file():
            raise SignInFailed(f"certificate file not found: {path}")
        credential = {"private_key_pfx_path": str(path)}
        if passphrase:
            credential["passphrase"] = passphrase
        return credential
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization

    try:
        data = path.read_bytes()
        certificate = x509.load_pem_x509_certificate(data)
        key = serialization.load_pem_private_key(
            data, password=passphrase.encode() if passphrase else None
        )
    except (OSError, ValueError, TypeError) as exc:
        raise SignInFailed(
            f"cannot use certificate {path}: it must hold a PEM private key and its certificate "
            f"({type(exc).__name__})"
        ) from None
    from cryptography.hazmat.primitives.asymmetric import rsa

    if not isinstance(key, rsa.RSAPrivateKey):
        raise SignInFailed(f"cannot use certificate {path}: Microsoft Entra ID needs an RSA key")
    key_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode("ascii")
    return {
        "private_key": key_pem,
        "thumbprint": certificate.fingerprint(hashes.SHA1()).hex(),
        "public_certificate": certificate.public_bytes(serialization.Encoding.PEM).decode(),
    }
