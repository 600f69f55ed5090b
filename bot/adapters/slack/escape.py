"""Make text inert for Slack's mrkdwn.

Slack reads `<...>` as a control sequence: `<!channel>` notifies a whole
channel, `<@U123>` mentions a user, `<http://x|y>` shows a link whose target is
hidden behind another text. Slack's own rule is that a client escapes exactly
three characters (&, <, >) as HTML entities; slack_sdk has no helper for it.

Every text the adapter sends is treated as plain text and passes through
`escape`: the engine's replies (which may repeat what a user typed), receipts,
notices. Nothing in content/ uses Slack's control sequences, so this removes
no intended formatting; *bold* and _italics_ are untouched on purpose.
"""
from __future__ import annotations

import re

from bot.privacy import remove_invisible

# & first, or the & of "&lt;" would be escaped again.
_ENTITIES = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"))


def escape(text: str) -> str:
    # Bidi overrides and zero-width characters never reach Slack (bot.privacy.remove_invisible).
    text = remove_invisible(text)
    for raw, entity in _ENTITIES:
        text = text.replace(raw, entity)
    return text


# A visible http(s) address in escaped text: up to white space, "|" or an escaped bracket.
_URL = re.compile(r"https?://(?:(?!&gt;|&lt;)[^\s|])+")
_URL_TRAILING = ".,;:!?)'\""


def _link(match: re.Match) -> str:
    url = match.group(0)
    stripped = url.rstrip(_URL_TRAILING)
    return f"<{stripped}>{url[len(stripped):]}"


def to_mrkdwn(text: str) -> str:
    """Plain text as a section's mrkdwn: `escape`d, with two things restored.

    Sections are sent with verbatim=true, so Slack parses nothing by itself
    (a typed "@here" stays text). That also stops it from linking addresses,
    and staff on a phone need the status page to be one tap away; so a
    visible address becomes <address>, a link that shows its own target (never
    <target|other text>). And channel-neutral texts quote with "> " at a line
    start (the report receipt's script to read out); escaped, that would show
    as a literal "&gt;". A quote is formatting only, so it is restored.
    """
    lines = []
    for line in escape(text).split("\n"):
        if line.startswith("&gt; "):
            line = "> " + line[5:]
        lines.append(_URL.sub(_link, line))
    return "\n".join(lines)
