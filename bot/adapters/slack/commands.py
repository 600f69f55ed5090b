"""`/driftstopp`: the menu, the report form, status, and the administrators' outage actions.

Subcommands (Swedish word, English alias): rapportera/report, status,
hjälp/help, and for DRIFTBOT_ADMINS only start, klart/resolved, planera/plan,
bekräfta/confirm NR, uppdatera/update NR TEXT, dela/split RAPPORTNR and
avbryt/cancel NR. NR is the outage's number, shown to administrators in
`/driftstopp status` and on the Home tab; RAPPORTNR is a fault report's number.
Replies are ephemeral: only the person who typed the command sees them.
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import Callable

from slack_sdk.models.blocks import ActionsBlock, ButtonElement

from bot.adapters.slack.context import SlackContext
from bot.adapters.slack.escape import escape, to_mrkdwn
from bot.adapters.slack.home import outage_lines
from bot.adapters.slack.outage_port import OutageError
from bot.adapters.slack.render import (
    MENU_CONTACT_ACTION,
    MENU_STATUS_ACTION,
    SlackMessage,
    label,
    render_text,
    report_button,
    sections,
)
from bot.adapters.slack.texts import CommandTexts
from bot.clock import parse_at
from bot.reports import SYSTEMS

log = logging.getLogger(__name__)

REPORT_WORDS = ("rapportera", "report", "felanmälan", "felanmalan")
STATUS_WORDS = ("status",)
HELP_WORDS = ("hjälp", "hjalp", "help", "meny", "menu")
START_WORDS = ("start",)
RESOLVE_WORDS = ("klart", "klar", "resolved", "resolve")
PLAN_WORDS = ("planera", "plan")
CONFIRM_WORDS = ("bekräfta", "bekrafta", "confirm")
UPDATE_WORDS = ("uppdatera", "update")
SPLIT_WORDS = ("dela", "split")
CANCEL_WORDS = ("avbryt", "cancel")
ADMIN_WORDS = START_WORDS + RESOLVE_WORDS + PLAN_WORDS + CONFIRM_WORDS + UPDATE_WORDS + SPLIT_WORDS + CANCEL_WORDS
KNOWN_WORDS = REPORT_WORDS + STATUS_WORDS + HELP_WORDS + ADMIN_WORDS


@dataclass(frozen=True)
class Command:
    word: str            # the subcommand, lower case ("" for none)
    args: list[str]
    rest: str            # everything after the subcommand, as typed

    @classmethod
    def parse(cls, text: str) -> "Command":
        text = (text or "").strip()
        if not text:
            return cls("", [], "")
        word, _, rest = text.partition(" ")
        return cls(word.lower(), rest.split(), rest.strip())

    @property
    def for_log(self) -> str:
        """The subcommand as the log may show it: an unknown word is something a user typed, so it is not."""
        if not self.word:
            return "(menu)"
        return self.word if self.word in KNOWN_WORDS else "(unknown)"


def menu(ctx: SlackContext, lang: str, user_id: str) -> SlackMessage:
    texts = ctx.texts_for(lang)
    usage = texts.menu.usage + ("\n\n" + texts.menu.admin_usage if ctx.is_admin(user_id) else "")
    body = escape(texts.menu.text)
    blocks = [
        *sections(body),
        ActionsBlock(block_id="driftbot_menu", elements=[
            report_button(texts, texts.menu.report_button),
            ButtonElement(text=label(texts.menu.status_button), action_id=MENU_STATUS_ACTION, value=lang),
            ButtonElement(text=label(texts.menu.contact_button), action_id=MENU_CONTACT_ACTION, value=lang),
        ]),
        *sections(to_mrkdwn(usage)),
    ]
    return SlackMessage(text=body, blocks=[b.to_dict() for b in blocks])


def answer(ctx: SlackContext, intent: str, lang: str, user_id: str | None = None) -> SlackMessage:
    """The routine's answer for an intent now ("status", "contact"), with live outage status.

    An administrator's status also lists the outages with their numbers, for
    the subcommands that take one.
    """
    live = ctx.outages.live_status(lang) if intent == "status" else None
    text = ctx.answers.render(intent, lang, ctx.now(), live_status=live).text
    if intent == "status" and user_id is not None and ctx.is_admin(user_id):
        current, planned = outage_lines(ctx, lang, ctx.now(), admin=True)
        if current or planned:
            text = "\n".join([text, "", ctx.texts_for(lang).commands.status_admin_heading, *current, *planned])
    return render_text(text)


# -- the administrators' subcommands --------------------------------------------------------

class _Answer(Exception):
    """Ends an admin subcommand early with the text for the administrator (usage, a typo, a refusal)."""


# A number as typed: the digits, or "#12" as the status list shows it. Nine digits at most,
# so that no typo reaches the database as an integer it cannot hold.
_NUMBER = re.compile(r"#?([0-9]{1,9})")


@dataclass(frozen=True)
class _Admin:
    """One admin subcommand being carried out, and the helpers every one of them needs."""
    ctx: SlackContext
    command: Command
    user_id: str
    lang: str
    t: CommandTexts

    @property
    def args(self) -> list[str]:
        return self.command.args

    def need(self, count: int, usage: str) -> None:
        if len(self.args) < count:
            raise _Answer(usage)

    def after(self, count: int) -> str:
        """What was typed after the first `count` arguments, as typed (the free text)."""
        parts = self.command.rest.split(None, count)
        return parts[count] if len(parts) > count else ""

    def system(self, word: str) -> str:
        """A system id from what was typed: the id or the system's name, any case."""
        lowered = word.lower()
        if lowered in SYSTEMS:
            return lowered
        for system_id, system in self.ctx.content.routine.systems.items():
            if lowered == system.name.lower():
                return system_id
        raise _Answer(self.t.unknown_system.format(system=word, systems=", ".join(SYSTEMS)))

    def name(self, system: str) -> str:
        return self.ctx.content.routine.systems[system].name

    def number(self, word: str) -> int:
        match = _NUMBER.fullmatch(word)
        if match is None:
            raise _Answer(self.t.invalid_number.format(value=word))
        return int(match.group(1))

    def act(self, action: Callable, *args, id: int | str = "", system: str = ""):
        """Call the outage service; a refusal becomes its text (refused_<code>)."""
        try:
            return action(*args)
        except OutageError as exc:
            log.info("/driftstopp %s by %s refused: %s", self.command.word, self.user_id, exc.code)
            refusal = getattr(self.t, f"refused_{exc.code}", None)
            if refusal is None:
                raise _Answer(self.t.failed.format(reason=str(exc))) from None
            raise _Answer(refusal.format(id=id, system=system)) from None


def _start(a: _Admin) -> str:
    a.need(2, a.t.usage_start)
    system = a.system(a.args[0])
    a.act(a.ctx.outages.start, system, a.after(1), system=a.name(system))
    log.info("outage started in %s by %s", system, a.user_id)
    return a.t.started.format(system=a.name(system))


def _resolve(a: _Admin) -> str:
    a.need(1, a.t.usage_resolve)
    system = a.system(a.args[0])
    a.act(a.ctx.outages.resolve, system, system=a.name(system))
    log.info("outage resolved in %s by %s", system, a.user_id)
    return a.t.resolved.format(system=a.name(system))


def _plan(a: _Admin) -> str:
    a.need(3, a.t.usage_plan)
    system = a.system(a.args[0])
    times = []
    for value in a.args[1:3]:
        try:
            times.append(parse_at(value, a.ctx.runtime.clock.tz))
        except ValueError:
            raise _Answer(a.t.invalid_time.format(value=value)) from None
    a.act(a.ctx.outages.plan, system, times[0], times[1], a.after(3), system=a.name(system))
    log.info("outage planned in %s by %s", system, a.user_id)
    fmt = "%Y-%m-%d %H:%M"
    return a.t.planned.format(system=a.name(system), start=times[0].strftime(fmt), end=times[1].strftime(fmt))


def _confirm(a: _Admin) -> str:
    a.need(1, a.t.usage_confirm)
    outage_id = a.number(a.args[0])
    view = a.act(a.ctx.outages.confirm, outage_id, id=outage_id)
    log.info("outage %s confirmed by %s", outage_id, a.user_id)
    return a.t.confirmed.format(id=view.id, system=a.name(view.system))


def _update(a: _Admin) -> str:
    a.need(2, a.t.usage_update)
    outage_id = a.number(a.args[0])
    text = a.after(1)
    # The outage service removes personal identity numbers from the text, for every caller.
    view = a.act(a.ctx.outages.update, outage_id, text, id=outage_id)
    log.info("outage %s given a new text by %s", outage_id, a.user_id)
    return a.t.updated.format(id=view.id, system=a.name(view.system), text=view.text)


def _split(a: _Admin) -> str:
    a.need(1, a.t.usage_split)
    report_id = a.number(a.args[0])
    view = a.act(a.ctx.outages.split, report_id, id=report_id)
    log.info("report %s split from outage %s into %s by %s", report_id, view.split_from, view.id, a.user_id)
    return a.t.split.format(report=report_id, id=view.id, split_from=view.split_from, system=a.name(view.system))


def _cancel(a: _Admin) -> str:
    a.need(1, a.t.usage_cancel)
    outage_id = a.number(a.args[0])
    view = a.act(a.ctx.outages.cancel, outage_id, id=outage_id)
    log.info("outage %s cancelled by %s", outage_id, a.user_id)
    return a.t.cancelled.format(id=view.id, system=a.name(view.system))


_ADMIN_ACTIONS: tuple[tuple[tuple[str, ...], Callable[[_Admin], str]], ...] = (
    (START_WORDS, _start),
    (RESOLVE_WORDS, _resolve),
    (PLAN_WORDS, _plan),
    (CONFIRM_WORDS, _confirm),
    (UPDATE_WORDS, _update),
    (SPLIT_WORDS, _split),
    (CANCEL_WORDS, _cancel),
)


def run_admin(ctx: SlackContext, command: Command, user_id: str, lang: str) -> str:
    """Carry out an admin subcommand (the caller has checked DRIFTBOT_ADMINS); the ephemeral text for the admin."""
    request = _Admin(ctx, command, user_id, lang, ctx.texts_for(lang).commands)
    action = next(action for words, action in _ADMIN_ACTIONS if command.word in words)
    try:
        return action(request)
    except _Answer as reply:
        return str(reply)
