"""Drive `driftbot chat --json` as a real subprocess, one turn at a time.

Each line written gets exactly one JSON object back (the contract's bot turn),
so a test can read the bot's `awaiting` field and choose what to answer, like
errbot's push_message/pop_message.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys

from helpers import ROOT


class Chat:
    def __init__(self, db_url: str, *args: str, env: dict | None = None):
        full_env = {k: v for k, v in os.environ.items() if not k.startswith(("DRIFTBOT_", "SLACK_"))}
        full_env.update(env or {})
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "bot", "chat", "--json", "--db", db_url, *args],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT, env=full_env,
        )
        self.turns: list[dict] = []

    def say(self, text: str) -> dict:
        assert self.proc.stdin and self.proc.stdout
        self.proc.stdin.write(text + "\n")
        self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        if not line:
            raise AssertionError(f"chat ended; stderr: {self.proc.stderr.read() if self.proc.stderr else ''}")
        turn = json.loads(line)
        self.turns.append(turn)
        return turn

    def close(self) -> int:
        if self.proc.stdin:
            self.proc.stdin.close()
        code = self.proc.wait(timeout=30)
        return code

    def kill(self) -> None:
        self.proc.kill()
        self.proc.wait(timeout=30)

    def __enter__(self) -> "Chat":
        return self

    def __exit__(self, *exc) -> None:
        if self.proc.poll() is None:
            self.close()

