"""Logging for every command: one format, and no message bodies at any level.

slack_sdk logs whole request and response bodies at DEBUG (what a person
wrote, the answer, a report's description), and Bolt's warnings may quote a
payload; so may the Agents SDK's (Teams). A filter on the handler (so it sees every logger's records, however
they propagate) drops the Slack libraries' DEBUG records and cuts a body out
of anything else they log.
"""
from __future__ import annotations

import logging
import sys

# The Slack libraries, and the loggers driftbot hands them; the Microsoft 365 Agents SDK and MSAL
# (which log activities and token requests the same way) get the same treatment.
SLACK_LOGGERS = ("slack_sdk", "slack_bolt", "bot.adapters.slack.web", "bot.adapters.slack.bolt",
                 "bot.adapters.slack.socket", "bot.adapters.slack.startup", "microsoft_agents", "msal")
_BODY_MARKS = ("{", "body", "payload", "text=")
OMITTED = "(details omitted: they may hold what a person wrote)"


def _is_slack(name: str) -> bool:
    return any(name == prefix or name.startswith(prefix + ".") for prefix in SLACK_LOGGERS)


class NoMessageBodies(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if not _is_slack(record.name):
            return True
        if record.levelno < logging.INFO:
            return False
        message = record.getMessage()
        lowered = message.lower()
        cut = min((lowered.index(mark) for mark in _BODY_MARKS if mark in lowered), default=None)
        if cut is not None or record.exc_info:
            record.msg = f"{message[:cut].rstrip(' (:-,')} {OMITTED}" if cut is not None else message
            record.args = ()
            # A traceback's exception text may quote the payload too.
            record.exc_info, record.exc_text, record.stack_info = None, None, None
        return True


# A LogRecord's own attributes; anything else on a record came as `extra=` and is a field.
_STANDARD = frozenset(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime", "taskName"}


class JSONFormatter(logging.Formatter):
    """One JSON object per line (DRIFTBOT_LOG_FORMAT=json), for a log collector:

        {"at": "2026-11-26T10:00:00.123+01:00", "level": "INFO", "logger": "bot.outages.outbox",
         "message": "delivered notice 7 (reply, post to reply)", "thread": "outbox", ...}

    with each `extra=` field of the call as a key of its own, and an exception as "exc" (its
    type and traceback). The same filter as for text runs first: no message bodies.
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
        if record.exc_info:
            out["exc"] = self.formatException(record.exc_info)
        return json.dumps(out, ensure_ascii=False)


def install(level: str, format: str = "text") -> None:
    """Log to standard error at `level` (DRIFTBOT_LOG_LEVEL) as text or JSON lines
    (DRIFTBOT_LOG_FORMAT), bodies filtered out."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JSONFormatter() if format == "json"
                         else logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(NoMessageBodies())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
