"""Report-conversation benchmark: do realistic conversations end with the right report stored?

Each conversation (benchmarks/reports_*.yaml; the format is in the set's
header or benchmarks/RESULTS.md) is played against the engine in process, with
a real SQLite store: the opening messages, then the simulated person answers
each question with their answer for the field the bot asks for (`awaiting`),
sending a scripted deviation the first time a field is asked where the set
says so. It ends when a report is stored, or after MAX_TURNS. Reported: the
share stored right (every cancelled one with none), questions asked per
completed report (median, max), and the conversations that looped (the same
question more than twice in a row).

    python benchmarks/reports.py benchmarks/reports_a.yaml [--errors]
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.clock import FixedClock, parse_at  # noqa: E402
from bot.content import load_content  # noqa: E402
from bot.engine import Engine  # noqa: E402
from bot.messages import Message  # noqa: E402
from bot.outages.service import OutageService  # noqa: E402
from bot.runtime import build_classifier  # noqa: E402
from bot.storage import Store  # noqa: E402
from tables import share_table  # noqa: E402 (benchmarks/tables.py, beside this script)

MAX_TURNS = 25


def play(content, classifier, convo: dict, workdir: Path) -> dict:
    """Run one conversation; returns the stored reports, the turns and what went wrong on the way."""
    tz = content.tz
    store = Store.connect(f"sqlite:///{workdir / (convo['id'] + '.db')}")
    clock = FixedClock(parse_at(convo["at"], tz), tz)
    engine = Engine(content, classifier, clock, store=store, outages=OutageService(store, content, clock))
    user = f"bench-{convo['id']}"
    answers = convo.get("answers") or {}
    deviations = {d["when"]: d["say"] for d in convo.get("deviations") or []}
    asked: dict[str, int] = defaultdict(int)
    transcript: list[tuple[str, str]] = []
    questions = 0
    looped = False
    run = [None, 0]  # the field asked last, and how many times in a row

    def say(text: str):
        replies = engine.handle(Message(text=text, user_id=user, source="bench", user_name=convo.get("profile_name")))
        transcript.append(("user", text))
        transcript.extend(("bot", r.text) for r in replies)
        return replies

    replies = []
    for text in convo.get("opening") or []:
        replies = say(text)
    for _ in range(MAX_TURNS):
        if store.reports() or not replies:
            break
        awaiting = next((r.awaiting for r in reversed(replies) if r.awaiting), None)
        if awaiting is None and not any(r.options for r in replies):
            break  # the bot asks for nothing: the conversation is over
        field = awaiting or "other"
        questions += 1
        run = [field, run[1] + 1] if run[0] == field else [field, 1]
        looped = looped or run[1] > 2
        if field in deviations and asked[field] == 0:
            text = deviations.pop(field)
        else:
            answer = answers.get(field, "ja" if field in ("other", "confirm") else "vet inte")
            if isinstance(answer, list):
                answer = answer[min(asked[field], len(answer) - 1)]
            text = str(answer)
        asked[field] += 1
        replies = say(text)
    reports = store.reports()
    store.engine.dispose()
    return {"reports": reports, "transcript": transcript, "questions": questions, "looped": looped}


def judge(convo: dict, reports, tz) -> list[str]:
    expect = convo.get("expect")
    if expect is None:
        return [f"stored {len(reports)} report(s), expected none"] if reports else []
    if not reports:
        return ["no report stored"]
    problems = []
    systems = expect.get("system")
    want_systems = set(systems) if isinstance(systems, list) else {systems}
    got_systems = {r.system for r in reports}
    if systems is not None and got_systems != want_systems:
        problems.append(f"system {sorted(got_systems)} != {sorted(want_systems)}")
    report = reports[0]
    for field in ("reporter_name", "unit", "scope"):
        if field in expect and (getattr(report, field) or "").strip().casefold() != str(expect[field]).strip().casefold():
            problems.append(f"{field} {getattr(report, field)!r} != {expect[field]!r}")
    for word in expect.get("description_contains") or []:
        if word.casefold() not in (report.description or "").casefold():
            problems.append(f"description lacks {word!r}: {report.description!r}")
    if "started_at" in expect:
        want = expect["started_at"]
        got = report.started_at.astimezone(tz) if report.started_at else None
        if want is None and got is not None:
            problems.append(f"started_at {got:%H:%M}, expected none")
        elif want is not None:
            fmt = "%Y-%m-%dT%H:%M" if "T" in str(want) else "%H:%M"
            if got is None or got.strftime(fmt) != str(want):
                problems.append(f"started_at {got.strftime(fmt) if got else None} != {want}")
    for text in convo.get("forbid") or []:
        for r in reports:
            if any(text in str(getattr(r, f) or "") for f in ("reporter_name", "unit", "description")):
                problems.append(f"stored {text!r}")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("--errors", action="store_true", help="print every wrong conversation with its transcript")
    args = parser.parse_args()
    content = load_content()
    classifier = build_classifier(content)
    for path in args.files:
        convos = yaml.safe_load(path.read_text(encoding="utf-8"))
        by_category: dict[str, list[bool]] = defaultdict(list)
        questions, loops, wrong = [], [], []
        with tempfile.TemporaryDirectory() as tmp:
            for convo in convos:
                result = play(content, classifier, convo, Path(tmp))
                problems = judge(convo, result["reports"], content.tz)
                by_category[convo.get("category", "-")].append(not problems)
                if result["reports"] and convo.get("expect") is not None:
                    questions.append(result["questions"])
                if result["looped"]:
                    loops.append(convo["id"])
                if problems:
                    wrong.append((convo, problems, result))
        total = sum(len(v) for v in by_category.values())
        right = total - len(wrong)
        print(f"## {path.name}: {right}/{total} right ({100 * right / max(1, total):.1f}%)\n")
        if questions:
            print(f"Questions per completed report: median {statistics.median(questions):g}, max {max(questions)}.")
        print(f"Looped (same question more than twice in a row): {len(loops)} {' '.join(loops)}\n")
        print(share_table("category", by_category) + "\n")
        if args.errors:
            for convo, problems, result in wrong:
                print(f"### {convo['id']} ({convo.get('category')})")
                print("- " + "\n- ".join(problems))
                print("\n```")
                for who, text in result["transcript"]:
                    print(("> " if who == "user" else "  ") + text.replace("\n", "\n  "))
                print("```\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
