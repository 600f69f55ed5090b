"""Errors that end a command with one clear line (kept import-light for start-up).

All of them live here, so that the CLI, the services and every channel catch the same
classes: configuration, content, storage and usage. (bot.config and bot.content re-export
theirs under the names they always had.)
"""


class ConfigError(Exception):
    """A variable is missing or malformed. str() is one line naming the variable."""


class ContentError(Exception):
    """A content file is missing, unreadable or invalid. str() is one line."""


class StorageError(Exception):
    """The database cannot be reached or prepared. str() is one line."""


def is_storage_failure(exc: BaseException) -> bool:
    """Whether an exception means the database could not be used (down, unreachable, pool exhausted).

    Not a constraint violation: that is the database working, and a caller's retry or a bug.
    """
    from sqlalchemy.exc import DBAPIError, IntegrityError
    from sqlalchemy.exc import TimeoutError as PoolTimeout

    if isinstance(exc, StorageError | PoolTimeout):
        return True
    return isinstance(exc, DBAPIError) and not isinstance(exc, IntegrityError)


class UsageError(Exception):
    """A bad flag value: printed as one line, exit 2."""
