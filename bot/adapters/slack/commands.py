"""`/driftstopp`: the menu, the report form, status, and the administrators' outage actions.

Subcommands (Swedish word, English alias): rapportera/report, status,
hjälp/help, and for DRIFTBOT_ADMINS only start, klart/resolved, planera/plan.
Replies are ephemeral: only the person who typed the command sees them.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass

from slack_sdk.models.blocks import ActionsBlock, ButtonElement

from bot.adapters.slack.context import SlackContext
from bot.adapters.slack.escape import escape, to_mrkdwn
from bot.adapters.slack.outage_port import NothingToResolve, OutageRefused, OutagesUnavailable
from bot.adapters.slack.render import (
    MENU_CONTACT_ACTION,
    MENU_STATUS_ACTION,
    SlackMessage,
    label,
    render_text,
    report_button,
    sections,
)
from bot.clock import parse_at
from bot.privacy import redact_personal_ids
from bot.reports import SYSTEMS

log = logging.getLogger(__name__)

REPORT_WORDS = ("rapportera", "report", "felanmälan", "felanmalan")
STATUS_WORDS = ("status",)
HELP_WORDS = ("hjälp", "hjalp", "help", "meny", "menu")
START_WORDS = ("start",)
RESOLVE_WORDS = ("klart", "klar", "resolved", "resolve")
PLAN_WORDS = ("planera", "plan")
ADMIN_WORDS = START_WORDS + RESOLVE_WORDS + PLAN_WORDS
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


def answer(ctx: SlackContext, intent: str, lang: str) -> SlackMessage:
    """The routine's answer for an intent now ("status", "contact"), with live outage status."""
    live = ctx.outages.live_status(lang) if intent == "status" else None
    return render_text(ctx.answers.render(intent, lang, ctx.now(), live_status=live).text)


def _system(ctx: SlackContext, word: str) -> str | None:
    """A system id from what an administrator typed: the id or the system's name, any case."""
    word = word.lower()
    if word in SYSTEMS:
        return word
    for system_id, system in ctx.content.routine.systems.items():
        if word == system.name.lower():
            return system_id
    return None


def run_admin(ctx: SlackContext, command: Command, user_id: str, lang: str) -> str:
    """Carry out start/klart/planera; returns the ephemeral text for the administrator."""
    t = ctx.texts_for(lang).commands
    usage = (t.usage_start if command.word in START_WORDS
             else t.usage_resolve if command.word in RESOLVE_WORDS else t.usage_plan)
    needed = 2 if command.word in START_WORDS else 1 if command.word in RESOLVE_WORDS else 3
    if len(command.args) < needed:
        return usage
    system = _system(ctx, command.args[0])
    if system is None:
        return t.unknown_system.format(system=command.args[0], systems=", ".join(SYSTEMS))
    short_name = ctx.content.routine.systems[system].name
    marker = ctx.content.dialog_for(lang).redaction_marker

    def note(text: str) -> str:
        # The administrator's words go to the whole channel: no personal identity numbers there either.
        return redact_personal_ids(text, marker)[0]

    try:
        if command.word in START_WORDS:
            text = command.rest.split(None, 1)[1] if len(command.rest.split(None, 1)) > 1 else ""
            ctx.outages.start(system, note(text))
            log.info("outage started in %s by %s", system, user_id)
            return t.started.format(system=short_name)
        if command.word in RESOLVE_WORDS:
            ctx.outages.resolve(system)
            log.info("outage resolved in %s by %s", system, user_id)
            return t.resolved.format(system=short_name)
        tz = ctx.runtime.clock.tz
        times = []
        for value in command.args[1:3]:
            try:
                times.append(parse_at(value, tz))
            except ValueError:
                return t.invalid_time.format(value=value)
        text = command.rest.split(None, 3)[3] if len(command.rest.split(None, 3)) > 3 else ""
        ctx.outages.plan(system, times[0], times[1], note(text))
        log.info("outage planned in %s by %s", system, user_id)
        fmt = "%Y-%m-%d %H:%M"
        return t.planned.format(system=short_name, start=times[0].strftime(fmt), end=times[1].strftime(fmt))
    except OutagesUnavailable:
        return t.outages_unavailable
    except NothingToResolve:
        return t.nothing_to_resolve.format(system=short_name)
    except OutageRefused as exc:
        refusal = getattr(t, f"refused_{exc.code}", None)
        return refusal if refusal is not None else t.failed.format(reason=str(exc))
