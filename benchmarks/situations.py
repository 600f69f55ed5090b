"""Situations benchmark: is the answer right for the writer's situation?

Each situation (benchmarks/situations_*.yaml, format in the file's header or
benchmarks/RESULTS.md) is a moment, the outages known then, and one message;
the answer must contain every `must` pattern, its first two lines every `lead`
pattern, and no `must_not` pattern. The message goes through the engine as in
a chat (a fresh conversation, a real SQLite database holding the live state),
so a needless "did you mean?" fails like a wrong answer.

    python benchmarks/situations.py benchmarks/situations_b.yaml [--errors]
"""
from __future__ import annotations

import argparse
import re
import sys
import tempfile
from collections import defaultdict
from datetime import datetime, timedelta
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
from bot.storage.tables import ReportRow  # noqa: E402
from tables import share_table  # noqa: E402 (benchmarks/tables.py, beside this script)

_MARKUP = re.compile(r"[*_`]")


def set_up_state(store: Store, content, tz, state: list[dict], at) -> None:
    """Create the outages (and their joined reports) the situation says are known."""
    for n, item in enumerate(state or []):
        start = parse_at(item["start"], tz)
        end = parse_at(item["end"], tz) if item.get("end") else None
        clock = FixedClock(start, tz)
        service = OutageService(store, content, clock)
        if item.get("kind", "unplanned") == "planned":
            announced = min(start, at) - timedelta(days=2)  # announced before anyone asks
            clock.set(announced)
            service.plan(item["system"], start, end or start + timedelta(hours=2), at=announced)
            continue
        view = service.start(item["system"], at=start)
        with store.session.begin() as s:
            for i in range(int(item.get("reports") or 0)):
                s.add(ReportRow(created_at=start + timedelta(minutes=i), source="bench", user_id=f"u{n}-{i}",
                                reporter_name="Bench", unit="Hemtjänst Ryd", system=item["system"],
                                scope="unit", description="-", started_at=start, contact="lkdata",
                                incident_id=view.id))
        if end is not None:
            clock.set(end)
            service.resolve(item["system"], at=end)


def answer(content, classifier, situation: dict, workdir: Path) -> str:
    tz = content.tz
    db = workdir / f"{situation['id']}.db"
    store = Store.connect(f"sqlite:///{db}")
    at = parse_at(situation["at"], tz)
    set_up_state(store, content, tz, situation.get("state") or [], at)
    clock = FixedClock(at, tz)
    outages = OutageService(store, content, clock)
    engine = Engine(content, classifier, clock, store=store, outages=outages)
    message = Message(text=situation["message"], user_id=f"bench-{situation['id']}", source="bench")
    replies = engine.handle(message)
    store.engine.dispose()
    intents = ",".join(str(r.intent) for r in replies)
    return "\n".join(r.text for r in replies), intents


def judge(situation: dict, text: str) -> list[str]:
    """The reasons the answer is wrong (empty: right)."""
    plain = _MARKUP.sub("", text)
    lead = "\n".join(plain.strip().splitlines()[:2])
    flags = re.IGNORECASE
    problems = [f"missing {p!r}" for p in situation.get("must") or [] if not re.search(p, plain, flags)]
    problems += [f"lead lacks {p!r}" for p in situation.get("lead") or [] if not re.search(p, lead, flags)]
    problems += [f"has {p!r}" for p in situation.get("must_not") or [] if re.search(p, plain, flags)]
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("--errors", action="store_true", help="list every wrong answer with its text")
    args = parser.parse_args()
    content = load_content()
    classifier = build_classifier(content)
    for path in args.files:
        situations = yaml.safe_load(path.read_text(encoding="utf-8"))
        by_category: dict[str, list[bool]] = defaultdict(list)
        by_lang: dict[str, list[bool]] = defaultdict(list)
        wrong = []
        with tempfile.TemporaryDirectory() as tmp:
            for situation in situations:
                text, intents = answer(content, classifier, situation, Path(tmp))
                problems = judge(situation, text)
                ok = not problems
                by_category[situation.get("category", "-")].append(ok)
                by_lang[situation.get("lang", "-")].append(ok)
                if not ok:
                    wrong.append((situation, problems, text, intents))
        total = sum(len(v) for v in by_lang.values())
        right = sum(sum(v) for v in by_lang.values())
        print(f"## {path.name}: {right}/{total} right ({100 * right / max(1, total):.1f}%)\n")
        print(share_table("language", by_lang) + "\n")
        print(share_table("category", by_category) + "\n")
        if args.errors:
            for situation, problems, text, intents in wrong:
                state = "; ".join(f"{s['system']} {s.get('kind', 'unplanned')} {s['start']}–{s.get('end')}"
                                  for s in situation.get("state") or []) or "none"
                print(f"### {situation['id']} ({situation.get('category')}, {situation['at']}, state: {state}) "
                      f"intent: {intents}")
                print(f"> {situation['message']}\n")
                print("- " + "\n- ".join(problems))
                print("\n```\n" + text + "\n```\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
