"""Intent classifier benchmark: accuracy on held-out questions, a TF-IDF +
logistic-regression baseline on the same phrasings, the same questions as
people type them (greetings, capitals, typos: benchmarks/variants.py), the
model without its character n-grams, latency, and `driftbot ask` start-up.

    pip install -e '.[bench]'
    python benchmarks/intents.py [--questions benchmarks/questions.yaml] [--errors] [--variant-errors]

The questions in benchmarks/questions*.yaml were written independently of the
training phrasings (content/phrasings.*.yaml) and are never trained on;
questions_c.yaml is the held-out set that tuning never looks at.
"""
from __future__ import annotations

import argparse
import os
import resource
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
STARTUP_RUNS = 9
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


def _run_ms(command: list[str], env: dict, cwd: Path) -> tuple[float, float]:
    """(wall, CPU) milliseconds of one child process, from start to exit."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    subprocess.run(command, cwd=cwd, capture_output=True, check=True, env=env)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return wall * 1000, cpu * 1000


def measure_startup(also: Path | None = None, runs: int = STARTUP_RUNS) -> dict[str, tuple[float, float]]:
    """Median (wall, CPU) ms of `driftbot ask` as a fresh process, with the classifier
    cache warm and cold (an empty cache folder: XDG_CACHE_HOME, see intents/cache.py),
    and of `python -c pass`, interleaved in the same run, so that the ratio says how much
    slower than a bare interpreter we are whatever else the shared machine is doing.
    Bytecode is written and used, as in an installed copy (PYTHONDONTWRITEBYTECODE unset).
    `also`: another checkout (an older commit unpacked by `git archive`) measured alike."""
    ask = [sys.executable, "-m", "bot", "ask", "--json", "--at", "2026-11-26T22:00", "vem ringer jag"]
    base_env = {k: v for k, v in os.environ.items() if not k.startswith("DRIFTBOT_") and k != "PYTHONDONTWRITEBYTECODE"}
    roots = {"": ROOT, **({f"{also.name}: ": also} if also else {})}
    times: dict[str, list[tuple[float, float]]] = {"pass": []}
    with tempfile.TemporaryDirectory() as scratch:
        warm_env, cold_env = {}, {}
        for label, root in roots.items():
            warm_env[label] = {**base_env, "XDG_CACHE_HOME": f"{scratch}/{len(warm_env)}-warm"}
            cold_env[label] = {**base_env, "XDG_CACHE_HOME": f"{scratch}/{len(cold_env)}-cold"}
            subprocess.run(ask, cwd=root, capture_output=True, check=True, env=warm_env[label])  # cache, .pyc
        for _ in range(runs):
            times["pass"].append(_run_ms([sys.executable, "-c", "pass"], base_env, ROOT))
            for label, root in roots.items():
                times.setdefault(label + "warm", []).append(_run_ms(ask, warm_env[label], root))
                shutil.rmtree(cold_env[label]["XDG_CACHE_HOME"], ignore_errors=True)
                times.setdefault(label + "cold", []).append(_run_ms(ask, cold_env[label], root))
    return {key: (statistics.median(w for w, _ in runs_), statistics.median(c for _, c in runs_))
            for key, runs_ in times.items()}


def startup_table(startup: dict[str, tuple[float, float]]) -> str:
    base_wall, base_cpu = startup["pass"]
    rows = ["| process | wall | ratio to `python -c pass` | CPU | ratio |", "|---|---|---|---|---|",
            f"| `python -c pass` | {base_wall:.0f} ms | 1.0 | {base_cpu:.0f} ms | 1.0 |"]
    for key, (wall, cpu) in startup.items():
        if key == "pass":
            continue
        prefix, kind = key[:-4], key[-4:]
        label = f"{prefix}`driftbot ask`, " + ("classifier cache warm" if kind == "warm" else "empty cache folder (trains)")
        rows.append(f"| {label} | {wall:.0f} ms | {wall / base_wall:.1f} | {cpu:.0f} ms | {cpu / base_cpu:.1f} |")
    return "\n".join(rows)


def classify_all(clf, questions: list[dict]) -> list[dict]:
    rows = []
    for q in questions:
        result = clf.classify(q["text"])
        rows.append({**q, "got": result.intent, "conf": result.confidence, "got_lang": result.lang or "sv"})
    return rows


TYPO_VARIANTS = 3  # per question, so that one unlucky edit weighs less


def variant_questions(questions: list[dict]) -> dict[str, list[dict]]:
    """Every question as plain, greeting-wrapped (every wrapper), CAPITALS and one typo (several seeds)."""
    out: dict[str, list[dict]] = {"plain": questions, "greeting": [], "caps": [], "typo": [], "unlisted": []}
    for q in questions:
        out["greeting"] += [{**q, "text": t, "plain": q["text"]} for t in variants.wrapped(q["text"], q["lang"])]
        out["unlisted"] += [{**q, "text": t, "plain": q["text"]}
                            for t in variants.wrapped(q["text"], q["lang"], variants.UNLISTED_WRAPPERS)]
        out["caps"].append({**q, "text": variants.capitals(q["text"]), "plain": q["text"]})
        out["typo"] += [{**q, "text": t, "plain": q["text"]} for t in variants.typos(q["text"], f"{q['set']}:{q['text']}", TYPO_VARIANTS)]
    return out


def robustness(clf, questions: list[dict]) -> dict[str, list[dict]]:
    """Every variant of every question, classified."""
    return {name: classify_all(clf, qs) for name, qs in variant_questions(questions).items()}


def variant_accuracy(rows: dict[str, list[dict]], name: str) -> dict[str, float]:
    return {v: accuracy((r["intent"], r["got"]) for r in rs if name in ("all", r["set"])) for v, rs in rows.items()}


def robustness_table(rows: dict[str, list[dict]], sets: list[str]) -> str:
    lines = ["| set | plain | greeting-wrapped | CAPITALS | one typo | each within 2 points | probe: unlisted politeness |",
             "|---|---|---|---|---|---|---|"]
    for name in [*sets, "all"]:
        acc = variant_accuracy(rows, name)
        deltas = {v: (acc[v] - acc["plain"]) * 100 for v in ("greeting", "caps", "typo", "unlisted")}
        cells = [f"{acc['plain']:.1%}"] + [f"{acc[v]:.1%} ({deltas[v]:+.1f})" for v in ("greeting", "caps", "typo")]
        within = "yes" if min(deltas[v] for v in ("greeting", "caps", "typo")) >= -2.0 else "no"
        lines.append(f"| {name} | " + " | ".join(cells) + f" | {within} | {acc['unlisted']:.1%} ({deltas['unlisted']:+.1f}) |")
    return "\n".join(lines)


def ablation_table(full: dict[str, list[dict]], ablated: dict[str, list[dict]], sets: list[str]) -> str:
    lines = ["| set | plain: with / without n-grams | greeting-wrapped | CAPITALS | one typo | unlisted politeness |",
             "|---|---|---|---|---|---|"]
    for name in [*sets, "all"]:
        a, b = variant_accuracy(full, name), variant_accuracy(ablated, name)
        cells = [f"{a[v]:.1%} / {b[v]:.1%} ({(b[v] - a[v]) * 100:+.1f})" for v in ("plain", "greeting", "caps", "typo")]
        cells.append(f"{a['unlisted']:.1%} / {b['unlisted']:.1%} ({(b['unlisted'] - a['unlisted']) * 100:+.1f})")
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--questions", type=Path, nargs="+",
                        default=sorted((ROOT / "benchmarks").glob("questions*.yaml")),
                        help="question sets (default: every benchmarks/questions*.yaml)")
    parser.add_argument("--errors", action="store_true", help="list every miss")
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument("--no-startup", action="store_true")
    parser.add_argument("--variant-errors", action="store_true",
                        help="also list the variants missed whose plain question is right")
    parser.add_argument("--startup-also", type=Path, metavar="DIR",
                        help="also time `driftbot ask` in this other checkout (e.g. an older commit via git archive)")
    args = parser.parse_args()

    # Before this process loads numpy and the classifier, so they do not slow the children.
    startup = None if args.no_startup else measure_startup(args.startup_also)
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
          f"up to {TYPO_VARIANTS} different ones per question (benchmarks/variants.py). In brackets: points against plain. "
          f"The probe wraps each question in {len(variants.UNLISTED_WRAPPERS['sv'])} greetings whose words are not in "
          f"content/social.yaml (\"hallåjsan … tackar så mycket\", \"Hey folks … much appreciated\"): how far the "
          f"word list carries beyond itself; not a target, never tuned on.\n")
    variant_rows = robustness(clf, questions)
    print(robustness_table(variant_rows, sets))

    print("\n## Do the character n-grams help? (ablation)\n")
    print("The same model trained and run with and without its character n-gram features (without: words and "
          "word pairs only). In brackets: the change without them, in points.\n")
    print(ablation_table(variant_rows, robustness(build_classifier(content, ngram_sizes=()), questions), sets))

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
        print(f"Median of {STARTUP_RUNS} runs each, interleaved in the same run of this script; CPU is the "
              "child's user + system time. Targets on a quiet machine: 0.4 s warm, 0.8 s cold.\n")
        print(startup_table(startup))

    if args.errors:
        print("\n## Misses\n")
        for r in rows:
            if r["intent"] != r["got"]:
                print(f"- [{r['set']} {r['lang']}] {r['text']!r}: {r['intent']} -> {r['got']} ({r['conf']:.2f})")
    if args.variant_errors:
        right = {(r["set"], r["text"]) for r in rows if r["intent"] == r["got"]}
        for name in ("greeting", "caps", "typo", "unlisted"):
            print(f"\n## Misses: {name}, where the plain question is right\n")
            for r in variant_rows[name]:
                if r["intent"] != r["got"] and (r["set"], r["plain"]) in right:
                    print(f"- [{r['set']} {r['lang']}] {r['text']!r}: {r['intent']} -> {r['got']} ({r['conf']:.2f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
