"""`driftbot serve` (filled in by the Slack adapter work)."""


def add_commands(sub) -> None:
    """Register `serve` on the top-level subparsers."""
