"""`driftbot outage ...` and `driftbot notices` (filled in by the outage lifecycle work)."""


def add_commands(sub, with_at, with_db) -> None:
    """Register the operator commands on the top-level subparsers."""
