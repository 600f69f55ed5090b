"""Markdown tables shared by the benchmark scripts."""
from __future__ import annotations


def share_table(column: str, groups: dict[str, list[bool]]) -> str:
    """| column | right | share |, one row per group of pass/fail results, sorted by name."""
    rows = [f"| {column} | right | share |", "|---|---|---|"]
    rows += [f"| {name} | {sum(oks)}/{len(oks)} | {100 * sum(oks) / len(oks):.1f}% |"
             for name, oks in sorted(groups.items())]
    return "\n".join(rows)
