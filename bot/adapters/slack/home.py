"""The App Home tab: what the bot can do, whom to contact now, known outages, a report button.

Published when a user opens the tab, so the contact line is right for the
moment they look (it changes at 08:00, 16:00, weekends and holidays).
"""
from __future__ import annotations

import logging
from datetime import datetime

from slack_sdk.models.blocks import ActionsBlock, Block, ContextBlock, DividerBlock, HeaderBlock, MarkdownTextObject
from slack_sdk.models.views import View

from bot.adapters.slack.client import SLACK_FAILURES, api_error
from bot.adapters.slack.context import SlackContext
from bot.adapters.slack.escape import escape, to_mrkdwn
from bot.adapters.slack.outage_port import OutageLine
from bot.adapters.slack.render import report_button, sections

log = logging.getLogger(__name__)


def _when(moment: datetime, now: datetime) -> str:
    """A short local time: "14:05" today, "2026-04-02 22:00" on another day."""
    local = moment.astimezone(now.tzinfo)
    return local.strftime("%H:%M") if local.date() == now.date() else local.strftime("%Y-%m-%d %H:%M")


def outage_lines(ctx: SlackContext, lang: str, now: datetime, *, admin: bool = False) -> tuple[list[str], list[str]]:
    """(outages going on now, planned ones to come), one line each, in plain text.

    Administrators get each outage's number (for `/driftstopp bekräfta`,
    `uppdatera` and `avbryt`), its state and its reports, and also the
    outages split out of another one, which nobody else sees.
    """
    home = ctx.texts_for(lang).home
    current, planned = ctx.outages.lines(now, include_split=admin)

    def system_name(system: str) -> str:
        systems = ctx.content.routine.systems
        return systems[system].name if system in systems else system

    def outage_text(line: OutageLine) -> str:
        values = dict(id=line.id, system=system_name(line.system), since=_when(line.starts_at, now),
                      text=line.text, reports=line.reports, state=home.states.get(line.status, line.status))
        if not admin:
            return home.outage_line.format(**values).strip()
        text = home.admin_outage_line.format(**values).strip()
        if line.split_from is not None:
            text = f"{text} {home.admin_split_note.format(split_from=line.split_from)}"
        return text

    def planned_text(line: OutageLine) -> str:
        end = _when(line.ends_at, now) if line.ends_at else ""
        template = home.admin_planned_line if admin else home.planned_line
        return template.format(id=line.id, system=system_name(line.system), start=_when(line.starts_at, now),
                               end=end, text=line.text, reports=line.reports).strip()

    return [outage_text(line) for line in current], [planned_text(line) for line in planned]


def build_home(ctx: SlackContext, lang: str, *, admin: bool = False) -> View:
    texts = ctx.texts_for(lang)
    home = texts.home
    now = ctx.now()
    help_answer = ctx.answers.render("help", lang, now).text
    _, contact_now, contact_later = ctx.answers.contact_lines(now, lang)
    current, planned = outage_lines(ctx, lang, now, admin=admin)

    now_lines = current or [ctx.answers.text("live_status_none", lang)]
    outages = "\n".join([home.outages_heading, *now_lines])
    upcoming = "\n".join([home.planned_heading, *(planned or [home.no_planned])])
    blocks: list[Block] = [
        HeaderBlock(text=home.header),
        *sections(to_mrkdwn(help_answer)),
        ContextBlock(elements=[MarkdownTextObject(text=escape(home.how_to_ask), verbatim=True)]),
        DividerBlock(),
        *sections(to_mrkdwn("\n".join([home.contact_heading, contact_now, contact_later]))),
        DividerBlock(),
        *sections(to_mrkdwn(outages)),
        *sections(to_mrkdwn(upcoming)),
        DividerBlock(),
        *sections(to_mrkdwn(home.report_prompt)),
        ActionsBlock(block_id="driftbot_home_report", elements=[report_button(texts, home.report_button)]),
        ContextBlock(elements=[MarkdownTextObject(text=escape(home.updated.format(time=now.strftime("%H:%M"))),
                                                  verbatim=True)]),
    ]
    return View(type="home", blocks=blocks)


def publish_home(ctx: SlackContext, user_id: str) -> None:
    lang = ctx.user_lang(user_id)
    try:
        ctx.client.views_publish(user_id=user_id, view=build_home(ctx, lang, admin=ctx.is_admin(user_id)))
    except SLACK_FAILURES as exc:
        log.error("views.publish for %s failed: %s", user_id, api_error(exc))
