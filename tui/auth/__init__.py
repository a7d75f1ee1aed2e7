"""Signing in to Microsoft Entra ID and keeping the tokens safe.

Nothing here imports msal, keyring or cryptography at module level: the demo's start-up
path must not pay for them. Each module imports them inside the functions that need them.
"""
