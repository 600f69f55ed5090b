"""The administrators' outage commands: one parser of the words, one set of actions.

Slack's `/driftstopp`, a Teams message and `driftbot outage` all end in
AdminActions, which wraps the one OutageService runtime.build made (the engine
files reports through the same one). The words (Swedish, with English
aliases) are parsed here once:

    start SYSTEM TEXT            klart SYSTEM (resolved)
    planera SYSTEM START END [TEXT] (plan)
    bekräfta NR (confirm)        uppdatera NR TEXT (update)
    dela RAPPORTNR (split)       avbryt NR (cancel)

NR is an outage's number, RAPPORTNR a report's. Whoever may run them (the
channel's list of administrators) is checked by the caller; the answer for
the administrator is worded from the channel's CommandTexts.
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Callable

from bot.clock import parse_at
from bot.conversation.texts import CommandTexts
from bot.form import SYSTEMS
from bot.outages import CURRENT_STATUSES, UPCOMING_STATUSES
from bot.outages.service import OutageError, OutageService, OutageView

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
# Commands whose first argument is a system; the others take a number.
_BY_SYSTEM = START_WORDS + RESOLVE_WORDS + PLAN_WORDS

# A number as typed: the digits, or "#12" as the status list shows it. Nine digits at most,
# so that no typo reaches the database as an integer it cannot hold.
_NUMBER = re.compile(r"#?([0-9]{1,9})")


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
    def is_admin(self) -> bool:
        return self.word in ADMIN_WORDS

    @property
    def for_log(self) -> str:
        """The subcommand as the log may show it: an unknown word is something a user typed, so it is not."""
        if not self.word:
            return "(menu)"
        return self.word if self.word in KNOWN_WORDS else "(unknown)"


def admin_command_in(text: str, systems: dict) -> Command | None:
    """An admin command written as a chat message ("klart tes", "avbryt 12"), or None.

    In a chat the same words are also everyday words ("avbryt" ends a report
    draft, "klart!" is a reply), so a message is a command only when its first
    argument is what the command takes: a system, or a number.
    """
    command = Command.parse(text)
    if not command.is_admin or not command.args:
        return None
    first = command.args[0]
    if command.word in _BY_SYSTEM:
        lowered = first.lower()
        if lowered in SYSTEMS or any(lowered == s.name.lower() for s in systems.values()):
            return command
        return None
    return command if _NUMBER.fullmatch(first) else None


@dataclass(frozen=True)
class OutageLine:
    """One outage as a status list shows it."""
    id: int
    system: str
    status: str
    starts_at: datetime
    ends_at: datetime | None
    text: str
    reports: int
    split_from: int | None


def _when(moment: datetime, now: datetime) -> str:
    """A short local time: "14:05" today, "2026-04-02 22:00" on another day."""
    local = moment.astimezone(now.tzinfo)
    return local.strftime("%H:%M") if local.date() == now.date() else local.strftime("%Y-%m-%d %H:%M")


def outage_lines(actions: "AdminActions", systems: dict, texts, now: datetime, *,
                 admin: bool = False) -> tuple[list[str], list[str]]:
    """(outages going on now, planned ones to come), one line each, in plain text.

    `texts` is a channel's: outage_line and planned_line for everyone, and for
    administrators admin_outage_line, admin_planned_line, admin_split_note and
    states. Administrators get each outage's number (for bekräfta, uppdatera and
    avbryt), its state and its reports, and also the outages split out of
    another one, which nobody else sees.
    """
    current, planned = actions.lines(now, include_split=admin)

    def system_name(system: str) -> str:
        return systems[system].name if system in systems else system

    def outage_text(line: OutageLine) -> str:
        values = dict(id=line.id, system=system_name(line.system), since=_when(line.starts_at, now),
                      text=line.text, reports=line.reports, state=texts.states.get(line.status, line.status))
        if not admin:
            return texts.outage_line.format(**values).strip()
        text = texts.admin_outage_line.format(**values).strip()
        if line.split_from is not None:
            text = f"{text} {texts.admin_split_note.format(split_from=line.split_from)}"
        return text

    def planned_text(line: OutageLine) -> str:
        end = _when(line.ends_at, now) if line.ends_at else ""
        template = texts.admin_planned_line if admin else texts.planned_line
        return template.format(id=line.id, system=system_name(line.system), start=_when(line.starts_at, now),
                               end=end, text=line.text, reports=line.reports).strip()

    return [outage_text(line) for line in current], [planned_text(line) for line in planned]


class AdminActions:
    """What the channels and the CLI may do to outages; each raises OutageError when refused."""

    def __init__(self, service: OutageService):
        self.service = service

    @classmethod
    def of(cls, runtime) -> "AdminActions":
        """The actions on the outage service runtime.build made (one for the whole process)."""
        if runtime.outages is None:
            raise ValueError("admin actions need a runtime built with a store (runtime.build(..., with_store=True))")
        return cls(runtime.outages)

    def live_status(self, lang: str) -> str | None:
        """The service's sentence about known outages, or None (then the routine's default sentence is used)."""
        return self.service.live_status(lang)

    def lines(self, at: datetime, *, include_split: bool = False) -> tuple[list[OutageLine], list[OutageLine]]:
        """(outages going on now, planned ones still to come).

        An outage split out of another is one reporter's separate fault, not
        news for everyone; administrators (`include_split`) see it, since they
        decide whether to confirm or cancel it.
        """
        current: list[OutageLine] = []
        upcoming: list[OutageLine] = []
        for view in self.service.list(at):
            if view.split_from is not None and not include_split:
                continue
            line = OutageLine(id=view.id, system=view.system, status=view.status, starts_at=view.starts_at,
                              ends_at=view.ends_at, text=view.text or "", reports=view.reports,
                              split_from=view.split_from)
            if view.status in CURRENT_STATUSES:
                current.append(line)
            elif view.status in UPCOMING_STATUSES:
                upcoming.append(line)
        return current, upcoming

    # `actor` is who asked ("slack:U123", "teams:<object id>", "cli:<os user>"): the outage service
    # records it in the audit trail in the action's own transaction (bot.audit).

    def start(self, system: str, text: str | None, at: datetime | None = None, *, actor: str) -> OutageView:
        return self.service.start(system, text=text or None, at=at, actor=actor)

    def resolve(self, system: str, at: datetime | None = None, *, actor: str) -> OutageView:
        return self.service.resolve(system, at=at, actor=actor)

    def plan(self, system: str, starts_at: datetime, ends_at: datetime, text: str | None,
             at: datetime | None = None, *, actor: str) -> OutageView:
        return self.service.plan(system, starts_at, ends_at, text=text or None, at=at, actor=actor)

    def confirm(self, outage_id: int, at: datetime | None = None, *, actor: str) -> OutageView:
        return self.service.confirm(outage_id, at=at, actor=actor)

    def update(self, outage_id: int, text: str, at: datetime | None = None, *, actor: str) -> OutageView:
        # The outage service removes personal identity numbers from the text, for every caller.
        return self.service.update(outage_id, text, at=at, actor=actor)

    def split(self, report_id: int, at: datetime | None = None, *, actor: str) -> OutageView:
        return self.service.split(report_id, at=at, actor=actor)

    def cancel(self, outage_id: int, at: datetime | None = None, *, actor: str) -> OutageView:
        return self.service.cancel(outage_id, at=at, actor=actor)


# -- carrying out a command written in a chat or a slash command ------------------------------

class _Answer(Exception):
    """Ends an admin subcommand early with the text for the administrator (usage, a typo, a refusal)."""


@dataclass(frozen=True)
class _Admin:
    """One admin subcommand being carried out, and the helpers every one of them needs."""
    actions: AdminActions
    command: Command
    actor: str
    t: CommandTexts

    @property
    def args(self) -> list[str]:
        return self.command.args

    @property
    def content(self):
        return self.actions.service.content

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
        for system_id, system in self.content.routine.systems.items():
            if lowered == system.name.lower():
                return system_id
        raise _Answer(self.t.unknown_system.format(system=word, systems=", ".join(SYSTEMS)))

    def name(self, system: str) -> str:
        return self.content.routine.systems[system].name

    def number(self, word: str) -> int:
        match = _NUMBER.fullmatch(word)
        if match is None:
            raise _Answer(self.t.invalid_number.format(value=word))
        return int(match.group(1))

    def act(self, action: Callable, *args, id: int | str = "", system: str = ""):
        """Call an action; a refusal becomes its text (refused_<code>)."""
        try:
            return action(*args, actor=self.actor)
        except OutageError as exc:
            log.info("admin command %s by %s refused: %s", self.command.word, self.actor, exc.code)
            refusal = getattr(self.t, f"refused_{exc.code}", None)
            if refusal is None:
                raise _Answer(self.t.failed.format(reason=str(exc))) from None
            raise _Answer(refusal.format(id=id, system=system)) from None


def _start(a: _Admin) -> str:
    a.need(2, a.t.usage_start)
    system = a.system(a.args[0])
    a.act(a.actions.start, system, a.after(1), system=a.name(system))
    log.info("outage started in %s by %s", system, a.actor)
    return a.t.started.format(system=a.name(system))


def _resolve(a: _Admin) -> str:
    a.need(1, a.t.usage_resolve)
    system = a.system(a.args[0])
    a.act(a.actions.resolve, system, system=a.name(system))
    log.info("outage resolved in %s by %s", system, a.actor)
    return a.t.resolved.format(system=a.name(system))


def _plan(a: _Admin) -> str:
    a.need(3, a.t.usage_plan)
    system = a.system(a.args[0])
    times = []
    for value in a.args[1:3]:
        try:
            times.append(parse_at(value, a.actions.service.tz))
        except ValueError:
            raise _Answer(a.t.invalid_time.format(value=value)) from None
    a.act(a.actions.plan, system, times[0], times[1], a.after(3), system=a.name(system))
    log.info("outage planned in %s by %s", system, a.actor)
    fmt = "%Y-%m-%d %H:%M"
    return a.t.planned.format(system=a.name(system), start=times[0].strftime(fmt), end=times[1].strftime(fmt))


def _confirm(a: _Admin) -> str:
    a.need(1, a.t.usage_confirm)
    outage_id = a.number(a.args[0])
    view = a.act(a.actions.confirm, outage_id, id=outage_id)
    log.info("outage %s confirmed by %s", outage_id, a.actor)
    return a.t.confirmed.format(id=view.id, system=a.name(view.system))


def _update(a: _Admin) -> str:
    a.need(2, a.t.usage_update)
    outage_id = a.number(a.args[0])
    view = a.act(a.actions.update, outage_id, a.after(1), id=outage_id)
    log.info("outage %s given a new text by %s", outage_id, a.actor)
    return a.t.updated.format(id=view.id, system=a.name(view.system), text=view.text)


def _split(a: _Admin) -> str:
    a.need(1, a.t.usage_split)
    report_id = a.number(a.args[0])
    view = a.act(a.actions.split, report_id, id=report_id)
    log.info("report %s split from outage %s into %s by %s", report_id, view.split_from, view.id, a.actor)
    return a.t.split.format(report=report_id, id=view.id, split_from=view.split_from, system=a.name(view.system))


def _cancel(a: _Admin) -> str:
    a.need(1, a.t.usage_cancel)
    outage_id = a.number(a.args[0])
    view = a.act(a.actions.cancel, outage_id, id=outage_id)
    log.info("outage %s cancelled by %s", outage_id, a.actor)
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


def run_admin(actions: AdminActions, command: Command, actor: str, texts: CommandTexts) -> str:
    """Carry out an admin command (the caller has checked the actor may); the text for the administrator."""
    request = _Admin(actions, command, actor, texts)
    action = next(action for words, action in _ADMIN_ACTIONS if command.word in words)
    try:
        return action(request)
    except _Answer as reply:
        return str(reply)


@dataclass(frozen=True)
class Admins:
    """A channel's administrators, by the ids that channel gives people."""
    ids: frozenset[str]

    @classmethod
    def parse(cls, raw: str) -> "Admins":
        return cls(frozenset(a.strip() for a in (raw or "").split(",") if a.strip()))

    def __contains__(self, user_id: str) -> bool:
        return bool(user_id) and user_id in self.ids
