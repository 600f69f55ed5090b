"""User text the bot repeats can never mention @channel, a person, or hide a link."""
from bot.adapters.slack.escape import escape, to_mrkdwn


def test_control_sequences_come_out_inert():
    assert escape("<!channel> kom hit") == "&lt;!channel&gt; kom hit"
    assert escape("<!here|here>") == "&lt;!here|here&gt;"
    assert escape("hej <@U123>") == "hej &lt;@U123&gt;"
    assert escape("<http://x|y>") == "&lt;http://x|y&gt;"
    assert escape("<#C123|allmänt>") == "&lt;#C123|allmänt&gt;"


def test_ampersand_is_escaped_once_and_first():
    assert escape("A & B") == "A &amp; B"
    # An entity typed by a user stays text, not a "<" in disguise.
    assert escape("&lt;!channel&gt;") == "&amp;lt;!channel&amp;gt;"


def test_formatting_and_swedish_text_untouched():
    text = "*Ring LKDATA på 013-20 70 00* (efter kl. 16:00) – _åäö_ ~x~ `kod`"
    assert escape(text) == text


def test_mrkdwn_keeps_quotes_and_links_only_visible_addresses():
    assert to_mrkdwn("> Jag heter A & B") == "> Jag heter A &amp; B"
    assert to_mrkdwn("a > b") == "a &gt; b"
    assert to_mrkdwn("Läs https://www.linkoping.se/anvandarstod.") == "Läs <https://www.linkoping.se/anvandarstod>."
    # A hidden-target link typed by a user shows its real target, nothing else is linked.
    assert to_mrkdwn("<http://evil.example|Användarstöd>") == "&lt;<http://evil.example>|Användarstöd&gt;"
    assert "<!" not in to_mrkdwn("<!channel> <!here> <!everyone>")
    assert "<@" not in to_mrkdwn("<@U123> <@W999|boss>")
