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

# & first, or the & of "&lt;" would be escaped again.
_ENTITIES = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"))


def escape(text: str) -> str:
    for raw, entity in _ENTITIES:
        text = text.replace(raw, entity)
    return text
