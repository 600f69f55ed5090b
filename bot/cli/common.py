"""What every command module shares: JSON lines out, the runtime for a command, usage errors."""
from __future__ import annotations

import json
import sys

from bot.config import Settings
from bot.errors import UsageError

__all__ = ["UsageError", "print_json", "runtime_for", "store_for", "local_time"]


def print_json(obj) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def check_content(directory):
    """Every content file, validated, as every command does at start: the routine's own and the
    notices', the Slack app's and the Teams bot's texts, so that a mistake in any is one line now,
    not a failure later. (Here, not in bot.runtime: the core knows no channel.)"""
    from bot.adapters.slack.texts import load_slack_texts
    from bot.adapters.teams.texts import load_teams_texts
    from bot.content import load_content
    from bot.outages.texts import load_notice_texts
    from bot.status.texts import load_status_texts

    content = load_content(directory)
    load_notice_texts(content)
    load_status_texts(content)
    load_slack_texts(content.directory, content.default_lang)
    load_teams_texts(content.directory, content.default_lang)
    return content


def runtime_for(args, settings: Settings, with_store: bool = False):
    """The assembled parts for a command; a bad --at is a usage error."""
    from bot.runtime import build

    try:
        return build(settings, at=getattr(args, "at", None), with_store=with_store)
    except ValueError as exc:
        raise UsageError(f"--at: {exc}") from None


def store_for(settings: Settings):
    """(content, time zone, store) for a command that only reads or writes the database: no
    engine, so no classifier to load."""
    from bot.content import load_content
    from bot.runtime import zone
    from bot.storage import Store

    content = load_content(settings.content_dir)
    return content, zone(settings, content), Store.connect(settings.database_url)


def local_time(value: str | None, flag: str, tz):
    """A time given on the command line (ISO 8601; without an offset local time), or None."""
    from bot.clock import parse_at

    if value is None:
        return None
    try:
        return parse_at(value, tz)
    except ValueError as exc:
        raise UsageError(f"{flag}: {exc}") from None


def now_at(args, tz):
    """--at, or now: the one place a read-only command asks the clock."""
    from bot.clock import SystemClock

    return local_time(getattr(args, "at", None), "--at", tz) or SystemClock(tz).now()
