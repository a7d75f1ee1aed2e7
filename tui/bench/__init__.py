"""cal365's benchmark suite: `python -m tui.bench [--quick] [--json]`.

Each scenario measures what a user feels (start-up, big windows, listing, bytes over a pty)
against the fake Graph over loopback HTTP, repeated, with ratios taken within the same run.
"""
