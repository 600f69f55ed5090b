"""Export benchmark: `driftbot reports export` of 100 000 reports, its time and peak memory.

Creates a SQLite file with N reports (default 100 000: names, units, descriptions of realistic
length, a tenth erased by retention), then runs `driftbot reports export --db FILE` as a process
of its own for each format, writing to /dev/null, and reads its peak resident memory (ru_maxrss of
that one child) and wall time. The goal (issue 12): memory stays flat however many reports there
are (before streaming, about 320 MB at 100 000).

    .venv/bin/python benchmarks/export.py [--reports N] [--formats json,csv] [--checkout DIR] [--keep FILE]

`--checkout DIR` also times another checkout of driftbot (an older commit unpacked with
`git archive`) on a database of the same rows made by that checkout's own schema.
"""
from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
UNITS = ["Hemtjänst Ryd", "Hemtjänst Berga", "Hemtjänst Lambohov", "Nattpatrullen", "Hemtjänst Skäggetorp",
         "Vårdboende Ekholmen", "Hemtjänst Innerstaden", "Korttidsboende Vallastaden"]
SYSTEMS = ["tes", "treserva", "locks", "infrastructure", "other"]
SCOPES = ["single_user", "unit", "multiple_units", "unknown"]
FIRST = ["Anna", "Omar", "Maria", "Per", "Selma", "Hana", "Ali", "Moa", "Karin", "Johan"]
LAST = ["Lind", "Said", "Lopez", "Ek", "Öst", "Suzuki", "Demir", "Lindgren", "Berg", "Nilsson"]
WORDS = "tes loggar ut oss hela tiden appen hänger sig låset öppnar inte treserva går inte att öppna".split()


def make_database(path: Path, reports: int, checkout: Path) -> None:
    """The schema by `checkout`'s own migrations, then N rows through plain SQL (one transaction)."""
    url = f"sqlite:///{path}"
    subprocess.run([sys.executable, "-c", f"from bot.storage import Store; Store.connect({url!r})"],
                   cwd=checkout, check=True, env=_env(checkout))
    import sqlite3

    rng = random.Random(12)
    start = datetime(2026, 1, 1, tzinfo=timezone.utc)
    rows = []
    for i in range(reports):
        created = start + timedelta(minutes=5 * i)
        description = " ".join(rng.choice(WORDS) for _ in range(rng.randint(6, 30)))
        rows.append((created.strftime("%Y-%m-%d %H:%M:%S.%f"), "slack", f"U{rng.randint(1, 5000):05d}",
                     f"{rng.choice(FIRST)} {rng.choice(LAST)}", rng.choice(UNITS), rng.choice(SYSTEMS),
                     rng.choice(SCOPES), description, (created - timedelta(minutes=30)).strftime("%Y-%m-%d %H:%M:%S.%f"),
                     rng.choice(["anvandarstod", "lkdata"]), "sv"))
    with sqlite3.connect(path) as db:
        db.executemany("INSERT INTO reports (created_at, source, user_id, reporter_name, unit, system, scope, "
                       "description, started_at, contact, lang) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)


def _env(checkout: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DRIFTBOT_", "SLACK_"))}
    env["PYTHONPATH"] = str(checkout)
    return env


def measure(path: Path, fmt: str, checkout: Path) -> tuple[float, float, int]:
    """(seconds, peak RSS in MB, bytes written) of one `reports export` process."""
    with tempfile.TemporaryFile() as out:
        started = time.monotonic()
        process = subprocess.Popen([sys.executable, "-m", "bot", "reports", "export", "--db", f"sqlite:///{path}",
                                    "--format", fmt], cwd=checkout, env=_env(checkout), stdout=out,
                                   stderr=subprocess.PIPE)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.monotonic() - started
        if os.waitstatus_to_exitcode(status) != 0:
            raise SystemExit(f"export failed: {process.stderr.read().decode()[-2000:]}")
        size = out.tell()
    return seconds, usage.ru_maxrss / 1024, size


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=100_000)
    parser.add_argument("--formats", default="json,csv")
    parser.add_argument("--checkout", type=Path, help="also measure this checkout of driftbot")
    parser.add_argument("--keep", type=Path, help="keep this checkout's database here")
    args = parser.parse_args()
    checkouts = [("this checkout", ROOT)] + ([(str(args.checkout), args.checkout.resolve())] if args.checkout else [])
    print(f"# reports export: {args.reports} reports, SQLite\n")
    print("| checkout | format | time (s) | peak RSS (MB) | output (MB) |")
    print("|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        for label, checkout in checkouts:
            path = args.keep if (args.keep and checkout == ROOT) else Path(tmp) / f"export-{len(label)}.db"
            path.unlink(missing_ok=True)
            make_database(path, args.reports, checkout)
            for fmt in args.formats.split(","):
                seconds, peak, size = measure(path, fmt, checkout)
                print(f"| {label} | {fmt} | {seconds:.1f} | {peak:.0f} | {size / 1e6:.1f} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
