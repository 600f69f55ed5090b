"""Intent classifier benchmark: accuracy on held-out questions, a TF-IDF +
logistic-regression baseline on the same phrasings, and latency.

    pip install -e '.[bench]'
    python benchmarks/intents.py [--questions benchmarks/questions.yaml] [--errors]

The questions in benchmarks/questions.yaml were written independently of the
training phrasings (content/phrasings.*.yaml) and are never trained on.
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.content import load_content  # noqa: E402
from bot.runtime import build_classifier  # noqa: E402
from intents import INTENT_IDS  # noqa: E402

import variants  # noqa: E402  (benchmarks/variants.py, beside this file)


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


def _median_ms(command: list[str], env: dict, runs: int, before=None) -> float:
    times = []
    for _ in range(runs):
        if before:
            before()
        t = time.perf_counter()
        subprocess.run(command, cwd=ROOT, capture_output=True, check=True, env=env)
        times.append(time.perf_counter() - t)
    return statistics.median(times) * 1000


def measure_startup(runs: int = 9) -> dict[str, float]:
    """Wall time of `driftbot ask` as a fresh process, with the classifier cache
    warm and cold (an empty cache folder: XDG_CACHE_HOME, see intents/cache.py),
    and of `python -c pass` in the same run, so that the ratio says how much
    slower than a bare interpreter we are whatever the machine's speed."""
    ask = [sys.executable, "-m", "bot", "ask", "--json", "--at", "2026-11-26T22:00", "vem ringer jag"]
    base_env = {k: v for k, v in os.environ.items() if not k.startswith("DRIFTBOT_")}
    with tempfile.TemporaryDirectory() as warm_dir, tempfile.TemporaryDirectory() as cold_root:
        warm_env = {**base_env, "XDG_CACHE_HOME": warm_dir}
        cold_env = {**base_env, "XDG_CACHE_HOME": str(Path(cold_root) / "cache")}
        subprocess.run(ask, cwd=ROOT, capture_output=True, check=True, env=warm_env)  # fill the cache, warm the OS

        def empty_cache():
            shutil.rmtree(cold_env["XDG_CACHE_HOME"], ignore_errors=True)

        result = {"pass": _median_ms([sys.executable, "-c", "pass"], base_env, runs),
                  "warm": _median_ms(ask, warm_env, runs),
                  "cold": _median_ms(ask, cold_env, runs, before=empty_cache)}
    return result


def startup_table(startup: dict[str, float]) -> str:
    rows = ["| process | median | ratio to `python -c pass` |", "|---|---|---|",
            f"| `python -c pass` | {startup['pass']:.0f} ms | 1.0 |"]
    for key, label in (("warm", "`driftbot ask`, classifier cache warm"),
                       ("cold", "`driftbot ask`, empty cache folder (trains)")):
        rows.append(f"| {label} | {startup[key]:.0f} ms | {startup[key] / startup['pass']:.1f} |")
    return "\n".join(rows)


def classify_all(clf, questions: list[dict]) -> list[dict]:
    rows = []
    for q in questions:
        result = clf.classify(q["text"])
        rows.append({**q, "got": result.intent, "conf": result.confidence, "got_lang": result.lang or "sv"})
    return rows


TYPO_SEEDS = 3  # typo variants per question, so that one unlucky edit weighs less


def variant_questions(questions: list[dict]) -> dict[str, list[dict]]:
    """Every question as plain, greeting-wrapped (every wrapper), CAPITALS and one typo (several seeds)."""
    out: dict[str, list[dict]] = {"plain": questions, "greeting": [], "caps": [], "typo": []}
    for q in questions:
        out["greeting"] += [{**q, "text": t, "plain": q["text"]} for t in variants.wrapped(q["text"], q["lang"])]
        out["caps"].append({**q, "text": variants.capitals(q["text"]), "plain": q["text"]})
        out["typo"] += [{**q, "text": variants.one_typo(q["text"], f"{seed}:{q['set']}:{q['text']}"), "plain": q["text"]}
                        for seed in range(TYPO_SEEDS)]
    return out


def robustness(clf, questions: list[dict], sets: list[str]) -> tuple[str, dict[str, list[dict]]]:
    """Accuracy per set on each variant, and the rows (for the misses)."""
    rows = {name: classify_all(clf, qs) for name, qs in variant_questions(questions).items()}
    lines = ["| set | plain | greeting-wrapped | CAPITALS | one typo |", "|---|---|---|---|---|"]
    for name in [*sets, "all"]:
        acc = {v: accuracy((r["intent"], r["got"]) for r in rs if name in ("all", r["set"])) for v, rs in rows.items()}
        cells = [f"{acc['plain']:.1%}"] + [f"{acc[v]:.1%} ({(acc[v] - acc['plain']) * 100:+.1f})"
                                           for v in ("greeting", "caps", "typo")]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines), rows


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--questions", type=Path, nargs="+",
                        default=sorted((ROOT / "benchmarks").glob("questions*.yaml")),
                        help="question sets (default: every benchmarks/questions*.yaml)")
    parser.add_argument("--errors", action="store_true", help="list every miss")
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument("--no-startup", action="store_true")
    parser.add_argument("--variant-errors", action="store_true", help="also list every miss of the variants")
    args = parser.parse_args()

    # Before this process loads numpy and the classifier, so they do not slow the children.
    startup = None if args.no_startup else measure_startup()
    content = load_content()
    t0 = time.perf_counter()
    clf = build_classifier(content, cache=False)
    build_ms = (time.perf_counter() - t0) * 1000
    questions = [{**q, "set": path.stem} for path in args.questions for q in load_questions(path)]

    rows = classify_all(clf, questions)

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

    print("\n## How people type: greetings, capitals, typos\n")
    print(f"Each question also wrapped in each of {len(variants.GREETING_WRAPPERS['sv'])} greetings and thanks "
          f"of its language (\"hej!! … tack\", \"Hello, … thanks a lot 🙏\", \"god morgon! … mvh\", …), in "
          f"CAPITALS, and with one seeded typo (swap, drop, double or neighbouring key) in one word of 4+ letters, "
          f"{TYPO_SEEDS} seeds per question (benchmarks/variants.py). In brackets: points against plain.\n")
    table, variant_rows = robustness(clf, questions, sets)
    print(table)

    print("\n## Do the character n-grams help? (ablation)\n")
    print("The same model trained and run without its character n-gram features (words and word pairs only).\n")
    print(robustness(build_classifier(content, ngram_sizes=()), questions, sets)[0])

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

    if startup is not None:
        print("\n## Start-up: `driftbot ask` from process start to answer\n")
        print("Median of 9 runs each, interleaved in the same run of this script.\n")
        print(startup_table(startup))

    if args.errors:
        print("\n## Misses\n")
        for r in rows:
            if r["intent"] != r["got"]:
                print(f"- [{r['set']} {r['lang']}] {r['text']!r}: {r['intent']} -> {r['got']} ({r['conf']:.2f})")
    if args.variant_errors:
        for name in ("greeting", "caps", "typo"):
            print(f"\n## Misses: {name}\n")
            for r in variant_rows[name]:
                if r["intent"] != r["got"]:
                    print(f"- [{r['set']} {r['lang']}] {r['text']!r}: {r['intent']} -> {r['got']} ({r['conf']:.2f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
