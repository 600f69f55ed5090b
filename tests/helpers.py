"""Small helpers shared by the tests: run the real CLI, talk to the real engine."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_cli(*args: str, input: str | None = None, env: dict | None = None, timeout: float = 60,
            cwd: Path | None = None) -> subprocess.CompletedProcess:
    """Run `python -m bot ARGS` as a real subprocess."""
    full_env = {k: v for k, v in os.environ.items() if not k.startswith(("DRIFTBOT_", "SLACK_"))}
    full_env.update(env or {})
    return subprocess.run([sys.executable, "-m", "bot", *args], input=input, capture_output=True, text=True,
                          env=full_env, timeout=timeout, cwd=cwd or ROOT)


def run_cli_in_process(*args: str, input: str | None = None) -> subprocess.CompletedProcess:
    """`driftbot ARGS` through the same main() in this process: for tests of what a command does
    and prints, where a process per call would be most of the test's time. Exit codes, one-line
    errors and start-up are tested with run_cli, as a real process."""
    import contextlib
    import io

    from bot.cli import main

    out, err = io.StringIO(), io.StringIO()
    stdin, sys.stdin = sys.stdin, io.StringIO(input or "")
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main(list(args), install_logging=False)
            except SystemExit as exc:  # argparse
                code = exc.code if isinstance(exc.code, int) else 2
    finally:
        sys.stdin = stdin
    return subprocess.CompletedProcess(["driftbot", *args], code, out.getvalue(), err.getvalue())


def json_lines(output: str) -> list[dict]:
    return [json.loads(line) for line in output.splitlines() if line.strip()]


def edit_yaml(path: Path, change) -> None:
    """Load a YAML file, let `change` mutate the data, write it back."""
    import yaml

    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
