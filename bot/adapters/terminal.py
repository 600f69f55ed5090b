"""The terminal chat: the same engine the messenger adapters use.

On a terminal it is interactive; otherwise it reads one user message per line
until end of input. With --json each bot turn is one JSON object on a line.
"""
from __future__ import annotations

import getpass
import json
import sys

from bot.conversation.turns import Conversations
from bot.messages import Message, Reply, turn_json


def _render(reply: Reply) -> str:
    lines = [reply.text]
    for number, option in enumerate(reply.options, start=1):
        lines.append(f"  {number}. {option.label}")
    # Slack's *bold* reads fine in a terminal too; nothing else to translate.
    return "\n".join(lines)


def run_chat(rt, user: str | None, unit: str | None, as_json: bool, lang: str | None = None,
             stdin=None, stdout=None) -> int:
    stdin = stdin or sys.stdin
    stdout = stdout or sys.stdout
    interactive = stdin.isatty() and not as_json
    user_id = user or getpass.getuser()

    def emit(replies: list[Reply]) -> None:
        if as_json:  # one object per turn, so a script can read one line per line it wrote
            stdout.write(json.dumps(turn_json(replies), ensure_ascii=False) + "\n")
        else:
            for reply in replies:
                stdout.write(_render(reply) + "\n\n")
        stdout.flush()

    deliver_notices = _notice_printer(rt, stdout) if not as_json else (lambda: None)
    # The same turns as every channel's; a failure ends the command (bot.cli says it in one line).
    conversations = Conversations(rt.engine, apologies=None)
    if interactive:
        stdout.write(rt.engine.answers.text("chat_banner", lang or rt.content.default_lang) + "\n\n")
    deliver_notices()
    while True:
        if interactive:
            stdout.write("> ")
            stdout.flush()
        line = stdin.readline()
        if not line:
            break
        text = line.rstrip("\r\n")
        message = Message(text=text, user_id=user_id, source="terminal", user_name=user, unit=unit, lang=lang)
        conversations.turn(message, deliver=emit)
        deliver_notices()
    return 0


def _notice_printer(rt, stdout):
    """Print the channel notices that have fallen due, between turns.

    With --json they are left in the outbox: each line must stay one bot turn.
    """
    if rt.store is None or rt.outages is None:
        return lambda: None
    from bot.outages.outbox import OutboxWorker, TerminalDeliverer

    worker = OutboxWorker(rt.store, TerminalDeliverer(stdout), rt.clock, scheduler=rt.outages.schedule,
                          targets=("broadcast", "user:terminal:"))
    return lambda: worker.run_once(rt.clock.now())
