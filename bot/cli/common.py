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


_STAMPS_KEPT = 8


def check_content(directory):
    """Every content file, validated, as every command does at start: the routine's own and the
    notices', the Slack app's and the Teams bot's texts, so that a mistake in any is one line now,
    not a failure later. (Here, not in bot.runtime: the core knows no channel.)

    A folder that passed once, unchanged since (names, times and sizes of its files, and the
    loaders' code), is not validated again: an empty stamp file in the cache folder says so, and
    saves `driftbot ask` a tenth of a second (mostly the import of the channels' text models). Any
    edit of driftbot's own code validates again too, since the loaders' rules live there."""
    from pathlib import Path

    from bot.content import BUILTIN_CONTENT_DIR, ContentError, cache_file, folder_key, load_content

    root = Path(directory) if directory else BUILTIN_CONTENT_DIR
    if not root.is_dir():
        raise ContentError(f"content folder not found: {root}")
    package = Path(__file__).resolve().parent.parent
    code = sorted((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in package.rglob("*.py"))
    stamp = cache_file("validated", (folder_key(root), tuple(code)), suffix=".ok")
    if stamp.exists():
        return load_content(directory)
    content = _validate_all(directory)
    try:
        stamp.parent.mkdir(parents=True, exist_ok=True)
        stamp.touch()
        old = sorted(stamp.parent.glob("validated-*.ok"), key=lambda p: p.stat().st_mtime, reverse=True)
        for stale in old[_STAMPS_KEPT:]:
            stale.unlink(missing_ok=True)
    except OSError:
        pass  # a read-only home: validated every time, nothing lost
    return content


def _validate_all(directory):
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
