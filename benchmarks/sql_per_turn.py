"""SQL per DM turn: the statements, transactions and connection checkouts one direct message costs.

`driftbot serve` runs in this process (HTTP mode, against the fake Slack Web API,
tests/fakeslack.py); SQLAlchemy's class-level events count what every engine does. Each DM is
sent signed, one at a time, and counted until its answer is posted and the server is quiet
again, so the counts are the turn's alone (the outbox worker's periodic pass is set far apart).

    .venv/bin/python benchmarks/sql_per_turn.py [--db URL] [--messages N] [--show]

`--show` prints every statement of the last turn. The burst benchmark (benchmarks/burst.py)
says what the time costs; this says where the round trips are.
"""
from __future__ import annotations

import argparse
import collections
import json
import os
import signal
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from burst import AT, BOT_TOKEN, QUESTIONS, SIGNING_SECRET, _dm, _signed_event, person_name  # noqa: E402

# The report conversation of the burst benchmark's second part, then questions in a known outage.
REPORT_TURNS = ["jag vill göra en felanmälan: TES går inte att öppna för någon på enheten sedan kl 8, "
                "jag är på Hemtjänst Ryd", "ja", "ja"]


class Counter:
    def __init__(self):
        self.lock = threading.Lock()
        self.reset()

    def reset(self):
        with self.lock:
            self.statements: list[str] = []
            self.begins = 0
            self.checkouts = 0

    def snapshot(self):
        with self.lock:
            return list(self.statements), self.begins, self.checkouts


def install(counter: Counter) -> None:
    from sqlalchemy import event
    from sqlalchemy.engine import Engine
    from sqlalchemy.pool import Pool

    @event.listens_for(Engine, "before_cursor_execute")
    def _statement(conn, cursor, statement, parameters, context, executemany):
        with counter.lock:
            counter.statements.append(" ".join(statement.split()))

    @event.listens_for(Engine, "begin")
    def _begin(conn):
        with counter.lock:
            counter.begins += 1

    @event.listens_for(Pool, "checkout")
    def _checkout(dbapi_connection, record, proxy):
        with counter.lock:
            counter.checkouts += 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", help="database URL (default: a fresh SQLite file); PostgreSQL: an empty database")
    parser.add_argument("--messages", type=int, default=12, help="questions counted (default 12)")
    parser.add_argument("--show", action="store_true", help="print the statements of the last question")
    args = parser.parse_args(argv)

    import fakeslack

    fake = fakeslack.FakeSlack(bot_token=BOT_TOKEN).start()
    tmp = tempfile.TemporaryDirectory(prefix="driftbot-sql-")
    db_url = args.db or f"sqlite:///{tmp.name}/driftbot.db"
    for key in [k for k in os.environ if k.startswith(("DRIFTBOT_", "SLACK_"))]:
        del os.environ[key]
    os.environ.update({"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_SIGNING_SECRET": SIGNING_SECRET,
                       "DRIFTBOT_SLACK_API_URL": fake.base_url, "DRIFTBOT_BROADCAST_CHANNEL": "CBROADCAST",
                       "DRIFTBOT_SUPPORT_CHANNEL": "CSUPPORT", "DRIFTBOT_DATABASE_URL": db_url,
                       "DRIFTBOT_LOG_LEVEL": "WARNING"})
    counter = Counter()
    install(counter)
    ports: list[int] = []
    real_stderr = sys.stderr

    class Tee:
        def write(self, text):
            if "serving Slack over HTTP on 127.0.0.1:" in text:
                ports.append(int(text.split("127.0.0.1:")[1].split()[0]))
            return real_stderr.write(text)

        def flush(self):
            real_stderr.flush()

    sys.stderr = Tee()
    results: dict = {}

    def drive():
        deadline = time.monotonic() + 60
        while not ports and time.monotonic() < deadline:
            time.sleep(0.05)
        port = ports[0]
        user = "USQL001"
        fake.add_user(user, person_name(0))

        def turn(text: str) -> tuple[list[str], int, int]:
            before = len(fake.messages("D" + user))
            counter.reset()
            body, headers = _signed_event(_dm(user, text))
            request = urllib.request.Request(f"http://127.0.0.1:{port}/slack/events", data=body, headers=headers)
            urllib.request.urlopen(request, timeout=10).read()
            end = time.monotonic() + 10
            while len(fake.messages("D" + user)) <= before and time.monotonic() < end:
                time.sleep(0.01)
            # Quiet: no statement for a while (the turn's writes after its post, the outbox's marks).
            last, quiet_since = -1, time.monotonic()
            while time.monotonic() - quiet_since < 0.3:
                now = len(counter.snapshot()[0])
                if now != last:
                    last, quiet_since = now, time.monotonic()
                time.sleep(0.02)
            return counter.snapshot()

        for k in range(3):  # warm-up: caches, the first state row
            turn(QUESTIONS[k % len(QUESTIONS)])
        rows = []
        for k in range(args.messages):
            rows.append(turn(QUESTIONS[k % len(QUESTIONS)]))
        results["questions"] = rows
        results["report"] = [turn(text) for text in REPORT_TURNS]
        results["known"] = [turn(QUESTIONS[k % len(QUESTIONS)]) for k in range(3)]
        os.kill(os.getpid(), signal.SIGTERM)

    threading.Thread(target=drive, daemon=True).start()
    from bot.adapters.slack.serve import serve
    from bot.config import Settings

    try:
        serve(Settings.model_validate(dict(os.environ)), port=0, host="127.0.0.1", at=AT, outbox_interval=3600)
    finally:
        sys.stderr = real_stderr
        fake.stop()
        tmp.cleanup()

    def summary(rows):
        statements = [len(r[0]) for r in rows]
        kinds = collections.Counter(s.split()[0].upper() for r in rows for s in r[0])
        return {"turns": len(rows), "statements": sum(statements) / len(rows), "min": min(statements),
                "max": max(statements), "transactions": sum(r[1] for r in rows) / len(rows),
                "checkouts": sum(r[2] for r in rows) / len(rows),
                "by_kind": {k: round(v / len(rows), 1) for k, v in kinds.most_common()}}

    out = {"db": db_url.split("://")[0], "question": summary(results["questions"]),
           "report": summary(results["report"]), "question_in_outage": summary(results["known"])}
    print(json.dumps(out, indent=2))
    if args.show:
        for statement in results["questions"][-1][0]:
            print(statement[:160])
    return 0


if __name__ == "__main__":
    sys.exit(main())
