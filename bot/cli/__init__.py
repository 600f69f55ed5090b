"""The `driftbot` command (shared/cli-contract.md). `python -m bot` is the same.

A package that imports no adapter and is imported by none: the questions and
reports commands are here, `outage`/`notices` in outage.py, `serve` in
serve.py; what they share in common.py. Each command imports what it needs
when it runs, so `driftbot ask` loads neither a database nor a messenger SDK.
"""
from __future__ import annotations

import argparse
import json
import sys

from bot.cli.common import UsageError, print_json, runtime_for
from bot.config import ConfigError, Settings, load_settings
from bot.content import ContentError
from bot.errors import StorageError


_print_json = print_json


# -- commands ----------------------------------------------------------------

def cmd_classify(args, settings: Settings) -> int:
    rt = runtime_for(args, settings)
    for line in sys.stdin:
        text = line.rstrip("\r\n")
        _print_json(rt.engine.classify(text).as_json())
    return 0


def cmd_intents_examples(args, settings: Settings) -> int:
    from bot.content import load_content

    content = load_content(settings.content_dir)
    for lang, by_intent in content.phrasings.items():
        for intent, texts in by_intent.items():
            for text in texts:
                _print_json({"intent": intent, "text": text, "lang": lang})
    return 0


def cmd_ask(args, settings: Settings) -> int:
    # Only with --db does the answer know the live outages; without it, no database is opened.
    rt = runtime_for(args, settings, with_store=bool(args.db))
    text = " ".join(args.text)
    if text == "-":
        text = sys.stdin.read()
    reply = rt.engine.answer(text, lang=args.lang)
    if args.json:
        _print_json({"intent": reply.intent, "answer": reply.text, "contact": reply.contact, "lang": reply.lang})
    else:
        print(reply.text)
    return 0


def cmd_chat(args, settings: Settings) -> int:
    from bot.adapters.terminal import run_chat

    rt = runtime_for(args, settings, with_store=True)
    return run_chat(rt, user=args.user, unit=args.unit, as_json=args.json, lang=args.lang)


REPORT_COLUMNS = ("id", "created_at", "reporter_name", "unit", "system", "scope", "description", "started_at",
                  "contact", "incident_id", "source")


def report_rows(settings: Settings):
    """Every stored report as `reports export` prints it (the contract's fields), one at a time:
    streamed from the database, so 100 000 reports take no more memory than ten.
    Only the database and the time zone: no engine, so no classifier to load."""
    from bot.cli.common import store_for
    from bot.storage.tables import ReportRow

    _content, tz, store = store_for(settings)

    def iso(value):
        return value.astimezone(tz).isoformat() if value else None

    columns = [getattr(ReportRow, name) for name in REPORT_COLUMNS]
    for row in store.iter_reports(*columns):
        record = dict(zip(REPORT_COLUMNS, row))
        record["created_at"], record["started_at"] = iso(record["created_at"]), iso(record["started_at"])
        yield record


def write_json_list(items, out) -> None:
    """A JSON list written item by item, formatted as json.dump(list, indent=2) would."""
    first = True
    for item in items:
        body = json.dumps(item, ensure_ascii=False, indent=2).replace("\n", "\n  ")
        out.write(("[\n  " if first else ",\n  ") + body)
        first = False
    out.write("[]\n" if first else "\n]\n")


def cmd_reports_export(args, settings: Settings) -> int:
    rows = report_rows(settings)
    if args.format == "csv":
        import csv

        writer = csv.DictWriter(sys.stdout, fieldnames=REPORT_COLUMNS)
        writer.writeheader()
        for row in rows:
            writer.writerow(row)
    else:
        write_json_list(rows, sys.stdout)
    return 0


def cmd_reports_list(args, settings: Settings) -> int:
    for r in report_rows(settings):
        started = r["started_at"][:16] if r["started_at"] else "?"
        # An erased report (bot.retention) has no name any more.
        name = r["reporter_name"] if r["reporter_name"] is not None else "-"
        print(f"#{r['id']:<5} {r['created_at'][:16]}  {r['system']:<14} {r['scope']:<14} {r['unit']:<24} "
              f"{name:<20} start {started}  -> {r['contact']}")
    return 0


# -- parser ------------------------------------------------------------------

def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="driftbot", description="driftbot: the outage routine for TES and Treserva, answering back.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def with_at(p):
        p.add_argument("--at", metavar="TIME", help="the time to act at (ISO 8601; without an offset local time)")
        return p

    def with_db(p):
        p.add_argument("--db", metavar="URL", help="database URL (overrides DRIFTBOT_DATABASE_URL)")
        return p

    p = with_at(sub.add_parser("classify", help="classify questions from standard input, one JSON line each"))
    p.set_defaults(func=cmd_classify)

    p = sub.add_parser("intents", help="about the intents")
    isub = p.add_subparsers(dest="intents_command", required=True, metavar="SUBCOMMAND")
    ip = isub.add_parser("examples", help="print the training phrasings as JSON lines")
    ip.set_defaults(func=cmd_intents_examples)

    p = with_db(with_at(sub.add_parser("ask", help="answer one question (with --db: knowing the live outages)")))
    p.add_argument("--lang", choices=["sv", "en"], help="answer language (default: the question's)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("text", nargs="*", help="the question ('-' reads standard input)")
    p.set_defaults(func=cmd_ask)

    p = with_db(with_at(sub.add_parser("chat", help="a conversation in the terminal")))
    p.add_argument("--user", metavar="NAME", help="your name (prefills reports)")
    p.add_argument("--unit", metavar="UNIT", help="your unit (prefills reports)")
    p.add_argument("--lang", choices=["sv", "en"], help="answer language (default: each message's)")
    p.add_argument("--json", action="store_true", help="one JSON object per bot turn")
    p.set_defaults(func=cmd_chat)

    p = sub.add_parser("reports", help="stored fault reports")
    rsub = p.add_subparsers(dest="reports_command", required=True, metavar="SUBCOMMAND")
    rp = with_db(rsub.add_parser("export", help="every stored report as JSON or CSV"))
    rp.add_argument("--format", choices=["json", "csv"], default="json")
    rp.set_defaults(func=cmd_reports_export)
    rp = with_db(rsub.add_parser("list", help="one line per report"))
    rp.set_defaults(func=cmd_reports_list)

    from bot.cli import audit, outage, retention, serve, web

    retention.add_commands(rsub, with_at, with_db)

    outage.add_commands(sub, with_at, with_db)
    audit.add_commands(sub, with_at, with_db)
    serve.add_commands(sub)
    web.add_commands(sub, with_db)
    return parser


def _one_line(exc: Exception) -> str:
    # A driver's message may span lines (psycopg's does); the contract is one line.
    return " ".join(str(exc).split())


def main(argv: list[str] | None = None, *, install_logging: bool = True) -> int:
    """`install_logging=False`: for a caller that runs commands in its own process (the tests),
    whose logging stays as it set it up."""
    args = _parser().parse_args(argv)
    try:
        settings = load_settings(database_url=getattr(args, "db", None))
        from bot.logs import install
        from bot.cli.common import check_content

        if install_logging:
            install(settings.log_level, settings.log_format)
        check_content(settings.content_dir)
        return args.func(args, settings)
    except StorageError as exc:
        variable = "--db" if getattr(args, "db", None) else "DRIFTBOT_DATABASE_URL"
        print(f"driftbot: configuration error: {variable}: {_one_line(exc)}", file=sys.stderr)
        return 2
    except (ConfigError, ContentError, UsageError) as exc:
        print(f"driftbot: {_one_line(exc)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
