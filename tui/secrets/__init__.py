"""Secrets kept for cal365 by the OS keyring, shared by sign-in and the calendar cache.

`keyring_access` asks the keyring with a deadline; `envelope` keeps one random Fernet key
there per store; `filelock` serializes the read-modify-write of the files those keys seal.
`tui.auth` and `tui.cache` both build on this package and never import each other.

Nothing here imports keyring or cryptography at module level: the demo's start-up path
must not pay for them.
"""
