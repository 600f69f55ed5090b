"""Errors that end a command with one clear line (kept import-light for start-up)."""


class StorageError(Exception):
    """The database cannot be reached or prepared. str() is one line."""
