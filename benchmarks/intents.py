"""Intent classifier benchmark: accuracy on held-out questions, a TF-IDF +
logistic-regression baseline on the same phrasings, and latency.

    pip install -e '.[bench]'
    python benchmarks/intents.py [--questions benchmarks/questions.yaml] [--errors]

The questions in benchmarks/questions.yaml were written independently of the
training phrasings (content/phrasings.*.yaml) and are never trained on.
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.content import load_content  # noqa: E402
from bot.runtime import build_classifier  # noqa: E402
from intents import INTENT_IDS  # noqa: E402


def load_questions(path: Path) -> list[dict]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))["questions"]


def baseline(content):
    """Character 2-5-gram TF-IDF + logistic regression on the same phrasings."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    texts, labels = [], []
    for by_intent in content.phrasings.values():
        for intent, phrasings in by_intent.items():
            texts.extend(phrasings)
            labels.extend([intent] * len(phrasings))
    model = make_pipeline(
        TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), lowercase=True, sublinear_tf=True),
        LogisticRegression(max_iter=2000, C=10),
    )
    model.fit(texts, labels)
    return lambda qs: list(model.predict(qs))


def accuracy(pairs) -> float:
    pairs = list(pairs)
    return sum(1 for gold, got in pairs if gold == got) / max(1, len(pairs))


def confusion_table(rows) -> str:
    counts = Counter((r["intent"], r["got"]) for r in rows)
    short = {i: i[:6] for i in INTENT_IDS}
    head = "| gold \\ got | " + " | ".join(short[i] for i in INTENT_IDS) + " |"
    lines = [head, "|" + "---|" * (len(INTENT_IDS) + 1)]
    for gold in INTENT_IDS:
        cells = [str(counts[(gold, got)] or "") for got in INTENT_IDS]
        lines.append(f"| {gold} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def measure_startup(runs: int = 7) -> str:
    """Wall time of `driftbot ask` as a fresh process (the classifier cache warm)."""
    command = [sys.executable, "-m", "bot", "ask", "--json", "vem ringer jag"]
    subprocess.run(command, cwd=ROOT, capture_output=True, check=True)  # warm the cache and the OS
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(command, cwd=ROOT, capture_output=True, check=True)
        times.append(time.perf_counter() - t)
    return f"median {statistics.median(times) * 1000:.0f} ms, max {max(times) * 1000:.0f} ms ({runs} runs)"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--questions", type=Path, nargs="+",
                        default=sorted((ROOT / "benchmarks").glob("questions*.yaml")),
                        help="question sets (default: every benchmarks/questions*.yaml)")
    parser.add_argument("--errors", action="store_true", help="list every miss")
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument("--no-startup", action="store_true")
    args = parser.parse_args()

    startup = "" if args.no_startup else measure_startup()
    content = load_content()
    t0 = time.perf_counter()
    clf = build_classifier(content, cache=False)
    build_ms = (time.perf_counter() - t0) * 1000
    questions = [{**q, "set": path.stem} for path in args.questions for q in load_questions(path)]

    rows = []
    for q in questions:
        result = clf.classify(q["text"])
        rows.append({**q, "got": result.intent, "conf": result.confidence, "got_lang": result.lang or "sv"})

    sets = sorted({q["set"] for q in questions})
    print(f"# Intent benchmark\n\n{len(questions)} held-out questions in {len(sets)} sets "
          f"({', '.join(sets)}), each written by someone who saw neither the training phrasings "
          f"nor the other sets; classifier built in {build_ms:.0f} ms.\n")
    print("| questions | driftbot | TF-IDF + LR baseline |\n|---|---|---|")
    base_pred = None if args.no_baseline else baseline(content)([q["text"] for q in questions])
    selections = [("all", lambda r: True), ("sv", lambda r: r["lang"] == "sv"), ("en", lambda r: r["lang"] == "en")]
    selections += [(name, lambda r, name=name: r["set"] == name) for name in sets if len(sets) > 1]
    for name, select in selections:
        idx = [i for i, r in enumerate(rows) if select(r)]
        ours = accuracy((rows[i]["intent"], rows[i]["got"]) for i in idx)
        base = "-" if base_pred is None else f"{accuracy((rows[i]['intent'], base_pred[i]) for i in idx):.1%}"
        print(f"| {name} ({len(idx)}) | {ours:.1%} | {base} |")
    lang_acc = accuracy((r["lang"], r["got_lang"]) for r in rows)
    print(f"\nLanguage detected correctly: {lang_acc:.1%}\n")

    print("## Per intent\n\n| intent | driftbot | baseline |\n|---|---|---|")
    by_intent = defaultdict(list)
    for i, r in enumerate(rows):
        by_intent[r["intent"]].append(i)
    for intent in INTENT_IDS:
        idx = by_intent[intent]
        ours = accuracy((rows[i]["intent"], rows[i]["got"]) for i in idx)
        base = "-" if base_pred is None else f"{accuracy((rows[i]['intent'], base_pred[i]) for i in idx):.0%}"
        print(f"| {intent} | {ours:.0%} | {base} |")
    print("\n## Confusion (rows: gold, columns: predicted)\n")
    print(confusion_table(rows))

    # Latency on one core. The first pass includes the typo repairs (cold cache);
    # "repeated" takes each question's fastest of five more passes, as timeit
    # does, so that a noisy neighbour on the VM does not count as our time.
    clf2 = build_classifier(content, cache=False)
    times = []
    for q in questions:
        t = time.perf_counter_ns()
        clf2.classify(q["text"])
        times.append((time.perf_counter_ns() - t) / 1e6)
    warm = [float("inf")] * len(questions)
    for _ in range(5):
        for i, q in enumerate(questions):
            t = time.perf_counter_ns()
            clf2.classify(q["text"])
            warm[i] = min(warm[i], (time.perf_counter_ns() - t) / 1e6)

    def p(values, pct):
        values = sorted(values)
        return values[min(len(values) - 1, int(len(values) * pct))]

    print("\n## Latency per question (ms)\n\n| pass | median | p99 | max |\n|---|---|---|---|")
    print(f"| first (cold typo cache) | {statistics.median(times):.3f} | {p(times, .99):.3f} | {max(times):.3f} |")
    print(f"| repeated (best of 5) | {statistics.median(warm):.3f} | {p(warm, .99):.3f} | {max(warm):.3f} |")

    if not args.no_startup:
        print(f"\n`driftbot ask` from process start to answer: {startup}")

    if args.errors:
        print("\n## Misses\n")
        for r in rows:
            if r["intent"] != r["got"]:
                print(f"- [{r['set']} {r['lang']}] {r['text']!r}: {r['intent']} -> {r['got']} ({r['conf']:.2f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
