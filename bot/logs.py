"""Logging for every command: one format, and no message bodies at any level.

Every record is cleaned as it is made (a record factory), so every handler
sees the same clean record, ours and any other (pytest's caplog included):

- an exception is logged as its type and its traceback's frames (file, line,
  function), never its message: an IntegrityError's message holds the bound
  values (names, descriptions), a Slack error the response body, an engine
  failure whatever the person wrote;
- slack_sdk logs whole request and response bodies at DEBUG (what a person
  wrote, the answer, a report's description), and Bolt's warnings may quote a
  payload; so may the Agents SDK's (Teams). Their records are cut before the
  body, and a filter on the handler drops their DEBUG records altogether.
"""
from __future__ import annotations

import logging
import sys
import traceback

# The Slack libraries, and the loggers driftbot hands them; the Microsoft 365 Agents SDK and MSAL
# (which log activities and token requests the same way) get the same treatment.
SLACK_LOGGERS = ("slack_sdk", "slack_bolt", "bot.adapters.slack.web", "bot.adapters.slack.bolt",
                 "bot.adapters.slack.socket", "bot.adapters.slack.startup", "microsoft_agents", "msal")
# Where a body starts in their messages ("received a response": slack_sdk quoting a non-JSON answer).
_BODY_MARKS = ("{", "body", "payload", "text=", "received a response")
OMITTED = "(details omitted: they may hold what a person wrote)"


def _is_slack(name: str) -> bool:
    return any(name == prefix or name.startswith(prefix + ".") for prefix in SLACK_LOGGERS)


def safe_traceback(exc: BaseException) -> str:
    """The exception's type and frames, and those of the exceptions it came from; no messages, no locals."""
    parts = []
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        # walk_tb, not extract_tb: the frame's file, line and function, without reading the source.
        frames = "".join(f'  File "{frame.f_code.co_filename}", line {line}, in {frame.f_code.co_name}\n'
                         for frame, line in traceback.walk_tb(exc.__traceback__))
        kind = type(exc).__qualname__ if type(exc).__module__ == "builtins" else \
            f"{type(exc).__module__}.{type(exc).__qualname__}"
        parts.append(f"Traceback (most recent call last):\n{frames}{kind} (message omitted)")
        exc = exc.__cause__ or (None if exc.__suppress_context__ else exc.__context__)
    return "\n\nThe above led to:\n\n".join(reversed(parts))


def clean(record: logging.LogRecord) -> logging.LogRecord:
    """`record` without anything a person may have written (see the module docstring)."""
    if record.exc_info and record.exc_info[1] is not None:
        # Formatters print exc_text when there is no exc_info: the safe text takes the traceback's place.
        record.exc_text = safe_traceback(record.exc_info[1])
    record.exc_info = None
    if _is_slack(record.name) and record.levelno < logging.INFO:  # a body as often as not
        record.msg, record.args = OMITTED, ()
    elif _is_slack(record.name):
        message = record.getMessage()
        lowered = message.lower()
        cut = min((lowered.index(mark) for mark in _BODY_MARKS if mark in lowered), default=None)
        if cut is not None:
            record.msg, record.args = f"{message[:cut].rstrip(' (:-,')} {OMITTED}", ()
    return record


_make_record = logging.getLogRecordFactory()


def _clean_record(*args, **kwargs) -> logging.LogRecord:
    return clean(_make_record(*args, **kwargs))


class NoMessageBodies(logging.Filter):
    """The Slack libraries' DEBUG records: cleaned to nothing but noise, so dropped."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (_is_slack(record.name) and record.levelno < logging.INFO)


# A LogRecord's own attributes; anything else on a record came as `extra=` and is a field.
_STANDARD = frozenset(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime", "taskName"}


class JSONFormatter(logging.Formatter):
    """One JSON object per line (DRIFTBOT_LOG_FORMAT=json), for a log collector:

        {"at": "2026-11-26T10:00:00.123+01:00", "level": "INFO", "logger": "bot.outages.outbox",
         "message": "delivered notice 7 (reply, post to reply)", "thread": "outbox", ...}

    with each `extra=` field of the call as a key of its own, and an exception as "exc" (its
    type and frames). The record was cleaned as it was made, and the same filter as for text
    runs first: no message bodies.
    """

    def format(self, record: logging.LogRecord) -> str:
        import json
        from datetime import datetime

        out = {"at": datetime.fromtimestamp(record.created).astimezone().isoformat(timespec="milliseconds"),
               "level": record.levelname, "logger": record.name, "message": record.getMessage(),
               "thread": record.threadName}
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                out[key] = value if isinstance(value, (str, int, float, bool, type(None))) else str(value)
        if record.exc_text:  # the safe traceback clean() left
            out["exc"] = record.exc_text
        return json.dumps(out, ensure_ascii=False)


def install(level: str, format: str = "text") -> None:
    """Log to standard error at `level` (DRIFTBOT_LOG_LEVEL) as text or JSON lines
    (DRIFTBOT_LOG_FORMAT), bodies filtered out."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JSONFormatter() if format == "json"
                         else logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(NoMessageBodies())
    logging.setLogRecordFactory(_clean_record)
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
