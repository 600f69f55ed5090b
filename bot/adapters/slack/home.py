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
from bot.conversation.admin import outage_lines as shared_outage_lines
from bot.adapters.slack.render import report_button, sections

log = logging.getLogger(__name__)


def outage_lines(ctx: SlackContext, lang: str, now: datetime, *, admin: bool = False) -> tuple[list[str], list[str]]:
    """(outages going on now, planned ones to come), one line each, in plain text (bot.conversation.admin)."""
    return shared_outage_lines(ctx.outages, ctx.content.routine.systems, ctx.texts_for(lang).home, now, admin=admin)


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
