from tests.cli.conftest import home, no_waits, run_cli

__all__ = ["home", "no_waits", "run_cli"]
