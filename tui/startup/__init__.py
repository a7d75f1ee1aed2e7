"""Everything cal365 does to start fast, in one place.

Nothing is imported here: `tui.fake.child` forks through `tui.startup.forking`, and the
warm start's first frame must load no more than it needs (tests/test_architecture.py).
"""
